import Foundation

/// One task's results over a run, per model, compared with the reference on the task's cases.
public struct TaskSummary: Sendable, Hashable {
    /// The task id.
    public var taskID: String
    /// The number of cases of the task.
    public var caseCount: Int
    /// Results per model id; every model of the run has an entry.
    public var perModel: [String: ModelResult]
    /// The cheapest model shown non-inferior to the reference on this task.
    public var recommendation: Recommendation?

    /// One model's results on one task.
    public struct ModelResult: Sendable, Hashable {
        /// Calls made.
        public var calls: Int
        /// Calls that produced an answer.
        public var answered: Int
        /// Calls that produced no answer.
        public var errors: Int
        /// Cases with at least one answer.
        public var cases: Int
        /// Mean case score; nil when nothing was answered.
        public var quality: Double?
        /// The 95% interval of `quality`.
        public var qualityInterval: Interval?
        /// Mean over cases of the fraction of repeats that passed; nil when nothing was answered.
        public var passRate: Double?
        /// The 95% interval of `passRate`.
        public var passRateInterval: Interval?
        /// The model's own cost on the task, micro-dollars; nil when unpriced.
        public var totalCostMicros: Int64?
        /// Cost per answered call on the task; nil when unpriced or nothing was answered.
        public var costPerCaseMicros: Int64?
        /// Against the reference on this task's cases (Holm-corrected within the task); nil for
        /// the reference itself.
        public var comparison: PairedComparison?
        /// The summed latency of the model's calls on the task, milliseconds: the time the calls
        /// took one after the other, not the wall time of a parallel run.
        public var callTimeMs: Double = 0

        /// Cost per answered call on the task in micro-dollars to a millionth of one (for exports).
        public var preciseCostPerCaseMicros: Decimal? {
            totalCostMicros.flatMap { CostMath.preciseQuotient($0, Int64(answered)) }
        }

        /// `totalCostMicros`, or nil when the model answered nothing on the task and spent
        /// nothing: no cost to show, not a cost of $0.
        public var shownTotalCostMicros: Int64? { answered == 0 && (totalCostMicros ?? 0) == 0 ? nil : totalCostMicros }

        /// Cost per case as an unrounded ratio of micro-dollars.
        var exactCostPerCase: Double? {
            guard let total = totalCostMicros, answered > 0 else { return nil }
            return Double(total) / Double(answered)
        }
    }
}
