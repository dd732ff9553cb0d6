import Crypto
import Foundation
import Synchronization

/// The graders of one case, ready to score answers.
///
/// Graders run in order (the task's, then the case's), so a regex's named groups are variables
/// of the graders after it. Judges run last, concurrently, through a `JudgeAsking` (the runner's
/// `JudgePool`); the grade is complete when every judge has answered.
public struct CaseGrader: Sendable {
    private let graders: [Grader]
    private let threshold: Double?

    /// Makes the graders of a case: its task's, already made (so a task's regexes are compiled
    /// once, not once per case), then the case's own (`caseGraders`).
    ///
    /// - Parameter threshold: the weighted score at which the case passes; nil when every grader
    ///   must pass instead.
    /// - Throws: When a grader's regex does not compile (loading reports these first).
    init(taskGraders: [Grader], caseGraders: [GraderSpec], threshold: Double?) throws {
        graders = caseGraders.isEmpty ? taskGraders : try taskGraders + caseGraders.map(Grader.init)
        self.threshold = threshold
    }

    /// Whether grading needs judge calls.
    public var usesJudges: Bool { graders.contains { $0.spec.judge != nil } }

    /// Whether grading runs commands, which block while they run: call `grade` off Dispatch's
    /// pool then (`Thread.detachNewThread`), or they can hold every worker.
    public var usesCommands: Bool {
        graders.contains { if case .command = $0.spec.kind { true } else { false } }
    }

    /// Grades one answer without judges: a judge grader is a grader error here.
    public func grade(_ answer: String, toolCalls: [ToolCall] = [], variables: [String: String]) -> CaseGrade {
        var captures: [String: String] = [:]
        let outcomes = graders.map { grader in
            let evaluation = grader.evaluate(answer: answer, toolCalls: toolCalls, variables: variables, captures: captures,
                                             context: nil)
            captures.merge(evaluation.captures) { $1 }
            return evaluation.outcome
        }
        return CaseGrade(outcomes: Self.marked(outcomes, graders), threshold: threshold)
    }

    /// `outcomes` (one per grader, in order) with the online graders' marked as such.
    private static func marked(_ outcomes: [GraderOutcome], _ graders: [Grader]) -> [GraderOutcome] {
        guard outcomes.count == graders.count, graders.contains(where: \.spec.online) else { return outcomes }
        return zip(outcomes, graders).map { outcome, grader in
            var outcome = outcome
            outcome.online = grader.spec.online
            return outcome
        }
    }

    /// A graded answer and what judging it took.
    struct Graded: Sendable {
        var grade: CaseGrade
        /// Every judge call made (or verdict reused), in grader and judge order.
        var judgeCalls: [JudgeCallRecord]

        /// What the judge calls made cost; nil when none was made or none is priced.
        var judgeCostMicros: Int64? {
            let costs = judgeCalls.filter { !$0.isReused }.compactMap(\.costMicros)
            return costs.isEmpty ? nil : costs.reduce(0, +)
        }
    }

    /// Grades one answer, judges included.
    ///
    /// - Parameters:
    ///   - context: The call, for command graders and the judge's prompt.
    ///   - runID: The run the judge calls are recorded in.
    ///   - pool: Calls the judges; without one, judges are grader errors.
    ///   - reusable: Judge calls about this same answer in an earlier run (`tradeoff grade`): a
    ///     verdict from the same judge on the same prompt is reused instead of asking again.
    ///   - completion: Receives the grade; called on this thread when no judge needs calling,
    ///     otherwise on the pool's queue.
    func grade(_ answer: String, toolCalls: [ToolCall] = [], variables: [String: String], context: GradingContext,
               runID: Int64, pool: (any JudgeAsking)?,
               reusable: [JudgeCallRecord] = [], completion: @escaping @Sendable (Graded) -> Void) {
        var outcomes: [GraderOutcome?] = []
        var pending: [(index: Int, spec: JudgeSpec, prompt: String)] = []
        var captures: [String: String] = [:]
        for (index, grader) in graders.enumerated() {
            guard let judge = grader.spec.judge, pool != nil else {
                let evaluation = grader.evaluate(answer: answer, toolCalls: toolCalls, variables: variables,
                                                 captures: captures, context: context)
                captures.merge(evaluation.captures) { $1 }
                outcomes.append(evaluation.outcome)
                continue
            }
            var text = answer
            if let name = grader.spec.input {
                guard let captured = captures[name] else {
                    outcomes.append(GraderOutcome(type: "judge", score: 0, passed: false, weight: grader.spec.weight,
                                                  reason: "nothing captured as '\(name)' (the regex capturing it did not match)",
                                                  metric: grader.spec.metric))
                    continue
                }
                text = captured
            }
            let prompt = JudgePrompt.render(judge, variables: variables.merging(captures) { $1 }, prompt: context.prompt,
                                            system: context.system, answer: text)
            outcomes.append(nil)
            pending.append((index, judge, prompt))
        }
        guard let pool, !pending.isEmpty else {
            completion(Graded(grade: CaseGrade(outcomes: Self.marked(outcomes.compactMap { $0 }, graders), threshold: threshold),
                              judgeCalls: []))
            return
        }

        // One slot per (judge grader, judge model), filled as verdicts come in.
        let requests = pending.flatMap { item in item.spec.judges.map { (item, $0) } }
        let collected = Mutex((results: [JudgeResult?](repeating: nil, count: requests.count), remaining: requests.count))
        let graders = graders, threshold = threshold, judged = pending, known = outcomes
        let finish: @Sendable () -> Void = {
            let results = collected.withLock { $0.results.map { $0! } }
            var outcomes = known
            var position = 0
            for item in judged {
                let spec = graders[item.index].spec
                let mine = Array(results[position..<position + item.spec.judges.count])
                position += item.spec.judges.count
                outcomes[item.index] = Self.outcome(spec, judge: item.spec, judges: item.spec.judges, results: mine)
            }
            completion(Graded(grade: CaseGrade(outcomes: Self.marked(outcomes.map { $0! }, graders), threshold: threshold),
                              judgeCalls: results.flatMap(\.records)))
        }
        let store: @Sendable (Int, JudgeResult) -> Void = { slot, result in
            let done = collected.withLock { state in
                state.results[slot] = result
                state.remaining -= 1
                return state.remaining == 0
            }
            if done { finish() }
        }
        for (slot, (item, judge)) in requests.enumerated() {
            guard let entry = judge.entry else {
                store(slot, JudgeResult(verdict: nil, problem: "judge model '\(judge.id)' is not in the catalog",
                                             records: []))
                continue
            }
            let hash = Self.promptHash(judge: entry, spec: item.spec, prompt: item.prompt)
            if let earlier = reusable.first(where: { $0.judgeModelId == entry.id && $0.promptSha256 == hash && $0.score != nil }) {
                var copy = earlier
                copy.id = nil
                copy.callId = nil
                copy.runId = runID
                copy.graderIndex = item.index
                copy.reusedFrom = earlier.reusedFrom ?? earlier.id
                let verdict = JudgeVerdict(score: earlier.score!, given: earlier.verdict ?? "", reasoning: earlier.reasoning ?? "")
                store(slot, JudgeResult(verdict: verdict, problem: nil, records: [copy]))
                continue
            }
            pool.verdict(JudgeRequest(judge: entry, scale: item.spec.scale, maxTokens: item.spec.maxTokens,
                                           prompt: item.prompt, promptHash: hash, runID: runID, graderIndex: item.index)) {
                store(slot, $0)
            }
        }
    }

    /// The outcome of one judge grader from its judges' results.
    static func outcome(_ spec: GraderSpec, judge: JudgeSpec, judges: [JudgeSpec.Judge],
                        results: [JudgeResult]) -> GraderOutcome {
        let opinions = zip(judges, results).map { judgeRef, result -> JudgeOpinion in
            let made = result.records.filter { !$0.isReused }
            let costs = made.compactMap(\.costMicros)
            let reused = !result.records.isEmpty && made.isEmpty
            guard let verdict = result.verdict else {
                return JudgeOpinion(model: judgeRef.id, score: nil, passed: nil, reason: result.problem ?? "no verdict",
                                    isError: true, costMicros: costs.isEmpty ? nil : costs.reduce(0, +), calls: made.count)
            }
            let passed = judge.scale == .passFail ? verdict.score >= 1 : verdict.score + 1e-9 >= judge.threshold
            return JudgeOpinion(model: judgeRef.id, score: verdict.score, passed: passed, verdict: verdict.given,
                                reason: verdict.reasoning, costMicros: costs.isEmpty ? nil : costs.reduce(0, +),
                                calls: made.count, reused: reused)
        }
        let graded = opinions.filter { !$0.isError }
        guard !graded.isEmpty else {
            let reason = opinions.map { "\($0.model): \($0.reason)" }.joined(separator: "; ")
            return .error(type: "judge", weight: spec.weight, metric: spec.metric, reason: reason, judges: opinions)
        }
        let score = graded.compactMap(\.score).reduce(0, +) / Double(graded.count)
        let passed = score + 1e-9 >= judge.threshold
        var reason: String
        if opinions.count == 1, let only = graded.first {
            reason = "\(only.model): \(only.verdict ?? Grader.measure(score))"
            if !only.reason.isEmpty { reason += " — " + Self.cut(only.reason, to: 160) }
        } else {
            reason = "mean \(Grader.measure(score)) of \(graded.count) judges ("
                + graded.map { "\($0.model): \($0.verdict ?? Grader.measure($0.score ?? 0))" }.joined(separator: ", ") + ")"
            let failed = opinions.filter(\.isError).map(\.model)
            if !failed.isEmpty { reason += "; no verdict from \(Suggestions.list(failed, conjunction: "and"))" }
        }
        let outcome = GraderOutcome(type: "judge", score: score, passed: passed, weight: spec.weight, reason: reason,
                                    metric: spec.metric, judges: opinions)
        return spec.negated ? outcome.negated() : outcome
    }

    /// SHA-256 of what decides a verdict: the judge, its output limit, the scale and the prompt.
    static func promptHash(judge: ModelEntry, spec: JudgeSpec, prompt: String) -> String {
        var hasher = SHA256()
        hasher.update(data: Data("\(judge.id)\n\(judge.model)\n\(spec.scale)\n\(spec.maxTokens)\n\(prompt)".utf8))
        return hasher.finalize().hexString
    }

    private static func cut(_ text: String, to length: Int) -> String {
        let line = text.replacingOccurrences(of: "\n", with: " ")
        return line.count > length ? String(line.prefix(length - 3)) + "..." : line
    }
}

extension CallRecord {
    /// Records a grade: score (NULL when no grader could grade), pass, every grader's outcome,
    /// the grader errors and what judging cost.
    mutating func apply(_ graded: CaseGrader.Graded) {
        let grade = graded.grade
        score = grade.isGraded ? grade.score : nil
        passed = grade.passed
        grades = GraderOutcome.json(of: grade.outcomes)
        graderErrors = grade.errorCount
        judgeCostMicros = graded.judgeCostMicros
    }
}
