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

    /// Named metrics, in suite order: by the first case (in the suite's order) and grader that
    /// name them; in order of first appearance where the cases are not known.
    public var metrics: [String] = []
    /// Per metric, per model id.
    public var scores: [String: [String: MetricScore]] = [:]
    /// Grader errors per model id.
    public var graderErrors: [String: Int] = [:]
    /// Answers on which no grader could grade, per model id (they have no score, and count as 0).
    public var ungraded: [String: Int] = [:]
    /// One example reason of a grader error, per model id: the first in suite order.
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
        var builder = Builder()
        for call in calls { builder.add(call) }
        self = builder.finish(modelIDs: modelIDs)
    }

    /// An empty summary (`Builder` fills one).
    init() {}

    /// Whether grades written as JSON name a metric or hold judges' opinions.
    static func mayMatter(_ grades: String) -> Bool {
        grades.contains(#""metric":"#) || grades.contains(#""judges":"#)
    }
}
