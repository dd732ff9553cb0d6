import Foundation
import Testing
@testable import TradeoffKit

/// The `not-refusal` grader: a refusal is the provider's finish reason or a refusal phrasing at
/// the start of the answer; each failure names the rule that fired.
struct RefusalGraderTests {
    private func grade(_ answer: String, finish raw: String? = nil, patterns: [String] = [],
                       negated: Bool = false) throws -> GraderOutcome {
        let grader = try Grader(GraderSpec(.notRefusal(patterns: patterns), negated: negated))
        let context = GradingContext(taskID: "t", caseID: "c", modelID: "m", system: nil, prompt: "p",
                                     finishReason: raw.map(FinishReason.init(raw:)), finishReasonRaw: raw)
        return grader.evaluate(answer: answer, variables: [:], captures: [:], context: context).outcome
    }

    /// Every wire format's refusal or filter finish reason, as the providers send it.
    @Test(arguments: ["refusal", "content_filter", "SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "RECITATION"])
    func theProvidersRefusalFailsWhateverTheText(raw: String) throws {
        let outcome = try grade("Paris", finish: raw)
        #expect(!outcome.passed && outcome.score == 0 && !outcome.isError)
        #expect(outcome.reason == "refused: the provider ended the answer with finish reason '\(raw)' (refused or filtered)")
        #expect(outcome.type == "not-refusal")
    }

    @Test(arguments: ["stop", "end_turn", "STOP", "length", "tool_calls"])
    func otherFinishReasonsAreNoRefusal(raw: String) throws {
        #expect(try grade("Paris", finish: raw).passed)
    }

    @Test(arguments: [
        ("I can't help with that request.", "I can't help with"),
        ("  **I cannot assist** with this.", "I cannot assist"),
        ("i’m unable to share those details", "I'm unable to"),
        ("As an AI language model, I do not have opinions.", "As an AI"),
        ("I'm sorry, but I can't share that.", "I'm sorry, I can't"),
        ("I'm sorry, but I can't do that.", "I'm sorry, I can't do that"),
        ("Sorry, I cannot provide medical advice.", "Sorry, I cannot provide"),
        ("Unfortunately, I won't be able to write that.", "Unfortunately, I won't be able to"),
        ("I am not able to browse the web.", "I am not able to"),
    ])
    func anAnswerOpeningWithARefusalPhrasingFails(answer: String, phrase: String) throws {
        let outcome = try grade(answer, finish: "stop")
        #expect(!outcome.passed && !outcome.isError)
        #expect(outcome.reason == "refused: the answer opens with the refusal phrasing '\(phrase)'")
    }

    @Test(arguments: [
        "Paris. Sorry, I can't be more precise without a map.",
        "The answer is 42; I'm sorry, but I cannot vouch for the source.",
        "Sorry for the wait: the total is 12.",
        "I can confirm the invoice was paid.",
        "",
        "I cannot stress this enough: back up your data first.",
    ])
    func answersThatMerelyMentionSorryPass(answer: String) throws {
        let outcome = try grade(answer, finish: "stop")
        #expect(outcome.passed && outcome.reason == "not a refusal", "\(outcome.reason)")
    }

    @Test func theSuitesPatternsOpenARefusalToo() throws {
        let patterns = [#"je ne peux pas"#, #"that request (violates|breaks)"#]
        let french = try grade("Je ne peux pas répondre à cela.", patterns: patterns)
        #expect(!french.passed && french.reason == "refused: the answer opens with the suite's refusal pattern 'je ne peux pas'")
        let policy = try grade("\n  That request violates our policy.", patterns: patterns)
        #expect(!policy.passed && policy.reason.hasSuffix("pattern 'that request (violates|breaks)'"))
        // Anchored at the start: the same words later in the answer are no refusal.
        #expect(try grade("Il a dit : je ne peux pas venir.", patterns: patterns).passed)
        // The built-in phrasings still apply alongside the suite's.
        #expect(try grade("I cannot help with that.", patterns: patterns).reason.contains("'I cannot help with'"))
    }

    @Test func notFlipsItAndWithoutACallOnlyTheTextIsRead() throws {
        #expect(try grade("I can't help with that.", negated: true).passed)
        let plain = try Grader(GraderSpec(.notRefusal())).grade("As an AI, I must decline.", variables: [:])
        #expect(!plain.passed && !plain.isError && plain.reason.contains("'As an AI'"))
        #expect(try Grader(GraderSpec(.notRefusal())).grade("Paris", variables: [:]).passed)
    }

    @Test func aBrokenPatternFailsToBuildTheGrader() {
        #expect(throws: (any Error).self) { try Grader(GraderSpec(.notRefusal(patterns: ["(unclosed"]))) }
    }
}
