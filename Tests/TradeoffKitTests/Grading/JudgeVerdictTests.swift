import Testing
@testable import TradeoffKit

/// Reading verdicts out of judge replies, as judges actually write them.
struct JudgeVerdictTests {
    struct Reply: Sendable, CustomTestStringConvertible {
        var text: String
        var scale: JudgeScale
        var score: Double
        var given: String
        var reasoning: String
        var testDescription: String { String(text.prefix(40)) }
    }

    @Test(arguments: [
        // The requested shape, on one line.
        Reply(text: #"{"reasoning": "The label matches the ticket.", "pass": true}"#, scale: .passFail, score: 1,
              given: "pass", reasoning: "The label matches the ticket."),
        // Thinking out loud first, then the JSON.
        Reply(text: """
            The ticket mentions a double charge, which is a billing matter. The answer says "bug".

            {"reasoning": "A double charge is billing, not a bug.", "pass": false}
            """, scale: .passFail, score: 0, given: "fail", reasoning: "A double charge is billing, not a bug."),
        // A fenced block, keys in another order, no reasoning key: the prose before it is the reasoning.
        Reply(text: """
            Mostly right, but it misses the refund window.
            ```json
            {"score": 3}
            ```
            """, scale: .range(low: 1, high: 5), score: 0.5, given: "3/5",
              reasoning: "Mostly right, but it misses the refund window.\n```json"),
        // An example object in the reasoning, then the real verdict: the last one counts.
        Reply(text: #"A perfect answer would be {"name": "Ana"}. This one is close. {"reasoning": "close", "score": "4"}"#,
              scale: .range(low: 1, high: 5), score: 0.75, given: "4/5", reasoning: "close"),
        // Braces inside strings do not confuse the reader.
        Reply(text: #"{"reasoning": "It printed {oops} instead of JSON", "pass": "FAIL"}"#, scale: .passFail, score: 0,
              given: "fail", reasoning: "It printed {oops} instead of JSON"),
        Reply(text: #"{"explanation": "fine", "passed": "yes"}"#, scale: .passFail, score: 1, given: "pass", reasoning: "fine"),
        Reply(text: #"{"reasoning": "ok", "score": 7.5}"#, scale: .range(low: 0, high: 10), score: 0.75, given: "7.5/10",
              reasoning: "ok"),
    ])
    func readsTheVerdict(_ reply: Reply) throws {
        let verdict = try JudgeVerdict.parse(reply.text, scale: reply.scale).get()
        #expect(verdict.score == reply.score)
        #expect(verdict.given == reply.given)
        #expect(verdict.reasoning == reply.reasoning)
    }

    @Test(arguments: [
        ("The answer is correct.", JudgeScale.passFail, "no JSON verdict in the reply"),
        (#"{"reasoning": "good", "score": 5}"#, .passFail, "the JSON has no 'pass' (it has 'reasoning', 'score')"),
        (#"{"reasoning": "good", "score": 7}"#, .range(low: 1, high: 5), "score 7 is outside the scale 1-5"),
        (#"{"score": "high"}"#, .range(low: 1, high: 5), #"'score' is "high"; expected a number from 1 to 5"#),
        (#"{"pass": "maybe"}"#, .passFail, #"'pass' is "maybe"; expected true or false"#),
        (#"Verdict: {"reasoning": "cut off", "pass": tr"#, .passFail, "no JSON verdict in the reply"),
    ])
    func saysWhyThereIsNoVerdict(_ text: String, _ scale: JudgeScale, _ message: String) {
        #expect(throws: JudgeVerdictProblem(message: message)) { try JudgeVerdict.parse(text, scale: scale).get() }
    }

    @Test func theDefaultPromptShowsEverythingTheJudgeNeeds() {
        let spec = JudgeSpec(judges: [.init(id: "j")], rubric: Template("The label must be {{label}}."),
                             scale: .range(low: 1, high: 5), reference: Template("{{label}}"))
        let prompt = JudgePrompt.render(spec, variables: ["label": "billing", "answer": "case variable"],
                                        prompt: "Classify: I was charged twice", system: nil, answer: "bug")
        #expect(prompt == """
            You are grading an answer to a task. Judge it only by the rubric.

            Task:
            Classify: I was charged twice

            Answer to grade:
            bug

            Reference answer:
            billing

            Rubric:
            The label must be billing.

            Reply with one line of JSON and nothing else: {"reasoning": "<one or two sentences>", "score": <an integer from 1 to 5, where 5 fully meets the rubric and 1 does not meet it at all>}
            """)
        let custom = JudgeSpec(judges: [.init(id: "j")], rubric: Template("r"),
                               template: Template("Q: {{prompt}} A: {{answer}} ({{answer_hint}}) {{verdict_format}}"))
        #expect(JudgePrompt.render(custom, variables: ["answer_hint": "short"], prompt: "p", system: nil, answer: "a")
                == #"Q: p A: a (short) Reply with one line of JSON and nothing else: {"reasoning": "<one or two sentences>", "pass": true or false}"#)
    }
}
