import Foundation

/// Scores answers for one grader spec. Regexes are compiled once, when the grader is made.
///
/// Judges are not graded here (they call models): `CaseGrader` runs them through a `JudgeAsking`.
public struct Grader: Sendable {
    /// The spec graded.
    public let spec: GraderSpec
    let regex: NSRegularExpression?
    /// The named groups of a `regex` grader: the graders after it can use them as variables
    /// (`{{name}}`) and grade them (`on: name`).
    let captureNames: [String]
    /// The refusal rules of a `not-refusal` grader, with the suite's patterns compiled.
    let refusal: RefusalCheck?

    /// Makes a grader; throws when the spec's regex (or a `not-refusal` pattern) does not
    /// compile (loading checks this first).
    public init(_ spec: GraderSpec) throws {
        self.spec = spec
        if case .notRefusal(let patterns) = spec.kind {
            refusal = try RefusalCheck(patterns: patterns)
        } else {
            refusal = nil
        }
        if case .regex(let pattern, let ignoreCase, let flags, _) = spec.kind {
            regex = try NSRegularExpression(pattern: pattern, options: Self.options(ignoreCase: ignoreCase, flags: flags))
            captureNames = Self.groupNames(in: pattern)
        } else {
            regex = nil
            captureNames = []
        }
    }

    /// Scores `answer` for a case with `variables` (which fill the spec's templates).
    ///
    /// A judge grader gives a grader error here: judges are run by `CaseGrader` through a `JudgeAsking`.
    public func grade(_ answer: String, toolCalls: [ToolCall] = [], variables: [String: String]) -> GraderOutcome {
        evaluate(answer: answer, toolCalls: toolCalls, variables: variables, captures: [:], context: nil).outcome
    }

    /// What one grader concluded, and the named groups a regex captured.
    struct Evaluation {
        var outcome: GraderOutcome
        var captures: [String: String] = [:]
    }

    /// How a grader saw the answer, before weight, metric and `not:` are applied.
    struct Check {
        var passed: Bool
        /// The score; nil means 1 when passed, else 0.
        var score: Double?
        var reason: String
        var extracted: String?
        var isError = false
        var captures: [String: String] = [:]

        init(_ passed: Bool, _ reason: String, score: Double? = nil, extracted: String? = nil) {
            self.passed = passed
            self.reason = reason
            self.score = score
            self.extracted = extracted
        }

        /// A grader error: the grader could not grade (a bad expected value, a failed command).
        static func error(_ reason: String) -> Check {
            var check = Check(false, reason)
            check.isError = true
            return check
        }
    }

    /// Grades `answer` (or the capture `spec.input` names) or, for a tool grader, `toolCalls`,
    /// with `variables` and the named groups earlier regexes `captures`d filling the templates.
    func evaluate(answer: String, toolCalls: [ToolCall] = [], variables: [String: String], captures: [String: String],
                  context: GradingContext?) -> Evaluation {
        var text = answer
        if let name = spec.input {
            guard let captured = captures[name] else {
                return finish(Check(false, "nothing captured as '\(name)' (the regex capturing it did not match)"))
            }
            text = captured
        }
        let variables = variables.merging(captures) { $1 }
        let check: Check
        switch spec.kind {
        case .exact, .contains, .notContains, .containsAny, .containsAll, .startsWith, .regex, .oneOf, .length:
            check = checkText(text, variables: variables)
        case .numeric, .choice:
            check = checkChoiceOrNumber(text, variables: variables)
        case .jsonValid, .jsonSchema, .jsonPath:
            check = checkJSON(text, variables: variables)
        case .similarity, .rougeL, .bleu:
            check = checkSimilarity(text, variables: variables)
        case .command(let command):
            check = CommandGrader(command).run(answer: text, variables: variables, context: context)
        case .judge:
            check = .error("judge graders run only within `tradeoff run` or `tradeoff grade`")
        case .toolCall, .noToolCall, .toolCallCount:
            check = checkTools(toolCalls, variables: variables)
        case .confidence:
            check = checkConfidence(context?.logprobs)
        case .notRefusal:
            check = checkRefusal(text, context: context)
        }
        return finish(check)
    }

    private func finish(_ check: Check) -> Evaluation {
        let outcome: GraderOutcome
        if check.isError {
            outcome = .error(type: spec.typeName, weight: spec.weight, metric: spec.metric, reason: check.reason)
        } else {
            let score = min(1, max(0, check.score ?? (check.passed ? 1 : 0)))
            let plain = GraderOutcome(type: spec.typeName, score: score, passed: check.passed, weight: spec.weight,
                                      reason: check.reason, metric: spec.metric, extracted: check.extracted)
            outcome = spec.negated ? plain.negated() : plain
        }
        return Evaluation(outcome: outcome, captures: check.captures)
    }

    /// Applies `normalizations` in order.
    public static func normalized(_ text: String, _ normalizations: [Normalization]) -> String {
        Normalization.apply(normalizations, to: text)
    }

    /// Quotes a value for a reason, cut to 60 characters so stored reasons stay short.
    static func quoted(_ text: String) -> String {
        let cut = text.count > 60 ? String(text.prefix(57)) + "..." : text
        // Most answers are one line: skip Foundation's search when there is no newline to find.
        return "'" + (cut.utf8.contains(0x0A) ? cut.replacingOccurrences(of: "\n", with: "\\n") : cut) + "'"
    }

    /// `0.93`: measures in reasons.
    static func measure(_ value: Double) -> String { String(format: "%.2f", value) }

    static func options(ignoreCase: Bool, flags: RegexFlags) -> NSRegularExpression.Options {
        var options: NSRegularExpression.Options = []
        if ignoreCase { options.insert(.caseInsensitive) }
        if flags.contains(.multiline) { options.insert(.anchorsMatchLines) }
        if flags.contains(.dotMatchesLineSeparators) { options.insert(.dotMatchesLineSeparators) }
        if flags.contains(.extended) { options.insert(.allowCommentsAndWhitespace) }
        return options
    }

    /// The names of `(?<name>...)` groups, in order.
    static func groupNames(in pattern: String) -> [String] {
        var names: [String] = []
        for match in pattern.matches(of: /(\\*)\(\?<([A-Za-z][A-Za-z0-9]*)>/) where match.output.1.count % 2 == 0 {
            // An odd run of backslashes escapes the `(`: `\(?<x>` is literal text.
            let name = String(match.output.2)
            if !names.contains(name) { names.append(name) }
        }
        return names
    }
}

/// What a command grader (or a `confidence` or `not-refusal` grader) is told about the call
/// besides the answer.
public struct GradingContext: Sendable, Hashable {
    /// The task's id.
    public var taskID: String
    /// The case's id.
    public var caseID: String
    /// The candidate model's catalog id.
    public var modelID: String
    /// The system prompt sent, if any.
    public var system: String?
    /// The user prompt sent.
    public var prompt: String
    /// The answer's token logprobs, for a `confidence` grader; nil when none were recorded.
    public var logprobs: Logprobs?
    /// Why the answer ended, for a `not-refusal` grader; nil when not recorded.
    public var finishReason: FinishReason?
    /// The finish reason as the provider sent it (`refusal`, `SAFETY`, ...), for the grader's reason.
    public var finishReasonRaw: String?

    /// Creates a context.
    public init(taskID: String, caseID: String, modelID: String, system: String?, prompt: String,
                logprobs: Logprobs? = nil, finishReason: FinishReason? = nil, finishReasonRaw: String? = nil) {
        self.taskID = taskID
        self.caseID = caseID
        self.modelID = modelID
        self.system = system
        self.prompt = prompt
        self.logprobs = logprobs
        self.finishReason = finishReason
        self.finishReasonRaw = finishReasonRaw
    }
}
