import Foundation

/// Counts, cost and timings of a set of calls (one model's, or one model's on one task).
struct CallTally: Sendable {
    var calls = 0
    var answered = 0
    var errors = 0
    /// Answered calls that passed.
    var passed = 0
    /// Answers replayed from the response cache.
    var replayed = 0
    /// Calls made through a provider's batch API.
    var batched = 0
    /// Of them, sent in more than one batch (their requests expired or failed first).
    var batchRetried = 0
    /// Calls made as ordinary calls after their requests expired or failed in a batch.
    var batchFallback = 0
    /// The model's token price, to cost its batched calls at ordinary prices too; nil when unpriced.
    var price: Price?
    /// The batched calls' own cost (at batch prices), micro-dollars.
    var batchCostMicros: Int64 = 0
    /// What the batched calls' stored usage costs at the ordinary prices, micro-dollars.
    var batchOrdinaryCostMicros: Int64 = 0
    /// Calls whose reported usage was set aside for an estimate.
    var untrustedUsage = 0
    /// Answered calls whose answer is empty or only white space.
    var emptyAnswers = 0
    /// Answered calls cut at `max_tokens` (finish reason `length`).
    var truncated = 0
    /// Answered calls the provider refused or filtered (finish reason `content_filter`).
    var filtered = 0
    /// Calls whose tokens, and so cost, were estimated rather than reported.
    var estimatedUsage = 0
    /// The model's own cost (see `CallSelection`), micro-dollars; a call without a cost billed nothing.
    var costMicros: Int64 = 0
    var inputTokens = 0
    var cachedInputTokens = 0
    var cacheWriteTokens = 0
    var cacheWrite1hTokens = 0
    /// The long-context tiers' thresholds of the model's price, increasing; `tierCalls[i]` counts
    /// the calls billed at tier i (the highest threshold their prompt exceeds).
    var tierThresholds: [Int] = [] {
        didSet { tierCalls = Array(repeating: 0, count: tierThresholds.count) }
    }
    var tierCalls: [Int] = []
    var outputTokens = 0
    /// Total times of the latency samples, milliseconds.
    var latencies: [Double] = []
    /// The summed time of every call that reports one, milliseconds (JUnit's `time`).
    var callTimeMs: Double = 0
    /// Times to first token of the latency samples that streamed, milliseconds.
    var timesToFirstToken: [Double] = []
    /// Output tokens per second of the latency samples that streamed.
    var outputSpeeds: [Double] = []

    /// Makes room for the timings of `calls` calls at once (a big run's arrays would otherwise
    /// grow by doubling, briefly holding twice their size).
    mutating func reserveTimings(_ calls: Int) {
        latencies.reserveCapacity(calls)
        timesToFirstToken.reserveCapacity(calls)
        outputSpeeds.reserveCapacity(calls)
    }

    /// Adds `call`; `timings` keeps its latency too.
    mutating func add(_ call: ReportCall, timings: Bool) {
        calls += 1
        if call.errorClass == nil {
            answered += 1
            if call.passed == true { passed += 1 }
            if call.cacheHit { replayed += 1 }
            if (call.output ?? "").isBlank { emptyAnswers += 1 }
            if call.finish == .length { truncated += 1 }
            if call.finish == .contentFilter { filtered += 1 }
        } else {
            errors += 1
        }
        if call.usageUntrusted { untrustedUsage += 1 }
        if call.batched {
            batched += 1
            if let price, CallSelection.countsTowardModelCost(call), let cost = call.costMicros {
                batchCostMicros = Money.sum(batchCostMicros, cost)
                batchOrdinaryCostMicros = Money.sum(batchOrdinaryCostMicros, price.costMicros(of: Self.usage(of: call)))
            }
        }
        if call.batchRetried { batchRetried += 1 }
        if call.batchFallback { batchFallback += 1 }
        if call.usageSource == .estimated || call.usageUntrusted { estimatedUsage += 1 }
        if CallSelection.countsTowardModelCost(call) { costMicros = Money.sum(costMicros, call.costMicros ?? 0) }
        inputTokens += call.inputTokens ?? 0
        cachedInputTokens += call.cachedInputTokens ?? 0
        cacheWriteTokens += call.cacheWriteTokens ?? 0
        cacheWrite1hTokens += call.cacheWrite1hTokens ?? 0
        if let input = call.inputTokens, let tier = tierThresholds.lastIndex(where: { input > $0 }) { tierCalls[tier] += 1 }
        outputTokens += call.outputTokens ?? 0
        if let latency = call.latencyMs, latency.isFinite { callTimeMs += latency }
        guard timings, CallSelection.isLatencySample(call) else { return }
        if let latency = call.latencyMs { latencies.append(latency) }
        if let ttft = call.ttftMs { timesToFirstToken.append(ttft) }
        if let speed = call.outputTokensPerSecond { outputSpeeds.append(speed) }
    }

    /// A call's usage as its token columns hold it (as `BilledCall.billedUsages` reads a row).
    private static func usage(of call: ReportCall) -> Usage {
        let input = call.inputTokens ?? 0, cached = call.cachedInputTokens ?? 0, written = call.cacheWriteTokens ?? 0
        return Usage(uncachedInputTokens: max(0, input - cached - written), cacheReadTokens: cached,
                     cacheWriteTokens: written, cacheWrite1hTokens: min(call.cacheWrite1hTokens ?? 0, written),
                     outputTokens: call.outputTokens ?? 0, source: call.usageSource ?? .reported)
    }
}

/// The 50th, 90th, 95th and 99th percentiles of a sample (numpy's linear method).
public struct Percentiles: Sendable, Hashable, Codable {
    /// The median.
    public var p50: Double
    /// The 90th percentile.
    public var p90: Double
    /// The 95th percentile.
    public var p95: Double
    /// The 99th percentile.
    public var p99: Double

    /// The percentiles of `values`; nil when there are none.
    init?(_ values: [Double]) {
        var sample = values.filter { !$0.isNaN }
        guard let p50 = Statistics.percentiles([50, 90, 95, 99], selectingIn: &sample) else { return nil }
        (self.p50, p90, p95, p99) = (p50[0], p50[1], p50[2], p50[3])
    }

    /// The percentile `p` (50, 90, 95 or 99).
    public func value(at p: Int) -> Double? {
        switch p {
        case 50: p50
        case 90: p90
        case 95: p95
        case 99: p99
        default: nil
        }
    }
}

/// Exact integer arithmetic for cost ratios.
enum CostMath {
    /// `numerator / denominator` micro-dollars to a millionth of a micro-dollar (1e-12 USD),
    /// rounded half up: a cost per case of 2.39 micro-dollars stays 2.39, not 2. Nil when
    /// dividing by 0.
    static func preciseQuotient(_ numerator: Int64, _ denominator: Int64) -> Decimal? {
        guard denominator != 0 else { return nil }
        return (Decimal(numerator) * 1_000_000 / Decimal(denominator)).rounded(.plain) / 1_000_000
    }

    /// `numerator / denominator` rounded half away from zero, in integers; nil when dividing by 0.
    static func roundedQuotient(_ numerator: Int64, _ denominator: Int64) -> Int64? {
        guard denominator != 0 else { return nil }
        let quotient = numerator / denominator
        let remainder = numerator % denominator
        guard remainder.magnitude * 2 >= denominator.magnitude else { return quotient }
        return quotient + ((numerator < 0) != (denominator < 0) ? -1 : 1)
    }

    /// `value × factor / denominator` rounded half away from zero, without overflow in between.
    static func scaledQuotient(_ value: Int64, times factor: Int64, over denominator: Int64) -> Int64? {
        guard denominator != 0 else { return nil }
        let (product, overflow) = value.multipliedReportingOverflow(by: factor)
        if !overflow { return roundedQuotient(product, denominator) }
        return Volume(casesPerMonth: factor).monthlyCostMicros(totalMicros: value, cases: Int(denominator))
    }
}
