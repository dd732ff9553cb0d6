import Foundation

/// The report's `routing` object (`report.schema.json`, `$defs/routing`): the portfolio, or why
/// there is none, and the cascades (`$defs/cascade`).
extension JSONReport {
    /// The portfolio, or why there is none (`skipped`, a code, and the model it names).
    struct RoutingEntry: Encodable {
        var skipped: String?
        var skippedModel: String?
        var portfolio: PortfolioEntry?
        var cascades: [CascadeEntry] = []
        var cascadeNotes: [String] = []
    }

    struct PortfolioEntry: Encodable {
        var reference: String
        var weights = "cases"
        var quality: Estimate?
        var cost: Cost
        var latencyMs: LatencyEntry?
        var routes: [RouteEntry]
        var baselines: [BaselineEntry]
    }

    struct RouteEntry: Encodable {
        var task, model, reason: String
        var cases: Int
        var sharedCases: Int?
        var weight: Double
        var quality: Estimate?
        var costPerCaseMicros: Decimal
    }

    struct BaselineEntry: Encodable {
        var model, role: String
        var quality: Estimate?
        var cost: Cost
        var relativeQuality: Estimate?
        var relativeCost: Double?
    }

    static func routing(_ summary: RunSummary) -> RoutingEntry {
        var entry = routing(summary.routing)
        entry.cascades = summary.cascades.map(CascadeEntry.init)
        entry.cascadeNotes = summary.cascadeNotes
        return entry
    }

    static func routing(_ routing: Routing) -> RoutingEntry {
        guard let portfolio = routing.portfolio else {
            return RoutingEntry(skipped: routing.skip?.code, skippedModel: routing.skip?.modelID, portfolio: nil)
        }
        return RoutingEntry(portfolio: PortfolioEntry(
            reference: portfolio.referenceID, weights: portfolio.weightedByVolume ? "volume" : "cases",
            quality: Estimate(portfolio.quality, portfolio.qualityInterval),
            cost: Cost(perThousandCasesMicros: portfolio.costPer1kCasesMicros, monthlyMicros: portfolio.monthlyCostMicros),
            latencyMs: LatencyEntry(mean: nil, p50: portfolio.latencyP50Ms, p95: portfolio.latencyP95Ms),
            routes: portfolio.routes.map {
                RouteEntry(task: $0.taskID, model: $0.modelID, reason: $0.reason.label, cases: $0.caseCount,
                           sharedCases: $0.reason.cases, weight: $0.weight, quality: Estimate($0.quality, nil),
                           costPerCaseMicros: $0.costPerCaseMicros)
            },
            baselines: portfolio.baselines.map {
                BaselineEntry(model: $0.modelID, role: $0.role.rawValue, quality: Estimate($0.quality, nil),
                              cost: Cost(perThousandCasesMicros: $0.costPer1kCasesMicros, monthlyMicros: $0.monthlyCostMicros),
                              relativeQuality: Estimate($0.relativeQuality, $0.relativeQualityInterval),
                              relativeCost: $0.relativeCost)
            }))
    }

    struct CascadeEntry: Encodable {
        var name: String
        var models: [String]
        var variant: String?
        var weights: String
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
            name = cascade.spec.name
            models = cascade.spec.models
            variant = cascade.spec.variant
            weights = cascade.weightedByVolume ? "volume" : "cases"
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
