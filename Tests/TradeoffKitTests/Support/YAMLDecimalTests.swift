import Testing
@testable import TradeoffKit

/// `YAMLDocument.isDecimal` is a hand-written scanner; the regex it replaced is the oracle.
struct YAMLDecimalTests {
    private static func oracle(_ text: String) -> Bool {
        text.wholeMatch(of: /[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?/) != nil
    }

    static let trickyInputs = [
        "1", "-0.5", "1e3", "1.", ".5", "+1", "0x1", "1_000", " 1", "1 ", "", "1.2.3", "∞", "-", "+", ".", "-.",
        "+.5", "-.5e-3", "1e", "1e+", "1e-", "e3", "E3", ".e3", "1.e3", "1E+03", "1e3.5", "1ee3", "--1", "+-1",
        "nan", "NaN", "inf", "-inf", ".inf", "0", "00", "007", "0.0", "1,5", "1\n", "\n1", "\t1", "1\r\n",
        "1\u{301}", "\u{301}1", "e\u{301}", "1e3\u{301}", "٣", "１", "1１", "0.5\u{0}", "\u{0}", "1e99999",
        "123456789012345678901234567890.123456789", "0.59", "0.79", "15.00", "-0", "+0.", "1..", "..1", "1e3e3",
    ]

    @Test("agrees with the regex on tricky strings", arguments: trickyInputs)
    func tricky(_ text: String) {
        #expect(YAMLDocument.isDecimal(text) == Self.oracle(text), "\(text.debugDescription)")
    }

    @Test func agreesWithTheRegexOnGeneratedStrings() {
        // Pieces that sit at every branch of the pattern, plus near misses (combining marks, other digits).
        let pieces = ["0", "7", "9", ".", "-", "+", "e", "E", "x", " ", "_", "a", "\u{301}", "٣", "１", "\n"]
        var generator = Xoshiro256(seed: 12)
        var matches = 0
        for _ in 0..<20_000 {
            let length = Int(generator.next() % 7)
            let text = (0..<length).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            let expected = Self.oracle(text)
            if expected { matches += 1 }
            #expect(YAMLDocument.isDecimal(text) == expected, "\(text.debugDescription)")
        }
        // The generator must reach both answers often enough to mean something.
        #expect(matches > 500)
    }
}

/// `YAMLDocument.integer` reads a value with `Int(_:)` alone; the regex it used to check first
/// is the oracle: the same strings are integers.
struct YAMLIntegerTests {
    @Test("Int(_:) reads exactly the integers the regex matched", arguments: YAMLDecimalTests.trickyInputs
          + ["12", "+12", "-12", "9223372036854775807", "9223372036854775808", "1.0", "1e3", "٣٣", "0b1"])
    func sameAsTheRegex(_ text: String) {
        let matched = text.wholeMatch(of: /[-+]?[0-9]+/) != nil
        // Whatever Int(_:) reads, the regex matched; whatever it matched, Int(_:) reads, unless
        // too big for Int (refused before as after).
        #expect(Int(text) == nil || matched, "\(text.debugDescription)")
        if matched, text.count <= 18 { #expect(Int(text) != nil, "\(text.debugDescription)") }
    }
}
