import Foundation
import Testing
@testable import TradeoffKit

struct NormalizationTests {
    /// The byte shortcut of `trim` gives Foundation's answer: every ASCII character at either end,
    /// Unicode spaces (NBSP, NEL, line separator, ideographic space), combining marks, emptiness.
    @Test func trimMatchesFoundation() {
        var texts = ["", " ", "\n\t \r", "42", " 42 ", "\u{00A0}42\u{00A0}", "42\u{0085}", "\u{2028}x", "x\u{3000}",
                     " e\u{301} ", "é", " 日本 ", "a\u{0B}", "\u{0C}a", "😀 ", "a b"]
        for byte in UInt8(0)..<0x80 {
            let c = String(UnicodeScalar(byte))
            texts += [c, c + "x", "x" + c, c + "x y" + c, c + "é" + c]
        }
        for text in texts {
            #expect(Normalization.trim.apply(text) == text.trimmingCharacters(in: .whitespacesAndNewlines),
                    "\(Array(text.unicodeScalars))")
        }
    }
}
