/// A 95% interval around an estimate, and how it was computed.
public struct Interval: Sendable, Hashable, Codable {
    /// The lower end.
    public var lower: Double
    /// The upper end.
    public var upper: Double
    /// The method, which the reports print next to the numbers.
    public var method: IntervalMethod

    /// An interval from `lower` to `upper` computed with `method`.
    public init(lower: Double, upper: Double, method: IntervalMethod) {
        self.lower = lower
        self.upper = upper
        self.method = method
    }

    /// Whether `value` lies inside, ends included.
    public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }
}

/// How an interval was computed.
public enum IntervalMethod: String, Sendable, Hashable, Codable, CaseIterable {
    /// Wilson score interval of a pass rate (small samples of 0/1 outcomes).
    case wilson
    /// Percentile bootstrap over cases, seeded (small samples of scores; paired differences).
    case bootstrap
    /// Percentile bootstrap resampling whole tasks, never narrower than the one over cases
    /// (paired differences of cases from several tasks).
    case bootstrapClustered = "bootstrap-clustered"
    /// Mean ± 1.96·SE with the plain standard error (large samples of one task).
    case normal
    /// Mean ± 1.96·SE with the standard error clustered by task (large samples of several tasks).
    case normalClustered = "normal-clustered"
    /// Percentile bootstrap resampling cases within each task, seeded (a portfolio's quality:
    /// each task keeps its own cases and weight).
    case bootstrapStratified = "bootstrap-stratified"
    /// Mean ± 1.96·SE with SE² = Σ w²·Var/n over tasks (a large portfolio).
    case normalStratified = "normal-stratified"

    /// How the reports name the method: `Wilson`, `bootstrap`, `bootstrap, clustered by task`, `normal`, `normal, clustered by task`.
    public var label: String {
        switch self {
        case .wilson: "Wilson"
        case .bootstrap: "bootstrap"
        case .bootstrapClustered: "bootstrap, clustered by task"
        case .normal: "normal"
        case .normalClustered: "normal, clustered by task"
        case .bootstrapStratified: "bootstrap, stratified by task"
        case .normalStratified: "normal, stratified by task"
        }
    }
}
