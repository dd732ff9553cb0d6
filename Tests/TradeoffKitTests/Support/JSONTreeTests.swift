import Foundation
import Testing
@testable import TradeoffKit

/// The JSON reader behind the importers: numbers kept as text, every node and error positioned.
struct JSONTreeTests {
    private func tree(_ text: String) -> Result<JSONTree, DiagnosticsError> { JSONTree.parse(Data(text.utf8), file: "f.json") }

    @Test func numbersKeepTheirTextAndNodesTheirPosition() throws {
        let parsed = try tree("{\"a\": 2.5e-06, \"b\": [0.1, \"x\\u00e9\\ud83d\\ude00\"],\n \"c\": {\"d\": null}}").get()
        #expect(parsed.root["a"]?.scalarText == "2.5e-06")
        let b = try #require(parsed.root["b"])
        guard case .array(let items) = b.value else { Issue.record("not an array"); return }
        #expect(items.map(\.scalarText) == ["0.1", "xé😀"])
        #expect((b.line, b.column) == (1, 21))
        let c = try #require(parsed.root["c"])
        #expect((c.line, c.column) == (2, 7))
    }

    @Test(arguments: [
        // A high surrogate with no low one after it is U+FFFD, and what follows is read on its
        // own (a non-low `\u` escape there trapped on an overflow: a crash on a model's answer).
        (#""\ud83d\u0041""#, "\u{FFFD}A"),
        (#""\ud83d\ud83d\ude00""#, "\u{FFFD}😀"),
        (#""\ud83d""#, "\u{FFFD}"),
        (#""\ude00x""#, "\u{FFFD}x"),
    ])
    func unpairedSurrogatesBecomeReplacementCharacters(text: String, value: String) throws {
        #expect(try JSONTree.value(in: text).scalarText == value)
    }

    @Test(arguments: [
        ("{\"é\": [1, 2,]}", "f.json:1:13: error: invalid JSON: unexpected character ']'"),
        ("[1, 2", "f.json:1:6: error: invalid JSON: unterminated array (expected ']')"),
        ("{\"a\": 01}", "f.json:1:7: error: invalid JSON: a number cannot start with 0 followed by digits"),
        ("{\"a\": 1.}", "f.json:1:9: error: invalid JSON: a number needs digits after '.'"),
        ("{\"a\": \"tab\there\"}", "f.json:1:11: error: invalid JSON: control character in a string (write it as an escape)"),
        ("{\"a\": tru}", "f.json:1:7: error: invalid JSON: unexpected character 't'"),
        ("{} x", "f.json:1:4: error: invalid JSON: unexpected text after the JSON value"),
    ])
    func errorsArePositionedInCharacters(text: String, message: String) {
        guard case .failure(let error) = tree(text) else {
            Issue.record("expected '\(text)' to fail")
            return
        }
        #expect(error.diagnostics.first.map { String($0.description.prefix { $0 != "\n" }) } == message)
    }
}
