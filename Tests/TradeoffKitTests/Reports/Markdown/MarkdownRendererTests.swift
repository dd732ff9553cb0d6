import Testing
@testable import TradeoffKit

/// The Markdown renderer on its own: every block, and escaping of text from outside Tradeoff.
struct MarkdownRendererTests {
    private let renderer = MarkdownRenderer()

    @Test(arguments: [
        ("a | b", #"a \| b"#),
        ("**bold** and _it_", #"\*\*bold\*\* and \_it\_"#),
        ("`rm -rf`", #"\`rm -rf\`"#),
        ("one\ntwo\r\nthree", "one<br>two<br>three"),
        (#"a\|b"#, #"a\\\|b"#),
    ])
    func escapesDataInACell(text: String, expected: String) {
        let table = Table([.text("Answer", .leading)], [[.data(text)]])
        let lines = renderer.render(.table(table)).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3)
        #expect(lines.last == "| \(expected) |")
    }

    @Test func proseKeepsItsCharactersButCannotSplitACell() {
        #expect(renderer.render([.text("p < 0.05, xoshiro256**")]) == "p < 0.05, xoshiro256**")
        #expect(renderer.render([.text("a | b\nc")]) == #"a \| b<br>c"#)
    }

    @Test func rendersATableWithItsAlignmentRow() {
        let table = Table([.text("Model", .leading), .text("Cost", .trailing), .text("Gate", .leading)], [
            [.data("gpt_4o"), .money(161, "$0.000161"), .code("quality(*) >= 0.9")],
            [Cell([.data("local"), .text(" (reference)")]), .none, .strong("FAIL")],
        ])
        #expect(renderer.render(.table(table)) == """
            | Model | Cost | Gate |
            |---|--:|---|
            | gpt\\_4o | $0.000161 | `quality(*) >= 0.9` |
            | local (reference) | — | **FAIL** |
            """)
    }

    @Test func rendersHeadingsAndEscapesTheirData() {
        #expect(renderer.render(.heading(level: 1, [.text("Tradeoff report: "), .data("my_suite")]))
                == #"# Tradeoff report: my\_suite"#)
        #expect(renderer.render(.heading(level: 2, [.text("Models")])) == "## Models")
    }

    @Test func rendersANoteAsAQuotedBanner() {
        let note = Note(.caution, title: "Simulated results.", [.data("a*b"), .text(" is simulated.")])
        #expect(renderer.render(.note(note)) == #"> **Simulated results.** a\*b is simulated."#)
    }

    @Test func rendersANoteOfSeveralParagraphsAsOneQuote() {
        let note = Note(.caution, paragraphs: [[.text("Other suites.")], [.text("Only in one: "), .data("a|b"), .text(".")]])
        #expect(renderer.render(.note(note)) == "> Other suites.\n>\n> Only in one: a\\|b.")
        let titled = Note(.notice, title: "Note.", paragraphs: [[.text("one")], [.text("two")]])
        #expect(renderer.render(.note(titled)) == "> **Note.** one\n>\n> two")
    }

    @Test func rendersFiguresListsAndInlineStyles() {
        #expect(renderer.render(.figure(Figure(source: "my%20report.svg", description: "The chart")))
                == "![The chart](my%20report.svg)")
        let list = Block.list([ListItem([.strong([.text("Run:")]), .text(" 1")]),
                               ListItem([.text("Prices:")], children: [ListItem([.data("a_b"), .text(": $1")])])])
        #expect(renderer.render(list) == "- **Run:** 1\n- Prices:\n  - a\\_b: $1")
        #expect(renderer.render([.emphasis([.text("see")]), .text(" "), .link([.data("[x]")], target: "x.md")])
                == #"_see_ [\[x\]](x.md)"#)
    }

    @Test func separatesBlocksWithABlankLineAndEndsADocumentWithANewline() {
        let document = ReportDocument([.heading(level: 1, [.text("T")]), .paragraph([.text("p")])])
        #expect(renderer.render(document) == "# T\n\np\n")
    }
}
