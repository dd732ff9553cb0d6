/// The cases a report shows one by one, with every model's answer and how it was graded.
///
/// A big run has more cases than a page can hold, so at most `limit` are kept: the cases the
/// models disagree on first (widest spread first, as in the Markdown's disagreement table), then
/// the cases some model failed or could not answer, then the rest, each group in suite order.
/// `leftOut` says how many did not fit; the calls CSV has them all.
public struct CaseDrillDown: Sendable, Hashable {
    /// Cases a page shows by default: enough for any demo or CI suite, a few MB at most.
    public static let defaultLimit = 500

    /// The run's models, in run order; each case has one answer per model, in this order.
    public var modelIDs: [String]
    /// The run's tasks, in suite order.
    public var taskIDs: [String]
    /// The cases kept, disagreements first.
    public var cases: [Case]
    /// Cases in the run.
    public var caseCount: Int
    /// Cases the models disagree on, in the whole run (kept or not).
    public var disagreementCount: Int
    /// The most repeats any case got.
    public var repeats: Int
    /// Whether the cases' variables were read from the store (`fill(grades:variables:)`); the
    /// summary's cases carry none.
    public var hasVariables = false

    /// Cases in the run not kept.
    public var leftOut: Int { caseCount - cases.count }

    /// One case: its identity, what it was asked with, and each model's answer.
    public struct Case: Sendable, Hashable {
        /// The task's position in `taskIDs`.
        public var task: Int
        /// The task id.
        public var taskID: String
        /// The case id.
        public var caseID: String
        /// The case's variables, when read from the store.
        public var variables: [String: String]?
        /// Highest case score minus lowest, over the models that answered; nil when fewer than two did.
        public var spread: Double?
        /// One per model, in run order.
        public var answers: [Answer]

        /// Whether the models' scores differ (the Markdown's "disagree most" cases are these).
        public var modelsDisagree: Bool { (spread ?? 0) > 0 }
        /// Whether some model failed the case or could not answer it.
        public var someModelFailed: Bool { answers.contains { $0.outcome == .failed || $0.outcome == .error } }
    }

    /// One model's answer on a case.
    public struct Answer: Sendable, Hashable {
        /// The model id.
        public var modelID: String
        /// Passed, failed, error, or no call at all.
        public var outcome: Outcome
        /// The case score, repeats averaged; nil when the model never answered.
        public var score: Double?
        /// The answered call of lowest repeat, else the first failed call; nil without a call.
        public var call: ReportCall?
    }

    /// What came of a model's calls on a case.
    public enum Outcome: String, Sendable, Hashable {
        /// Passed in most of its answered repeats.
        case passed
        /// Answered, and did not pass.
        case failed
        /// Never answered: every call failed.
        case error
        /// No call was made (a partial run).
        case missing
    }

    /// The ids of the shown calls whose grades the summary's calls lack (`ResultStore.reportCalls`
    /// reads only the grades the Grading section needs): the ones to read for every grader's reason.
    public var callIDsWithoutGrades: [Int64] {
        cases.flatMap { $0.answers.compactMap { answer in
            guard let call = answer.call, call.errorClass == nil, call.grades == nil else { return nil }
            return call.id
        } }
    }

    /// Adds what the summary's rows do not carry, read from the store for the cases shown alone.
    ///
    /// - Parameters:
    ///   - grades: Per call id, its `grades` JSON (for `callIDsWithoutGrades`).
    ///   - variables: Per case shown, in order, its variables; nil for a case not found.
    public mutating func fill(grades: [Int64: String], variables: [[String: String]?]) {
        for index in cases.indices {
            for answer in cases[index].answers.indices {
                guard let id = cases[index].answers[answer].call?.id, let text = grades[id] else { continue }
                cases[index].answers[answer].call?.grades = text
            }
            if index < variables.count { cases[index].variables = variables[index] }
        }
        hasVariables = variables.count == cases.count
    }
}

extension RunSummary {
    /// The cases a page shows one by one (see `CaseDrillDown`), built from the calls this summary
    /// was built from; nil when they plainly are other calls (another count, another first or
    /// last call), whose positions the summary does not know.
    ///
    /// - Parameters:
    ///   - calls: The calls given to `init`, in the same order.
    ///   - limit: The most cases kept.
    public func drillDown(calls: [ReportCall], limit: Int = CaseDrillDown.defaultLimit) -> CaseDrillDown? {
        // As `orderOfOwnCalls` checks: same count, same first and last call's model and case
        // (comparing every call again is linear work on a big run for nothing).
        func matches(_ position: Int) -> Bool {
            let model = Int(table.modelOfCall[position])
            return table.keys[Int(table.caseOfCall[position])] == CaseKey(taskID: calls[position].taskId, caseID: calls[position].caseId)
                && (model < 0 || models[model].modelID == calls[position].modelId)
        }
        guard calls.count == table.modelOfCall.count, calls.isEmpty || (matches(0) && matches(calls.count - 1))
        else { return nil }
        return drillDown(ownCalls: calls, limit: limit)
    }

    /// The cases a page shows one by one (see `CaseDrillDown`), from `calls`: the calls this
    /// summary was built from, in the same order (`loadWithCalls(from:runID:settings:)`).
    ///
    /// - Throws: What reading the calls shown throws.
    public func drillDown<Source: CallSource>(ownCalls calls: Source, limit: Int = CaseDrillDown.defaultLimit)
        throws(Source.Failure) -> CaseDrillDown {
        let modelIDs = models.map(\.modelID)
        func answers(_ testCase: Int, _ calls: [Int: ReportCall]) -> [CaseDrillDown.Answer] {
            modelIDs.indices.map { model in
                let score = table.scores[model][testCase]
                let (first, failure) = (table.firstAnswer[model][testCase], table.firstFailure[model][testCase])
                let outcome: CaseDrillDown.Outcome = !score.isNaN ? (table.passes[model][testCase] > 0.5 ? .passed : .failed)
                    : failure >= 0 ? .error : .missing
                let call = Int(first >= 0 ? first : failure)
                return CaseDrillDown.Answer(modelID: modelIDs[model], outcome: outcome, score: score.isNaN ? nil : score,
                                            call: call >= 0 ? calls[call] : nil)
            }
        }
        func spread(_ testCase: Int) -> Double? {
            let scores = modelIDs.indices.map { table.scores[$0][testCase] }.filter { !$0.isNaN }
            guard scores.count >= 2, let low = scores.min(), let high = scores.max() else { return nil }
            return high - low
        }
        var disagreeing: [(testCase: Int, spread: Double)] = []
        var failing: [Int] = []
        var rest: [Int] = []
        for testCase in table.keys.indices {
            let spread = spread(testCase) ?? 0
            if spread > 0 {
                disagreeing.append((testCase, spread))
            } else if modelIDs.indices.contains(where: { model in
                let score = table.scores[model][testCase]
                return score.isNaN ? table.firstFailure[model][testCase] >= 0 : table.passes[model][testCase] <= 0.5
            }) {
                failing.append(testCase)
            } else {
                rest.append(testCase)
            }
        }
        disagreeing.sort { $0.spread != $1.spread ? $0.spread > $1.spread : $0.testCase < $1.testCase }
        let chosen = (disagreeing.map(\.testCase) + failing + rest).prefix(max(0, limit))
        let shown = try table.shownCalls(on: chosen, from: calls)
        let cases = chosen.map { testCase in
            let key = table.keys[testCase]
            return CaseDrillDown.Case(task: table.taskOfCase[testCase], taskID: key.taskID, caseID: key.caseID,
                                      spread: spread(testCase), answers: answers(testCase, shown))
        }
        return CaseDrillDown(modelIDs: modelIDs, taskIDs: table.taskIDs, cases: cases, caseCount: table.keys.count,
                             disagreementCount: disagreeing.count, repeats: table.repeats)
    }
}
