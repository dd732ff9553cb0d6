/// A simulated model acting as an LLM judge: it recognises Tradeoff's default judge prompt,
/// decides whether the graded answer is right, and replies with a JSON verdict.
///
/// The answer is right when it matches what the task family's perfect model answers (trimmed,
/// lowercased, a final `.` dropped), or, for a task the simulation does not know, the reference
/// answer the prompt shows. The judge sees that correctly with probability `accuracy`, and
/// otherwise gives the opposite verdict; with probability `unparseable_verdicts` it words its
/// verdict without JSON. Everything is drawn from the request hash, so the same prompt always
/// gets the same verdict, and the retry after an unparseable verdict (a longer conversation)
/// is a fresh draw.
struct JudgeSimulation {
    /// The first line of Tradeoff's default judge template (`JudgePrompt.defaultTemplate`).
    static let marker = "You are grading an answer to a task."
    /// The first words of Tradeoff's follow-up after an unparseable verdict.
    static let retryMarker = "Your reply could not be read as a verdict"

    /// How the prompt asks for the verdict.
    enum Scale: Hashable {
        case passFail
        case range(low: Int, high: Int)
    }

    var task: String
    var answer: String
    var reference: String?
    var scale: Scale
    /// Whether this request is the follow-up asking again.
    var isRetry: Bool

    /// Reads a judge request from a conversation; nil when it is not one.
    init?(messages: [ChatMessage]) {
        guard let prompt = messages.first(where: { $0.role == "user" })?.content, prompt.hasPrefix(Self.marker),
              let task = Self.section(in: prompt, after: "Task:\n", before: ["\n\nAnswer to grade:\n"]),
              let answer = Self.section(in: prompt, after: "Answer to grade:\n",
                                        before: ["\n\nReference answer:\n", "\n\nRubric:\n"])
        else { return nil }
        self.task = task
        self.answer = answer
        reference = Self.section(in: prompt, after: "Reference answer:\n", before: ["\n\nRubric:\n"])
        if let match = prompt.firstMatch(of: /an integer from (-?\d+) to (-?\d+)/), let low = Int(match.output.1),
           let high = Int(match.output.2) {
            scale = .range(low: low, high: high)
        } else {
            scale = .passFail
        }
        isRetry = messages.count > 1 && messages.last?.role == "user"
            && messages.last?.content.hasPrefix(Self.retryMarker) == true
    }

    /// The text between `start` and the first of `ends` (or the end of the prompt).
    private static func section(in prompt: String, after start: String, before ends: [String]) -> String? {
        guard let open = prompt.range(of: start) else { return nil }
        let rest = prompt[open.upperBound...]
        let close = ends.compactMap { rest.range(of: $0)?.lowerBound }.min() ?? rest.endIndex
        return String(rest[..<close])
    }

    /// Whether the graded answer is right, as far as the simulation can tell; nil when it cannot.
    var answerIsRight: Bool? {
        let family = TaskFamily(prompt: task)
        if family != .unknown { return Self.same(answer, family.correctAnswer) }
        return reference.map { Self.same(answer, $0) }
    }

    private static func same(_ a: String, _ b: String) -> Bool {
        func normalized(_ text: String) -> String {
            var text = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            if text.hasSuffix(".") { text.removeLast() }
            return text
        }
        return normalized(a) == normalized(b)
    }

    /// The verdict `model` replies with; `hash` is the request hash.
    func reply(model: FakeProviderConfig.Model, hash: UInt64) -> (text: String, judgedRight: Bool) {
        let right = answerIsRight
        // Independent bit ranges: whether the judge sees it right, and whether it words it badly.
        let accuracyDraw = Double(hash % 1_000_000) / 1_000_000
        let wordingDraw = Double((hash >> 20) % 1_000_000) / 1_000_000
        let judgedRight = accuracyDraw < model.accuracy
        let verdict = right.map { judgedRight ? $0 : !$0 }
        if wordingDraw < model.unparseableVerdicts {
            return ("Having looked at it carefully, I would say the answer is "
                    + (verdict == true ? "acceptable" : "not quite there") + ".", judgedRight)
        }
        let reasoning: String
        switch right {
        case true?: reasoning = verdict == true ? "The answer is what the task asks for." : "The answer looks off to me."
        case false?: reasoning = verdict == true ? "The answer seems acceptable." : "The answer is not what the task asks for."
        case nil: reasoning = "I cannot tell whether the answer is right."
        }
        let value: String
        switch scale {
        case .passFail: value = #""pass": \#(verdict == true)"#
        case .range(let low, let high):
            value = #""score": \#(verdict == true ? high : verdict == false ? low : (low + high) / 2)"#
        }
        let json = #"{"reasoning": "\#(reasoning)", \#(value)}"#
        return (isRetry ? json : "Checking the answer against the rubric.\n" + json, judgedRight)
    }
}

import Foundation
