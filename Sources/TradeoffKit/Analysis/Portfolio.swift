import Foundation

/// Per-task routing, as a what-if on one run: each task goes to the model its own
/// recommendation names (the cheapest shown non-inferior to the reference on that task, else the
/// reference), and the whole is weighed against the reference alone and the best single model.
///
/// Tasks weigh by their share of traffic when the suite states one per task (`volume:`), else by
/// their cases: the portfolio's quality is Σ w·q and its cost per case Σ w·c over tasks, w = the
/// task's share (or its cases / the suite's cases), q and c the routed model's mean score and
/// cost per answered call on the task. The baselines use the same weights, so the ratios compare
/// like with like.
public struct Portfolio: Sendable, Hashable {
    /// The reference the routes were judged against.
    public var referenceID: String
    /// One route per task, in task order.
    public var routes: [Route]
    /// Σ w·q over tasks.
    public var quality: Double
    /// The 95% interval of `quality`: cases resampled within each task (seeded), or the normal
    /// interval with the stratified SE above the bootstrap's case limit.
    public var qualityInterval: Interval?
    /// Cost per 1,000 cases, micro-dollars: 1,000 · Σ w·c, exact decimals rounded half up.
    public var costPer1kCasesMicros: Int64
    /// Cost at the stated monthly volume, micro-dollars; nil without a volume.
    public var monthlyCostMicros: Int64?
    /// Whether the weights are the tasks' stated volumes (else their cases).
    public var weightedByVolume: Bool = false
    /// The median latency of the routed models' answers on their tasks, milliseconds, each task
    /// weighing its share; nil when no answer has a latency.
    public var latencyP50Ms: Double?
    /// The 95th percentile of the same latencies.
    public var latencyP95Ms: Double?
    /// The reference alone, then the best single model when it is another.
    public var baselines: [Baseline]

    /// Where one task goes.
    public struct Route: Sendable, Hashable {
        /// The task.
        public var taskID: String
        /// The task's cases.
        public var caseCount: Int
        /// The task's weight: its stated share of traffic, else its share of the suite's cases.
        public var weight: Double
        /// The model the task goes to.
        public var modelID: String
        /// Why it goes there.
        public var reason: Reason
        /// The model's mean score on the task.
        public var quality: Double
        /// The model's cost per answered call on the task, micro-dollars to a millionth.
        public var costPerCaseMicros: Decimal
    }

    /// Why a task goes where it goes.
    public enum Reason: Sendable, Hashable {
        /// Shown non-inferior to the reference on the task's `cases` shared cases, and cheaper.
        case nonInferior(cases: Int)
        /// Shown better than the reference on `cases` shared cases, and cheaper per quality point.
        case better(cases: Int)
        /// Nothing cheaper was shown good enough: the reference.
        case reference

        /// `non-inferior`, `better`, `reference`.
        public var label: String {
            switch self {
            case .nonInferior: "non-inferior"
            case .better: "better"
            case .reference: "reference"
            }
        }

        /// The shared cases the verdict rests on; nil for the reference.
        public var cases: Int? {
            switch self {
            case .nonInferior(let cases), .better(let cases): cases
            case .reference: nil
            }
        }
    }

    /// A single model run on every task, for comparison.
    public struct Baseline: Sendable, Hashable {
        /// What the baseline stands for.
        public enum Role: String, Sendable, Hashable {
            /// The reference alone.
            case reference
            /// The suite's recommended model (`RunSummary.recommendation`), one model for everything.
            case bestSingle = "best-single"
        }

        /// The model.
        public var modelID: String
        /// What it stands for.
        public var role: Role
        /// Σ w·q of the model over the same tasks.
        public var quality: Double
        /// Its cost per 1,000 cases with the same weights, micro-dollars.
        public var costPer1kCasesMicros: Int64
        /// Its cost at the stated volume, micro-dollars; nil without a volume.
        public var monthlyCostMicros: Int64?
        /// The portfolio's quality over this one's; nil when this one scored 0.
        public var relativeQuality: Double?
        /// The 95% interval of `relativeQuality`, from the same resamples as the portfolio's.
        public var relativeQualityInterval: Interval?
        /// The portfolio's cost over this one's; nil when this one cost nothing.
        public var relativeCost: Double?
    }

    /// Why no portfolio is shown.
    public enum Skip: Sendable, Hashable {
        /// Nothing to route against: no model answered anything.
        case noReference
        /// Every task's recommendation is the reference: routing changes nothing.
        case everyTaskToReference(referenceID: String)
        /// A model the portfolio needs (routed to, or a baseline) has no price on the task.
        case unpriced(modelID: String)
        /// A model the portfolio needs answered none of a task's cases.
        case unanswered(modelID: String, taskID: String)

        /// `no-reference`, `every-task-to-reference`, `unpriced`, `unanswered`.
        public var code: String {
            switch self {
            case .noReference: "no-reference"
            case .everyTaskToReference: "every-task-to-reference"
            case .unpriced: "unpriced"
            case .unanswered: "unanswered"
            }
        }

        /// The reason as a sentence.
        public var description: String {
            switch self {
            case .noReference: "no portfolio: there is no reference to route against."
            case .everyTaskToReference(let reference):
                "no portfolio: every task routes to the reference \(reference), so routing changes nothing."
            case .unpriced(let model): "no portfolio: \(model) has no price, so its cost is unknown."
            case .unanswered(let model, let task): "no portfolio: \(model) answered none of \(task)'s cases."
            }
        }

        /// The model the reason names, if any.
        public var modelID: String? {
            switch self {
            case .noReference: nil
            case .everyTaskToReference(let reference): reference
            case .unpriced(let model), .unanswered(let model, _): model
            }
        }
    }
}

/// The portfolio of a run, or why there is none.
public enum Routing: Sendable, Hashable {
    /// A portfolio that routes at least one task away from the reference.
    case portfolio(Portfolio)
    /// No portfolio, and why.
    case skipped(Portfolio.Skip)

    /// The portfolio; nil when skipped.
    public var portfolio: Portfolio? {
        if case .portfolio(let portfolio) = self { return portfolio }
        return nil
    }

    /// Why there is no portfolio; nil when there is one.
    public var skip: Portfolio.Skip? {
        if case .skipped(let skip) = self { return skip }
        return nil
    }
}
