/// A condition a run must meet, for CI: `quality(llama-3.3-70b) >= 0.85`,
/// `cost_per_case(*) <= 0.002`, `p95_latency(*) <= 4s`.
///
/// Declared in the suite (`gates:`) or on the command line (`--gate`); a failed gate makes the
/// command exit 1. Thresholds compare with point estimates: what the suite measured.
public struct Gate: Sendable, Hashable, CustomStringConvertible {
    /// What is measured.
    public var metric: Metric
    /// The model it applies to; nil for every model (`*`).
    public var modelID: String?
    /// How the measure compares with the threshold.
    public var comparison: Comparison
    /// The threshold, in the metric's base unit (a fraction, micro-dollars, milliseconds,
    /// tokens per second, or a ratio).
    public var threshold: Double
    /// The gate as written.
    public var text: String

    /// The gate as written.
    public var description: String { text }

    /// What a gate can measure.
    public enum Metric: String, Sendable, Hashable, CaseIterable {
        /// Mean case score.
        case quality
        /// Mean fraction of passed repeats per case.
        case passRate = "pass_rate"
        /// Failed calls over calls made.
        case errorRate = "error_rate"
        /// The model's own cost over the run.
        case costTotal = "cost_total"
        /// Cost per answered call.
        case costPerCase = "cost_per_case"
        /// Cost per 1,000 answered calls.
        case costPer1k = "cost_per_1k"
        /// Cost over passed calls.
        case costPerCorrect = "cost_per_correct"
        /// Cost per case at the `--volume` given.
        case monthlyCost = "monthly_cost"
        /// Median total time.
        case p50Latency = "p50_latency"
        /// 90th percentile of total time.
        case p90Latency = "p90_latency"
        /// 95th percentile of total time.
        case p95Latency = "p95_latency"
        /// 99th percentile of total time.
        case p99Latency = "p99_latency"
        /// Median time to first token.
        case p50TTFT = "p50_ttft"
        /// 90th percentile of time to first token.
        case p90TTFT = "p90_ttft"
        /// 95th percentile of time to first token.
        case p95TTFT = "p95_ttft"
        /// 99th percentile of time to first token.
        case p99TTFT = "p99_ttft"
        /// Median output tokens per second.
        case tokensPerSecond = "tokens_per_second"
        /// Quality over the reference's, on the cases both answered.
        case relativeQuality = "relative_quality"
        /// Cost per case over the reference's.
        case relativeCost = "relative_cost"

        /// The kind of number the metric is, which decides how a threshold is written.
        public var unit: Unit {
            switch self {
            case .quality, .passRate, .errorRate, .relativeQuality: .fraction
            case .costTotal, .costPerCase, .costPer1k, .costPerCorrect, .monthlyCost: .money
            case .p50Latency, .p90Latency, .p95Latency, .p99Latency, .p50TTFT, .p90TTFT, .p95TTFT, .p99TTFT: .duration
            case .tokensPerSecond: .rate
            case .relativeCost: .ratio
            }
        }
    }

    /// How a metric's threshold is written and held.
    public enum Unit: Sendable, Hashable {
        /// `0.85` or `85%`; held as a fraction.
        case fraction
        /// `0.002` or `$0.002` (USD); held in micro-dollars.
        case money
        /// `4s` or `4000ms` (a unit is required); held in milliseconds.
        case duration
        /// A plain number.
        case rate
        /// `0.25`, `0.25x` or `25%`; held as a ratio.
        case ratio
    }

    /// `>=`, `<=`, `>`, `<`.
    public enum Comparison: String, Sendable, Hashable, CaseIterable {
        /// `>=`
        case atLeast = ">="
        /// `<=`
        case atMost = "<="
        /// `>`
        case above = ">"
        /// `<`
        case below = "<"

        /// Whether `value` satisfies the comparison with `threshold`.
        public func holds(_ value: Double, _ threshold: Double) -> Bool {
            switch self {
            case .atLeast: value >= threshold
            case .atMost: value <= threshold
            case .above: value > threshold
            case .below: value < threshold
            }
        }
    }
}

/// One gate checked on one model.
public struct GateResult: Sendable, Hashable {
    /// The gate.
    public var gate: Gate
    /// The model checked; nil when a `*` gate found no model with the measure.
    public var modelID: String?
    /// The measured value, in the metric's base unit; nil when the model has none.
    public var value: Double?
    /// Whether the gate holds.
    public var passed: Bool
    /// Why there is no value (`unpriced`, `no answered call`, ...), when there is none.
    public var missingReason: String?
}

extension Gate {
    /// Checks the gate on `summary`: on its model, or on every model for `*`.
    ///
    /// A model without the measure fails a gate that names it (an unknown cost cannot be shown
    /// to be under a limit); `*` skips models that lack the measure by nature (unpriced models
    /// for cost gates, models that never streamed for TTFT and speed gates) and fails when no
    /// model is left.
    ///
    /// - Returns: One result per model checked.
    public func evaluate(_ summary: RunSummary) -> [GateResult] {
        let models = modelID.map { id in summary.models.filter { $0.modelID == id } } ?? summary.models
        var results: [GateResult] = []
        for model in models {
            let (value, reason) = measure(model, in: summary)
            guard let value else {
                if modelID == nil && reason != Self.nothingAnswered { continue }
                results.append(GateResult(gate: self, modelID: model.modelID, value: nil, passed: false,
                                          missingReason: reason))
                continue
            }
            results.append(GateResult(gate: self, modelID: model.modelID, value: value,
                                      passed: comparison.holds(value, threshold), missingReason: nil))
        }
        if results.isEmpty {
            results.append(GateResult(gate: self, modelID: modelID, value: nil, passed: false,
                                      missingReason: modelID == nil ? "no model has this measure" : "model not in the run"))
        }
        return results
    }

    static let nothingAnswered = "no answered call"

    /// The model's value of the metric, or why it has none.
    private func measure(_ model: ModelSummary, in summary: RunSummary) -> (Double?, String?) {
        func need(_ value: Double?, _ reason: String) -> (Double?, String?) { value == nil ? (nil, reason) : (value, nil) }
        func money(_ micros: Int64?) -> (Double?, String?) {
            model.priced ? need(micros.map(Double.init), Self.nothingAnswered) : (nil, "unpriced: cost unknown")
        }
        switch metric {
        case .quality: return need(model.quality, Self.nothingAnswered)
        case .passRate: return need(model.passRate, Self.nothingAnswered)
        case .errorRate: return need(model.errorRate, "no call made")
        case .costTotal: return model.priced ? (model.totalCostMicros.map(Double.init), nil) : (nil, "unpriced: cost unknown")
        case .costPerCase: return model.priced ? need(model.exactCostPerCase, Self.nothingAnswered) : money(nil)
        case .costPer1k: return money(model.costPer1kCasesMicros)
        case .costPerCorrect:
            guard model.priced else { return money(nil) }
            return model.passed > 0 ? (Double(model.totalCostMicros ?? 0) / Double(model.passed), nil) : (nil, "no case passed")
        case .monthlyCost:
            guard summary.settings.volume != nil else { return (nil, "no volume given (--volume)") }
            return money(summary.monthlyCostMicros(of: model.modelID))
        case .p50Latency, .p90Latency, .p95Latency, .p99Latency:
            return need(model.latency?.value(at: percentile), Self.nothingAnswered)
        case .p50TTFT, .p90TTFT, .p95TTFT, .p99TTFT:
            return need(model.timeToFirstToken?.value(at: percentile), "no streamed call")
        case .tokensPerSecond: return need(model.medianOutputTokensPerSecond, "no streamed call")
        case .relativeQuality:
            if model.modelID == summary.referenceID { return (1, nil) }
            return need(summary.comparison(for: model.modelID)?.relativeQuality, "no quality relative to the reference")
        case .relativeCost:
            guard let reference = summary.reference else { return (nil, "no reference") }
            guard let cost = model.exactCostPerCase, let referenceCost = reference.exactCostPerCase, referenceCost > 0 else {
                return (nil, "unpriced: cost unknown")
            }
            return (cost / referenceCost, nil)
        }
    }

    /// 50, 90, 95 or 99 for the percentile metrics.
    private var percentile: Int {
        Int(metric.rawValue.dropFirst().prefix { $0.isNumber }) ?? 50
    }
}
