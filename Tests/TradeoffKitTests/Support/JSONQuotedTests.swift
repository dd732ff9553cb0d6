import Testing
@testable import TradeoffKit

/// One JSON string escaper: `JSONTree.Node.quoted` (request keys, compact text) writes what the
/// scalar-by-scalar escaper it replaced wrote, so cache keys made before stay the same.
struct JSONQuotedTests {
    /// The escaper before it was folded into `JSONWriter`, kept as the oracle.
    private static func oldQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    @Test func writesWhatTheOldEscaperWrote() {
        var samples = ["", "plain", "quote \" and \\ backslash", "a/b", "é 日本 🙂", "line\nnext\r\ttab",
                       "\u{7F}\u{80}\u{2028}\u{FEFF}"]
        samples.append(String((0..<0x20).map { Character(Unicode.Scalar(UInt8($0))) }))
        for sample in samples { #expect(JSONTree.Node.quoted(sample) == Self.oldQuoted(sample), "\(sample.debugDescription)") }
        #expect(JSONTree.Node.quoted("\u{1}") == "\"\\u0001\"")
    }
}
