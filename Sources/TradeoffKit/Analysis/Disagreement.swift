/// A case the models answered most differently, with what each answered.
public struct Disagreement: Sendable, Hashable {
    /// The task.
    public var taskID: String
    /// The case.
    public var caseID: String
    /// The highest case score minus the lowest, over the models that answered.
    public var spread: Double
    /// Per model id (every model of the run): its answer on the case.
    public var answers: [String: Answer]

    /// One model's answer on the case: its first answered repeat, or its first error.
    public struct Answer: Sendable, Hashable {
        /// The case score (repeats averaged); nil when the model never answered.
        public var score: Double?
        /// The answer text of the first answered repeat.
        public var output: String?
        /// The error class when the model never answered.
        public var errorClass: CallError.Kind?
    }

    /// The `limit` cases with the largest spread (at least two models answered, spread > 0),
    /// largest first, ties in suite order.
    static func top<Source: CallSource>(_ limit: Int, in table: CaseTable, modelIDs: [String],
                                        calls source: Source) throws(Source.Failure) -> [Disagreement] {
        var spreads: [(testCase: Int, spread: Double)] = []
        for testCase in table.keys.indices {
            var low = Double.infinity
            var high = -Double.infinity
            var answered = 0
            for model in modelIDs.indices {
                let score = table.scores[model][testCase]
                guard !score.isNaN else { continue }
                answered += 1
                low = min(low, score)
                high = max(high, score)
            }
            if answered >= 2 && high > low { spreads.append((testCase, high - low)) }
        }
        let chosen = spreads.sorted { $0.spread != $1.spread ? $0.spread > $1.spread : $0.testCase < $1.testCase }
            .prefix(limit)
        let calls = try table.shownCalls(on: chosen.map(\.testCase), from: source)
        return chosen.map { testCase, spread in
            var answers: [String: Answer] = [:]
            for (model, id) in modelIDs.enumerated() {
                let score = table.scores[model][testCase]
                let first = Int(table.firstAnswer[model][testCase])
                let failure = Int(table.firstFailure[model][testCase])
                answers[id] = Answer(score: score.isNaN ? nil : score, output: first >= 0 ? calls[first]?.output : nil,
                                     errorClass: first < 0 && failure >= 0 ? calls[failure]?.errorClass : nil)
            }
            let key = table.keys[testCase]
            return Disagreement(taskID: key.taskID, caseID: key.caseID, spread: spread, answers: answers)
        }
    }
}
