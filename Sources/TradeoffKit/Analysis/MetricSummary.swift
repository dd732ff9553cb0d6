/// What the graders said beyond each case's score: per-metric scores per model, grader errors,
/// and the cost of evaluating (the judges), kept apart from the candidates' cost.
///
/// Built from the calls' stored grades. Runs without named metrics, judges or grader errors
/// have nothing here (`isEmpty`), and their grades are not even decoded.
public struct GradingSummary: Sendable, Hashable {
    /// One model's score on one metric.
    public struct MetricScore: Sendable, Hashable {
        /// Mean over the answers graded on the metric of their metric score (the weighted mean
        /// of the metric's graders on that answer).
        public var score: Double
        /// The share of those answers on which every grader of the metric passed.
        public var passRate: Double
        /// Answers graded on the metric.
        public var answers: Int
    }

    /// What one judge model did and cost.
    public struct JudgeSpend: Sendable, Hashable {
        /// The judge's catalog id.
        public var modelID: String
        /// Answers it gave a verdict on.
        public var verdicts: Int
        /// Answers it gave no verdict on (its calls failed, or its verdict could not be read twice).
        public var errors: Int
        /// Calls made (a retry after an unreadable verdict is a second call).
        public var calls: Int
        /// Verdicts reused from an earlier run by `tradeoff grade` (not paid again).
        public var reused: Int
        /// What its calls cost, micro-dollars; nil when none of them had a price.
        public var costMicros: Int64?
    }

    /// How often the judges of one grader agree on pass or fail.
    public struct Agreement: Sendable, Hashable {
        /// `task / metric` (or `task / judge 2` for a grader without a metric).
        public var label: String
        /// The judges.
        public var judges: [String]
        /// Answers with a verdict from at least two judges.
        public var answers: Int
        /// Of those, the answers on which every judge's pass or fail was the same.
        public var agreed: Int
    }

    /// Named metrics, in order of first appearance.
    public var metrics: [String] = []
    /// Per metric, per model id.
    public var scores: [String: [String: MetricScore]] = [:]
    /// Grader errors per model id.
    public var graderErrors: [String: Int] = [:]
    /// Answers on which no grader could grade, per model id (they have no score, and count as 0).
    public var ungraded: [String: Int] = [:]
    /// One example reason of a grader error, per model id.
    public var errorExamples: [String: String] = [:]
    /// Judge models, in order of first appearance.
    public var judges: [JudgeSpend] = []
    /// Agreement of graders with several judges.
    public var agreements: [Agreement] = []
    /// Judges that are also candidates of the run: they graded their own answers.
    public var candidateJudges: [String] = []

    /// What judging cost, micro-dollars; nil when no judge call had a price.
    public var judgeCostMicros: Int64? {
        let costs = judges.compactMap(\.costMicros)
        return costs.isEmpty ? nil : costs.reduce(0, +)
    }

    /// Whether there is nothing to show: no metric, no judge, no grader error.
    public var isEmpty: Bool { metrics.isEmpty && judges.isEmpty && graderErrors.isEmpty }

    /// Summarizes the grades of `calls` (of models `modelIDs`).
    public init(calls: [ReportCall], modelIDs: [String]) {
        var metricTotals: [String: [String: (score: Double, passed: Int, answers: Int)]] = [:]
        var spends: [String: JudgeSpend] = [:]
        var judgeOrder: [String] = []
        var agreementIndex: [String: Int] = [:]
        for call in calls where call.output != nil {
            if call.graderErrors > 0 {
                graderErrors[call.modelId, default: 0] += call.graderErrors
                if call.score == nil { ungraded[call.modelId, default: 0] += 1 }
            }
            // Most runs name no metric and use no judge: skip decoding their grades.
            guard call.graderErrors > 0 || call.grades.map(Self.mayMatter) == true else { continue }
            let outcomes = call.graderOutcomes
            if call.graderErrors > 0, errorExamples[call.modelId] == nil,
               let error = outcomes.first(where: \.isError) {
                errorExamples[call.modelId] = "\(error.type): \(error.reason)"
            }

            var perMetric: [String: (weighted: Double, weight: Double, allPassed: Bool)] = [:]
            for outcome in outcomes where !outcome.isError {
                guard let metric = outcome.metric else { continue }
                if !metrics.contains(metric) { metrics.append(metric) }
                var entry = perMetric[metric] ?? (0, 0, true)
                entry.weighted += outcome.score * outcome.weight
                entry.weight += outcome.weight
                entry.allPassed = entry.allPassed && outcome.passed
                perMetric[metric] = entry
            }
            for (metric, entry) in perMetric where entry.weight > 0 {
                var total = metricTotals[metric, default: [:]][call.modelId] ?? (0, 0, 0)
                total.score += entry.weighted / entry.weight
                total.passed += entry.allPassed ? 1 : 0
                total.answers += 1
                metricTotals[metric, default: [:]][call.modelId] = total
            }

            for (index, outcome) in outcomes.enumerated() {
                guard let opinions = outcome.judges else { continue }
                for opinion in opinions {
                    if spends[opinion.model] == nil {
                        judgeOrder.append(opinion.model)
                        spends[opinion.model] = JudgeSpend(modelID: opinion.model, verdicts: 0, errors: 0, calls: 0, reused: 0)
                    }
                    spends[opinion.model]!.verdicts += opinion.isError ? 0 : 1
                    spends[opinion.model]!.errors += opinion.isError ? 1 : 0
                    spends[opinion.model]!.calls += opinion.calls
                    spends[opinion.model]!.reused += opinion.reused ? 1 : 0
                    if let cost = opinion.costMicros {
                        spends[opinion.model]!.costMicros = (spends[opinion.model]!.costMicros ?? 0) + cost
                    }
                }
                guard opinions.count > 1 else { continue }
                let label = "\(call.taskId) / " + (outcome.metric ?? "judge \(index + 1)")
                if agreementIndex[label] == nil {
                    agreementIndex[label] = agreements.count
                    agreements.append(Agreement(label: label, judges: opinions.map(\.model), answers: 0, agreed: 0))
                }
                let verdicts = opinions.compactMap(\.passed)
                guard verdicts.count > 1 else { continue }
                agreements[agreementIndex[label]!].answers += 1
                if Set(verdicts).count == 1 { agreements[agreementIndex[label]!].agreed += 1 }
            }
        }
        for (metric, models) in metricTotals {
            scores[metric] = models.mapValues { total in
                MetricScore(score: total.score / Double(total.answers), passRate: Double(total.passed) / Double(total.answers),
                            answers: total.answers)
            }
        }
        judges = judgeOrder.compactMap { spends[$0] }
        candidateJudges = judgeOrder.filter(modelIDs.contains)
    }

    /// Whether grades written as JSON name a metric or hold judges' opinions.
    private static func mayMatter(_ grades: String) -> Bool {
        grades.contains(#""metric":"#) || grades.contains(#""judges":"#)
    }
}
