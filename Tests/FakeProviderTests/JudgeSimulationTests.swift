import Foundation
import Testing
@testable import FakeProvider

@Suite("Judge simulation")
struct JudgeSimulationTests {
    /// A prompt in the shape of Tradeoff's default judge template.
    static func prompt(task: String, answer: String, reference: String? = nil, scale: String? = nil) -> String {
        let format = scale.map { #"Reply with one line of JSON and nothing else: {"reasoning": "<one or two sentences>", "score": <an integer from \#($0), where 5 fully meets the rubric>}"# }
            ?? #"Reply with one line of JSON and nothing else: {"reasoning": "<one or two sentences>", "pass": true or false}"#
        return """
            You are grading an answer to a task. Judge it only by the rubric.

            Task:
            \(task)

            Answer to grade:
            \(answer)

            \(reference.map { "Reference answer:\n\($0)\n\n" } ?? "")Rubric:
            The answer must be right.

            \(format)
            """
    }

    private func verdict(_ prompt: String, model: FakeProviderConfig.Model = .init(name: "sim/judge")) -> String {
        Simulator.outcome(model: model, messages: [ChatMessage(role: "user", content: prompt)]).answer
    }

    @Test("A perfect judge passes right answers and fails wrong ones")
    func perfectJudge() {
        let task = "Compute: 12 + 30\nAnswer with the number only."
        #expect(verdict(Self.prompt(task: task, answer: "42")).hasSuffix(#"{"reasoning": "The answer is what the task asks for.", "pass": true}"#))
        #expect(verdict(Self.prompt(task: task, answer: "41")).hasSuffix(#"{"reasoning": "The answer is not what the task asks for.", "pass": false}"#))
        // Unknown tasks are judged against the reference answer; scales use their ends.
        #expect(verdict(Self.prompt(task: "Name the capital of France.", answer: "Paris.", reference: "paris", scale: "1 to 5"))
            .hasSuffix(#""score": 5}"#))
        #expect(verdict(Self.prompt(task: "Name the capital of France.", answer: "Lyon", reference: "Paris", scale: "1 to 5"))
            .hasSuffix(#""score": 1}"#))
        #expect(verdict(Self.prompt(task: "Name the capital of France.", answer: "Paris"))
            .hasSuffix(#"{"reasoning": "I cannot tell whether the answer is right.", "pass": false}"#))
    }

    @Test("The judge errs at its error rate and words verdicts badly at its unparseable rate")
    func rates() {
        let judge = FakeProviderConfig.Model(name: "sim/judge", accuracy: 0.8, unparseableVerdicts: 0.1)
        let replies = (1...1000).map { index in
            Simulator.outcome(model: judge, messages: [ChatMessage(role: "user", content: Self.prompt(
                task: "Compute: \(index) + 1", answer: String(index + 1)))])
        }
        let unparseable = replies.filter { !$0.answer.contains("{") }.count
        #expect(abs(Double(unparseable) / 1000 - 0.1) < 0.03)
        let parsed = replies.filter { $0.answer.contains("{") }
        let passed = parsed.filter { $0.answer.contains(#""pass": true"#) }.count
        #expect(abs(Double(passed) / Double(parsed.count) - 0.8) < 0.05)
        #expect(replies.allSatisfy { $0.answer.contains(#""pass": true"#) == $0.isCorrect || !$0.answer.contains("{") })
    }

    @Test("Asked again after an unparseable verdict, the judge replies with the JSON alone")
    func retry() {
        let judge = FakeProviderConfig.Model(name: "sim/judge", unparseableVerdicts: 0)
        let messages = [
            ChatMessage(role: "user", content: Self.prompt(task: "Compute: 2 + 2", answer: "4")),
            ChatMessage(role: "assistant", content: "Looks fine."),
            ChatMessage(role: "user", content: "Your reply could not be read as a verdict (no JSON verdict in the reply). Reply ..."),
        ]
        #expect(Simulator.outcome(model: judge, messages: messages).answer
            == #"{"reasoning": "The answer is what the task asks for.", "pass": true}"#)
    }

    @Test("unparseable_verdicts is read from the config and checked")
    func config() throws {
        let config = try FakeProviderConfig(yaml: "models:\n  - {name: sim/judge, unparseable_verdicts: 0.25}\n")
        #expect(config.models[0].unparseableVerdicts == 0.25)
        #expect(throws: FakeProviderError.self) {
            try FakeProviderConfig(yaml: "models:\n  - {name: sim/judge, unparseable_verdicts: 2}\n")
        }
    }
}
