/// A text with `{{name}}` placeholders filled from a case's variables.
///
/// Whitespace inside the braces is ignored (`{{ name }}`). A `{{` without a closing `}}` is
/// kept as literal text, and noted in `unclosedPlaceholder`: a suite reports it as an error.
public struct Template: Sendable, Hashable, CustomStringConvertible {
    enum Segment: Sendable, Hashable {
        case text(String)
        case placeholder(String)
    }

    /// The template text as written.
    public let source: String
    let segments: [Segment]
    /// Where in `source` a `{{` that no `}}` closes starts (`Summarize {{text`), if one does.
    public let unclosedPlaceholder: String.Index?

    /// Parses `source` into literal text and placeholders.
    public init(_ source: String) {
        self.source = source
        var segments: [Segment] = []
        var rest = source[...]
        var unclosed: String.Index?
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                unclosed = open.lowerBound
                break
            }
            if open.lowerBound > rest.startIndex {
                segments.append(.text(String(rest[..<open.lowerBound])))
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            segments.append(.placeholder(name))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { segments.append(.text(String(rest))) }
        self.segments = segments
        self.unclosedPlaceholder = unclosed
    }

    /// A template without placeholders: `text` is sent as it is, `{{` and all (a conversation
    /// read from a dataset row).
    public static func literal(_ text: String) -> Template {
        Template(source: text, segments: text.isEmpty ? [] : [.text(text)], unclosedPlaceholder: nil)
    }

    private init(source: String, segments: [Segment], unclosedPlaceholder: String.Index?) {
        self.source = source
        self.segments = segments
        self.unclosedPlaceholder = unclosedPlaceholder
    }

    /// The placeholder names, in order of first appearance.
    public var placeholders: [String] {
        var seen: Set<String> = []
        return segments.compactMap {
            guard case .placeholder(let name) = $0, seen.insert(name).inserted else { return nil }
            return name
        }
    }

    /// Fills the placeholders from `variables`; a missing variable renders as an empty string
    /// (loading reports placeholders without a variable, so this does not happen in a run).
    public func render(_ variables: [String: String]) -> String {
        var out = ""
        for segment in segments {
            switch segment {
            case .text(let text): out += text
            case .placeholder(let name): out += variables[name] ?? ""
            }
        }
        return out
    }

    public var description: String { source }
}

import Foundation
