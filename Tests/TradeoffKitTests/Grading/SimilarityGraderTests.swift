import Foundation
import Testing
@testable import TradeoffKit

/// `similarity`, `rouge-l` and `bleu`: scores in 0...1 that pass from a threshold.
struct SimilarityGraderTests {
    @Test(arguments: [
        ("kitten", "sitting", 1 - 3.0 / 7),
        ("", "", 1.0),
        ("abc", "", 0.0),
        ("naïve", "naive", 0.8),
        ("👍🏽👍🏽", "👍🏽", 0.5),
    ])
    func levenshteinRatio(_ a: String, _ b: String, _ ratio: Double) {
        #expect(abs(TextSimilarity.levenshteinRatio(a, b) - ratio) < 1e-12)
    }

    @Test func rougeL() {
        let tokens = TextSimilarity.tokens
        // LCS of "the cat sat on the mat" and "the cat is on the mat" is 5 of 6 tokens on both sides.
        #expect(abs(TextSimilarity.rougeL(tokens("The cat sat on the mat."), tokens("the cat is on the mat")) - 5.0 / 6) < 1e-12)
        #expect(TextSimilarity.rougeL(tokens("completely different"), tokens("nothing shared")) == 0)
        #expect(TextSimilarity.rougeL(tokens("Same words"), tokens("same, words!")) == 1)
    }

    @Test func bleu() {
        let tokens = TextSimilarity.tokens
        let reference = tokens("the quick brown fox jumps over the lazy dog")
        #expect(TextSimilarity.bleu(reference, references: [reference]) == 1)
        #expect(TextSimilarity.bleu(tokens("purple elephants"), references: [reference]) == 0)
        // Clipped matches: 6 of 7 unigrams ("dogs" is not "dog"), 5 of 6 bigrams, 4 of 5 trigrams and
        // 3 of 4 4-grams, smoothed from n = 2: p = 6/7, 6/7, 5/6, 4/5; brevity penalty exp(1 - 9/7).
        let candidate = tokens("the quick brown fox jumps over dogs")
        let expected = exp(1 - 9.0 / 7) * pow((6.0 / 7) * (6.0 / 7) * (5.0 / 6) * (4.0 / 5), 0.25)
        #expect(abs(TextSimilarity.bleu(candidate, references: [reference]) - expected) < 1e-12)
        // A second reference closer in length removes the brevity penalty.
        let withShort = TextSimilarity.bleu(candidate, references: [reference, tokens("a fox jumps over some dogs today")])
        #expect(withShort > TextSimilarity.bleu(candidate, references: [reference]))
    }

    @Test func gradersScoreTheMeasureAndPassFromTheThreshold() throws {
        let similarity = GraderSpec(.similarity(references: [Template("{{email}}")], threshold: 0.9, ignoreCase: true,
                                                normalize: [.trim]))
        let close = try Grader(similarity).grade(" Dana.Whitfield@northwind.com ", variables: ["email": "dana.whitfield@northwind.com"])
        #expect(close.score == 1 && close.passed)
        #expect(close.reason == "similarity 1.00 to 'dana.whitfield@northwind.com' (passes from 0.90)")
        let typo = try Grader(similarity).grade("dana.whitfeld@northwind.co", variables: ["email": "dana.whitfield@northwind.com"])
        #expect(typo.score > 0.9 && typo.score < 1 && typo.passed)

        let rouge = GraderSpec(.rougeL(references: [Template("refunds within 30 days"), Template("no refunds")], threshold: 0.5))
        let answer = try Grader(rouge).grade("Refunds are accepted within 30 days.", variables: [:])
        #expect(abs(answer.score - 2 * (4.0 / 6) * 1 / (4.0 / 6 + 1)) < 1e-12)
        #expect(answer.reason == "ROUGE-L 0.80 against the closest of 2 references (passes from 0.50)")

        let bleu = GraderSpec(.bleu(references: [Template("the cat is on the mat")], threshold: 0.9), negated: true)
        let negated = try Grader(bleu).grade("the cat is on the mat", variables: [:])
        #expect(negated.score == 0 && !negated.passed)
        #expect(negated.reason == "not: BLEU 1.00 against the reference (passes from 0.90)")
    }
}
