/// Renders a `ReportDocument` as one self-contained HTML page, doing all of its escaping.
///
/// The page needs nothing else when opened: the stylesheet and the sorting script are inline and
/// allowed by hash in a Content-Security-Policy that forbids everything else, and a figure whose
/// markup the renderer is given is inlined too. Everything from a `ReportDocument`'s text is
/// escaped (see `HTMLText.escape(_:)`), so a model's answer or a case id shows as written and never
/// becomes markup; a link whose target is not a relative path or an http(s) or mailto URL shows as
/// its text only.
public struct HTMLRenderer: Sendable {
    /// SVG markup to inline, by figure source (`demo.svg`): Tradeoff's own charts, whose text is
    /// already escaped, inserted as they are.
    public var figures: [String: String]

    /// A renderer inlining `figures`.
    ///
    /// - Parameter figures: The SVG markup of each figure by its `Figure.source`; a figure not in
    ///   it becomes a link to its file.
    public init(inlining figures: [String: String] = [:]) {
        self.figures = figures
    }

    /// `document` as a whole page, ending with a newline; titled after its first level-1 heading.
    ///
    /// - Parameters:
    ///   - document: The report.
    ///   - section: Markup only a page has (the per-case drill-down), already escaped, put before
    ///     the block at `position` (after the last block when `position` is past the end).
    ///   - position: Where `section` goes among the document's blocks.
    public func render(_ document: ReportDocument, inserting section: String? = nil, before position: Int = .max) -> String {
        var body = render(document.blocks)
        if let section {
            let split = min(max(0, position), document.blocks.count)
            body = [render(Array(document.blocks[..<split])), section, render(Array(document.blocks[split...]))]
                .filter { !$0.isEmpty }.joined(separator: "\n")
        }
        let title = document.blocks.lazy.compactMap { block -> String? in
            if case .heading(1, let text) = block { return Self.plain(text) }
            return nil
        }.first ?? "Tradeoff report"
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="\(HTMLText.escape(HTMLAssets.contentSecurityPolicy))">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="Tradeoff">
            <title>\(HTMLText.escape(title))</title>
            <style>\(HTMLAssets.style)</style>
            </head>
            <body>
            <main>
            \(body)
            </main>
            <script>\(HTMLAssets.script)</script>
            </body>
            </html>

            """
    }

    /// `blocks` as HTML elements, one after another, a line break between them.
    public func render(_ blocks: [Block]) -> String {
        blocks.map(render).joined(separator: "\n")
    }

    /// One block as HTML.
    public func render(_ block: Block) -> String {
        switch block {
        case .heading(let level, let text):
            let tag = "h\(max(1, min(level, 6)))"
            return "<\(tag)>\(render(text))</\(tag)>"
        case .paragraph(let text):
            return "<p>\(render(text))</p>"
        case .table(let table):
            return render(table)
        case .figure(let figure):
            return render(figure)
        case .note(let note):
            let paragraphs = note.paragraphs.enumerated().map { index, paragraph in
                let title = index == 0 ? note.title.map { "<strong>\(HTMLText.escape($0))</strong> " } ?? "" : ""
                return "<p>" + title + render(paragraph) + "</p>"
            }
            let kind = note.kind == .caution ? "caution" : "notice"
            return "<aside class=\"note \(kind)\" role=\"note\">\n" + paragraphs.joined(separator: "\n") + "\n</aside>"
        case .list(let items):
            return render(items)
        }
    }

    /// Inline runs as HTML.
    public func render(_ inlines: [Inline]) -> String {
        inlines.map(render).joined()
    }

    private func render(_ inline: Inline) -> String {
        switch inline {
        case .text(let text): return HTMLText.lines(text)
        case .data(let text): return HTMLText.lines(text)
        case .value(let quantity): return HTMLText.escape(quantity.display)
        case .code(let text): return "<code>\(HTMLText.escape(text))</code>"
        case .strong(let text): return "<strong>\(render(text))</strong>"
        case .emphasis(let text): return "<em>\(render(text))</em>"
        case .link(let text, let target):
            guard HTMLText.isSafeLink(target) else { return render(text) }
            return "<a href=\"\(HTMLText.escape(target))\">\(render(text))</a>"
        }
    }

    private func render(_ table: Table) -> String {
        var lines = ["<div class=\"table\">", "<table class=\"sortable\">", "<thead>", "<tr>"]
        for column in table.columns {
            lines.append("<th scope=\"col\"\(Self.alignment(column.alignment))><button type=\"button\">"
                         + render(column.title) + "</button></th>")
        }
        lines += ["</tr>", "</thead>", "<tbody>"]
        for row in table.rows {
            let cells = row.enumerated().map { index, cell in
                let alignment = index < table.columns.count ? Self.alignment(table.columns[index].alignment) : ""
                let value = Self.sortValue(cell.content).map { " data-value=\"\($0)\"" } ?? ""
                return "<td\(alignment)\(value)>\(render(cell.content))</td>"
            }
            lines.append("<tr>" + cells.joined() + "</tr>")
        }
        lines += ["</tbody>", "</table>", "</div>"]
        return lines.joined(separator: "\n")
    }

    private func render(_ figure: Figure) -> String {
        let description = HTMLText.escape(figure.description)
        guard let markup = figures[figure.source] else {
            let link = HTMLText.isSafeLink(figure.source) ? "<a href=\"\(HTMLText.escape(figure.source))\">\(description)</a>" : description
            return "<figure>\(link)</figure>"
        }
        let svg = markup.hasSuffix("\n") ? String(markup.dropLast()) : markup
        return "<figure>\n\(svg)\n<figcaption>\(description)</figcaption>\n</figure>"
    }

    private func render(_ items: [ListItem]) -> String {
        let lines = items.map { item in
            "<li>" + render(item.content) + (item.children.isEmpty ? "" : "\n" + render(item.children)) + "</li>"
        }
        return "<ul>\n" + lines.joined(separator: "\n") + "\n</ul>"
    }

    private static func alignment(_ alignment: Table.Alignment) -> String {
        alignment == .trailing ? " class=\"num\"" : ""
    }

    /// The number a cell sorts by: its first measured value, when it has one.
    static func sortValue(_ inlines: [Inline]) -> String? {
        for inline in inlines {
            switch inline {
            case .value(let quantity):
                guard let value = quantity.value, value.isFinite else { return nil }
                return "\(value)"
            case .strong(let inner), .emphasis(let inner), .link(let inner, _):
                if let value = sortValue(inner) { return value }
            case .text, .data, .code:
                continue
            }
        }
        return nil
    }

    /// The text of `inlines` without markup, for the page's title.
    static func plain(_ inlines: [Inline]) -> String {
        inlines.map { inline in
            switch inline {
            case .text(let text), .data(let text), .code(let text): return text
            case .value(let quantity): return quantity.display
            case .strong(let inner), .emphasis(let inner), .link(let inner, _): return plain(inner)
            }
        }.joined()
    }
}
