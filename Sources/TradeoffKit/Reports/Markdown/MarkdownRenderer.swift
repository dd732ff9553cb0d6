/// Renders a `ReportDocument` as GitHub-flavoured Markdown, doing all of its escaping.
///
/// Blocks are separated by a blank line; text from outside Tradeoff is escaped so it shows as
/// written and stays in its table cell (see `MarkdownText.escape(_:)`).
public struct MarkdownRenderer: Sendable {
    /// A renderer.
    public init() {}

    /// `document` as Markdown, ending with a newline.
    public func render(_ document: ReportDocument) -> String {
        render(document.blocks) + "\n"
    }

    /// `blocks` as Markdown, a blank line between them, no newline at the end.
    public func render(_ blocks: [Block]) -> String {
        blocks.map(render).joined(separator: "\n\n")
    }

    /// One block as Markdown, no newline at the end.
    public func render(_ block: Block) -> String {
        switch block {
        case .heading(let level, let text):
            return String(repeating: "#", count: max(1, min(level, 6))) + " " + render(text)
        case .paragraph(let text):
            return render(text)
        case .table(let table):
            return render(table)
        case .figure(let figure):
            return "![\(MarkdownText.prose(figure.description))](\(figure.source))"
        case .note(let note):
            return note.paragraphs.enumerated().map { index, paragraph in
                let title = index == 0 ? note.title.map { "**\(MarkdownText.prose($0))** " } ?? "" : ""
                return "> " + title + render(paragraph)
            }.joined(separator: "\n>\n")
        case .list(let items):
            return items.map { render($0, indent: "") }.joined(separator: "\n")
        }
    }

    /// Inline runs as Markdown.
    public func render(_ inlines: [Inline]) -> String {
        inlines.map(render).joined()
    }

    private func render(_ inline: Inline) -> String {
        switch inline {
        case .text(let text): return MarkdownText.prose(text)
        case .data(let text): return MarkdownText.escape(text)
        case .value(let quantity): return MarkdownText.prose(quantity.display)
        case .code(let text): return MarkdownText.code(text)
        case .strong(let text): return "**" + render(text) + "**"
        case .emphasis(let text): return "_" + render(text) + "_"
        case .link(let text, let target): return "[\(render(text))](\(target))"
        }
    }

    private func render(_ table: Table) -> String {
        let header = MarkdownText.row(table.columns.map { render($0.title) })
        let alignment = "|" + table.columns.map { $0.alignment == .trailing ? "--:|" : "---|" }.joined()
        let rows = table.rows.map { MarkdownText.row($0.map { render($0.content) }) }
        return ([header, alignment] + rows).joined(separator: "\n")
    }

    private func render(_ item: ListItem, indent: String) -> String {
        ([indent + "- " + render(item.content)] + item.children.map { render($0, indent: indent + "  ") })
            .joined(separator: "\n")
    }
}
