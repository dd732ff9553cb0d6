import Testing
@testable import TradeoffKit

/// The one Levenshtein distance, over characters and over any equatable elements.
struct EditDistanceTests {
    @Test(arguments: [("kitten", "sitting", 3), ("", "abc", 3), ("abc", "", 3), ("flaw", "lawn", 2),
                      ("same", "same", 0), ("exakt", "exact", 1), ("a", "bcdef", 5), ("intention", "execution", 5)])
    func knownDistances(a: String, b: String, expected: Int) {
        #expect(editDistance(Array(a), Array(b)) == expected)
        // Symmetric, whichever side is shorter.
        #expect(editDistance(Array(b), Array(a)) == expected)
        #expect(Suggestions.editDistance(a, b) == expected)
    }

    @Test func countsGraphemeClustersAndTokensAlike() {
        // "é" precomposed and decomposed is one character either way.
        #expect(editDistance(Array("caf\u{E9}"), Array("cafe\u{301}")) == 0)
        #expect(editDistance(["the", "cat", "sat"], ["the", "dog", "sat", "down"]) == 2)
    }
}
