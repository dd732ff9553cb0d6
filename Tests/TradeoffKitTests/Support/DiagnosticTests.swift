import Testing
@testable import TradeoffKit

/// How a diagnostic shows its source line: whole when short, else a window around the caret.
struct DiagnosticTests {
    private func render(_ line: String, column: Int?) -> String {
        Diagnostic(file: "d.jsonl", line: 1, column: column, message: "m", sourceLine: line).description
    }

    @Test func aShortLineIsShownWholeWithItsCaret() {
        #expect(render("{\"a\": tru}", column: 7) == "d.jsonl:1:7: error: m\n{\"a\": tru}\n      ^")
        #expect(render("\tkey: x", column: 7) == "d.jsonl:1:7: error: m\n\tkey: x\n\t     ^")
    }

    /// A 100 MB dataset row printed whole is 100 MB on stderr: a line over 240 bytes shows only
    /// 60 characters either side of the caret, `…` marking what is left out.
    @Test func aLongLineIsShownAsAWindowAroundTheCaret() {
        let line = String(repeating: "a", count: 1_000_000) + "<here>" + String(repeating: "b", count: 1_000_000)
        let text = render(line, column: 1_000_001)
        let window = String(repeating: "a", count: 60) + "<here>" + String(repeating: "b", count: 55)
        #expect(text == "d.jsonl:1:1000001: error: m\n…\(window)…\n" + String(repeating: " ", count: 61) + "^")
    }

    /// A suite line of 240 characters is not cut: only longer ones are.
    @Test func aLineOfUpTo240BytesIsShownWhole() {
        let line = String(repeating: "y", count: 240)
        #expect(render(line, column: 200) == "d.jsonl:1:200: error: m\n\(line)\n" + String(repeating: " ", count: 199) + "^")
    }

    @Test(arguments: [
        // Near the start: no leading mark; the caret keeps its column.
        (3, "\(String(repeating: "x", count: 121))…", 3),
        // Near the end: no trailing mark.
        (300, "…\(String(repeating: "x", count: 61))", 62),
        // Past the end (an unexpected end of line): the caret just after the last character.
        (301, "…\(String(repeating: "x", count: 60))", 62),
    ])
    func theWindowStopsAtTheEndsOfTheLine(column: Int, shown: String, caret: Int) {
        let excerpt = Diagnostic.excerpt(of: String(repeating: "x", count: 300), around: column)
        #expect(excerpt.text == shown)
        #expect(excerpt.caret == caret)
    }

    @Test func aLongLineWithoutAColumnShowsItsStart() {
        let text = render(String(repeating: "z", count: 500), column: nil)
        #expect(text == "d.jsonl:1: error: m\n" + String(repeating: "z", count: 121) + "…")
    }
}
