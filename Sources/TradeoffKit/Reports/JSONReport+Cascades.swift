import Foundation

/// The cascades of the report's `routing` object (`report.schema.json`, `$defs/cascade`).
extension JSONReport {
    struct CascadeEntry: Encodable {
        var models: [String]
        var escalateWhen: [String]?
        var automatic: Bool
        var cases: Int
        var quality: Estimate?
        var firstQuality, lastQuality: Double
        var versusLast: Comparison
        var pgr: Double?
        var escalationRate, lastModelRate: Double
        var cost: Cost
        var checkCostPerThousandCasesMicros: Int64?
        var firstCost, lastCost: Cost
        var latencyMs: LatencyEntry?
        var lastLatencyMs: LatencyEntry?
        var uncheckedTasks: [String]

        init(_ cascade: Cascade) {
            models = cascade.spec.models
            escalateWhen = cascade.spec.escalateWhen
            automatic = cascade.automatic
            cases = cascade.cases
            quality = Estimate(cascade.quality, nil)
            (firstQuality, lastQuality) = (cascade.firstQuality, cascade.lastQuality)
            versusLast = Comparison(cascade.versusLast, relativeCost: cascade.relativeCost)
            pgr = cascade.pgr
            (escalationRate, lastModelRate) = (cascade.escalationRate, cascade.lastModelRate)
            cost = Cost(perThousandCasesMicros: cascade.costPer1kCasesMicros, monthlyMicros: cascade.monthlyCostMicros)
            checkCostPerThousandCasesMicros = cascade.checkCostPer1kCasesMicros
            firstCost = Cost(perThousandCasesMicros: cascade.firstCostPer1kCasesMicros)
            lastCost = Cost(perThousandCasesMicros: cascade.lastCostPer1kCasesMicros)
            latencyMs = LatencyEntry(mean: cascade.latencyMeanMs, p50: cascade.latencyP50Ms, p95: cascade.latencyP95Ms)
            lastLatencyMs = LatencyEntry(mean: nil, p50: cascade.lastLatencyP50Ms, p95: cascade.lastLatencyP95Ms)
            uncheckedTasks = cascade.uncheckedTasks
        }
    }

    /// A latency's mean and percentiles, milliseconds; nil when the percentiles are unknown.
    struct LatencyEntry: Encodable {
        var mean: Double?
        var p50, p95: Double

        init?(mean: Double?, p50: Double?, p95: Double?) {
            guard let p50, let p95 else { return nil }
            (self.mean, self.p50, self.p95) = (mean, p50, p95)
        }
    }
}
