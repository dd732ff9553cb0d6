import Foundation
import Testing
@testable import TradeoffKit

/// The `confidence` grader: exp(mean token logprob) against `min`, and a grader error (never a
/// silent pass) when no usable logprobs were recorded.
struct ConfidenceGraderTests {
    private func grade(_ logprobs: Logprobs?, min: Double = 0.8, negated: Bool = false) throws -> GraderOutcome {
        let grader = try Grader(GraderSpec(.confidence(min: min), negated: negated))
        let context = GradingContext(taskID: "t", caseID: "c", modelID: "m", system: nil, prompt: "p", logprobs: logprobs)
        return grader.evaluate(answer: "Paris", variables: [:], captures: [:], context: context).outcome
    }

    @Test(arguments: [
        (log(0.9), 0.8, true, "mean token probability 0.90 over 3 tokens"),
        (log(0.55), 0.8, false, "mean token probability 0.55 over 3 tokens, below 0.80"),
        (0.0, 1.0, true, "mean token probability 1.00 over 3 tokens"),
        (log(0.8), 0.8, true, "mean token probability 0.80 over 3 tokens"),
    ])
    func passesFromItsMinimumAndScoresTheProbability(mean: Double, min: Double, passed: Bool, reason: String) throws {
        let outcome = try grade(.recorded(mean: mean, tokens: 3), min: min)
        #expect(outcome.passed == passed)
        #expect(outcome.reason == reason)
        #expect(abs(outcome.score - exp(mean)) < 1e-12)
        #expect(outcome.isError == false)
        #expect(outcome.type == "confidence")
    }

    @Test func withoutRecordedLogprobsItIsAGraderError() throws {
        let missing = try grade(nil)
        #expect(missing.isError && !missing.passed && missing.score == 0)
        #expect(missing.reason.hasPrefix("no token logprobs were recorded for this answer"))
        let hostile = try grade(.unusable(reason: "choices[0].logprobs.content[0].logprob is 0.5, but ..."))
        #expect(hostile.isError && !hostile.passed)
        #expect(hostile.reason == "the provider's logprobs cannot be used: choices[0].logprobs.content[0].logprob is 0.5, but ...")
        // A negated grader does not turn a missing signal into a pass either.
        #expect(try grade(nil, negated: true).passed == false)
        // Graded outside a run (no call): an error too.
        let plain = try Grader(GraderSpec(.confidence(min: 0.5))).grade("Paris", variables: [:])
        #expect(plain.isError)
    }

    @Test func aMeanAboveZeroNeverGivesAProbabilityAboveOne() throws {
        let outcome = try grade(.recorded(mean: 2, tokens: 1))
        #expect(outcome.isError && outcome.reason.contains("not a log probability"))
        #expect(Logprobs.probability(5) == 1 && Logprobs.probability(-.infinity) == 0 && Logprobs.probability(.nan) == 0)
        #expect(Logprobs.stored(mean: 0.1, tokens: 1)?.mean == nil)
        #expect(Logprobs.stored(mean: -0.1, tokens: 4) == .recorded(mean: -0.1, tokens: 4))
        #expect(Logprobs.stored(mean: nil, tokens: nil) == nil)
    }
}
