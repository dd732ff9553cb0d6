/// What a CI job checks after a run: its gates, and regressions against a baseline run.
public struct Checks: Sendable {
    /// Every gate's result, gate by gate, model by model.
    public var gateResults: [GateResult]
    /// The comparison with the baseline run, when regressions were checked.
    public var baseline: RunComparison?
    /// Whether a regression fails the job (`--fail-on-regression`).
    public var failOnRegression: Bool

    /// Checks `gates` on `summary`, and regressions against `baseline` when given.
    ///
    /// - Parameters:
    ///   - gates: The gates, suite ones first.
    ///   - summary: The run checked.
    ///   - baseline: The earlier run to compare with, if any.
    ///   - failOnRegression: Whether regressions fail the checks.
    public init(gates: [Gate], summary: RunSummary, baseline: RunSummary? = nil, failOnRegression: Bool = false) {
        gateResults = gates.flatMap { $0.evaluate(summary) }
        self.baseline = baseline.map { RunComparison(baseline: $0, current: summary) }
        self.failOnRegression = failOnRegression
    }

    /// Gate results that failed.
    public var failedGates: [GateResult] { gateResults.filter { !$0.passed } }

    /// Regressions that fail the checks (none unless `failOnRegression`).
    public var failingRegressions: [RunComparison.ModelChange] {
        failOnRegression ? baseline?.regressions ?? [] : []
    }

    /// Whether any gate failed or a regression fails the checks.
    public var failed: Bool { !failedGates.isEmpty || !failingRegressions.isEmpty }

    /// Whether there is anything to show.
    public var isEmpty: Bool { gateResults.isEmpty && baseline == nil }
}
