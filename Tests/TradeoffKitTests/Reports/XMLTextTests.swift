import Foundation
import Testing
@testable import TradeoffKit

/// Text that needs no escaping is kept as it is; any other is escaped scalar by scalar. Either
/// way the result is what the scalar-by-scalar escape alone gives, and that is pinned here too.
struct XMLTextTests {
    private static func reference(_ text: String) -> String { XMLText.escapeEachScalar(text) }

    @Test func everyASCIICharacterAndSomeOthersEscapeAsScalarByScalar() {
        var texts = (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }
        texts += ["", "plain text, 42 ids", "a<b & \"c\" 'd'\u{1}", "tab\tline\nreturn\r", "\u{7F}", "é", "🙂",
                  "\u{FFFE}\u{FFFF}", "ok \u{FFFD}", "model-a/b:c_1.0"]
        for text in texts {
            #expect(XMLText.escape(text) == Self.reference(text), "\(Array(text.unicodeScalars))")
        }
    }

    @Test func theScalarByScalarEscapeMakesEntitiesAndReplacesWhatXMLForbids() {
        #expect(XMLText.escapeEachScalar("a<b>&\"c\" 'd'") == "a&lt;b&gt;&amp;&quot;c&quot; &apos;d&apos;")
        #expect(XMLText.escapeEachScalar("\u{0}\u{1F}\t\n\r\u{7F}é🙂\u{FFFE}\u{FFFF}") == "\u{FFFD}\u{FFFD}\t\n\r\u{7F}é🙂\u{FFFD}\u{FFFD}")
    }

    @Test func randomTextEscapesAsScalarByScalar() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abc XYZ 019 <>&\"' \t\n\r\u{0}\u{1F}\u{7F}éß🙂\u{FFFE}".unicodeScalars)
        for _ in 0..<500 {
            var text = ""
            for _ in 0..<Int.random(in: 0...30, using: &generator) {
                text.unicodeScalars.append(alphabet.randomElement(using: &generator)!)
            }
            #expect(XMLText.escape(text) == Self.reference(text))
        }
    }

    @Test func aScoreIsWrittenAsPrintfWritesItWithTwoDecimals() {
        var values = (0...2000).map { Double($0) / 2000 }
        values += [1.0 / 3, 2.0 / 3, 0.125, 0.375, 0.005, 0.015, 0.285, 0.995, 0.9999, -0.0, 1e-9]
        for value in values {
            #expect(HTMLDrillDown.score(value) == String(format: "%.2f", value), "\(value)")
        }
    }
}
