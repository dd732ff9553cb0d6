import Testing
@testable import TradeoffKit

/// `isBlank` decides ASCII byte by byte and agrees with `Character.isWhitespace` everywhere.
struct StringBlankTests {
    @Test(arguments: ["", " ", "\t\r\n", " \u{0B}\u{0C} ", "\u{00A0}", "\u{2003}\u{3000}", " \u{2028}\n", "\r\n"])
    func whitespaceIsBlank(_ text: String) {
        #expect(text.isBlank)
        #expect(text.isBlank == text.allSatisfy(\.isWhitespace))
    }

    @Test(arguments: ["a", "  x ", "\u{00A0}é", "{}", " \u{200B}", "\u{0}", "日本"])
    func anythingElseIsNot(_ text: String) {
        #expect(!text.isBlank)
        #expect(text.isBlank == text.allSatisfy(\.isWhitespace))
    }
}
