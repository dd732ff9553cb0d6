import Testing
@testable import TradeoffKit

struct SuggestionsTests {
    @Test(arguments: [
        ("promt", ["id", "system", "prompt", "dataset"], "prompt"),
        ("exakt", GraderSpec.typeNames, "exact"),
        ("notcontains", GraderSpec.typeNames, "not-contains"),
        ("gpt4o", ["gpt-4o", "llama-3.3-70b"], "gpt-4o"),
        ("lable", ["label", "ticket"], "label"),
        ("lowercse", ["trim", "lowercase", "collapse-whitespace"], "lowercase"),
        ("Prompt", ["prompt"], "prompt"),
    ] as [(String, [String], String?)])
    func suggestsTypos(word: String, candidates: [String], expected: String?) {
        #expect(Suggestions.closest(to: word, among: candidates) == expected)
    }

    @Test(arguments: [
        ("xyz", ["prompt", "dataset"]),
        ("xy", ["id"]),                       // replacing every letter is not a typo
        ("temperature", ["max_tokens"]),
        ("lower", ["lowercase"]),             // a prefix is not close enough: 4 edits for 5 letters
        ("anything", []),
    ] as [(String, [String])])
    func staysQuietWhenNothingIsClose(word: String, candidates: [String]) {
        #expect(Suggestions.closest(to: word, among: candidates) == nil)
    }

    @Test func longWordsAllowMoreEdits() {
        // 12 letters allow 4 edits.
        #expect(Suggestions.closest(to: "max_concurrncy", among: ["max_concurrency"]) == "max_concurrency")
        #expect(Suggestions.closest(to: "maxconcurency", among: ["max_concurrency"]) == "max_concurrency")
    }

    @Test func tiesGoToTheFirstCandidate() {
        #expect(Suggestions.closest(to: "cat", among: ["bat", "hat"]) == "bat")
    }

    @Test(arguments: [
        (["a"], "a"), (["a", "b"], "a or b"), (["a", "b", "c"], "a, b or c"),
    ])
    func lists(names: [String], expected: String) {
        #expect(Suggestions.list(names) == expected)
    }

    @Test(arguments: [
        ("kitten", "sitting", 3), ("", "abc", 3), ("abc", "", 3), ("flaw", "lawn", 2), ("same", "same", 0),
    ])
    func editDistance(a: String, b: String, expected: Int) {
        #expect(Suggestions.editDistance(a, b) == expected)
    }
}
