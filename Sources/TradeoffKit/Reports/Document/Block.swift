/// One block of a `ReportDocument`.
public enum Block: Sendable, Hashable {
    /// A heading: level 1 for the title, 2 for a section.
    case heading(level: Int, [Inline])
    /// A paragraph of running text.
    case paragraph([Inline])
    /// A table of typed cells.
    case table(Table)
    /// An image shown in the report, such as the SVG frontier chart.
    case figure(Figure)
    /// A call-out that must not be missed, such as "these results are simulated".
    case note(Note)
    /// A bulleted list, items possibly nested.
    case list([ListItem])
}

/// An image referenced from the report.
public struct Figure: Sendable, Hashable {
    /// The image's path relative to the report, as a URL path (already percent-encoded).
    public var source: String
    /// What the image shows, for readers who cannot see it.
    public var description: String

    /// A figure of `source`, described by `description`.
    public init(source: String, description: String) {
        self.source = source
        self.description = description
    }
}

/// A call-out: an optional bold title, then one or more paragraphs.
public struct Note: Sendable, Hashable {
    /// How the call-out reads: a notice informs, a caution warns about the numbers.
    public enum Kind: Sendable, Hashable {
        case notice
        case caution
    }

    /// How the call-out reads.
    public var kind: Kind
    /// The short title, a sentence (`Simulated results.`), shown before the first paragraph.
    public var title: String?
    /// The text, paragraph by paragraph.
    public var paragraphs: [[Inline]]

    /// A call-out of `kind`: `title`, then the one paragraph `body`.
    public init(_ kind: Kind, title: String?, _ body: [Inline]) {
        self.init(kind, title: title, paragraphs: [body])
    }

    /// A call-out of `kind` of several paragraphs, the first after `title` when there is one.
    public init(_ kind: Kind, title: String? = nil, paragraphs: [[Inline]]) {
        self.kind = kind
        self.title = title
        self.paragraphs = paragraphs
    }
}

/// One item of a list, with its sub-items.
public struct ListItem: Sendable, Hashable {
    /// The item's text.
    public var content: [Inline]
    /// Nested items, shown under this one.
    public var children: [ListItem]

    /// An item of `content` with `children` under it.
    public init(_ content: [Inline], children: [ListItem] = []) {
        self.content = content
        self.children = children
    }
}

extension Block {
    /// A section heading (level 2) of Tradeoff's own words.
    static func section(_ title: String) -> Block { .heading(level: 2, [.text(title)]) }
}
