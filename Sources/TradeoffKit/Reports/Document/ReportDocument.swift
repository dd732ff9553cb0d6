/// A report as a neutral document: headings, paragraphs, tables, figures, notes and lists
/// holding plain text, never Markdown or HTML.
///
/// Sections build it from the numbers; a renderer (`MarkdownRenderer`, later HTML and the CI
/// step summary) walks it and does all the escaping its format needs.
public struct ReportDocument: Sendable, Hashable {
    /// The blocks, top to bottom.
    public var blocks: [Block]

    /// A document of `blocks`.
    public init(_ blocks: [Block] = []) {
        self.blocks = blocks
    }
}
