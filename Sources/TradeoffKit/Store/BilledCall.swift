/// A row that records what one call was billed: its usage parts and its cost, computed from
/// catalog prices or reported by the provider. Model calls (`CallRecord`) and judge calls
/// (`JudgeCallRecord`) account the same way, through this one piece of code.
protocol BilledCall {
    var output: String? { get }
    var inputTokens: Int? { get set }
    var cachedInputTokens: Int? { get set }
    var cacheWriteTokens: Int? { get set }
    var cacheWrite1hTokens: Int? { get set }
    var outputTokens: Int? { get set }
    var reasoningTokens: Int? { get set }
    var usageSource: Usage.Source? { get set }
    var costMicros: Int64? { get set }
    var computedCostMicros: Int64? { get set }
    var reportedCostMicros: Int64? { get set }
    var costSource: CostSource? { get set }
}

extension BilledCall {
    /// Stores `usage` in the token columns.
    mutating func record(_ usage: Usage) {
        inputTokens = usage.inputTokens
        cachedInputTokens = usage.cacheReadTokens
        cacheWriteTokens = usage.cacheWriteTokens
        cacheWrite1hTokens = usage.cacheWrite1hTokens
        outputTokens = usage.outputTokens
        reasoningTokens = usage.reasoningTokens
        usageSource = usage.source
    }

    /// Sets the cost of a finished call: `usage` (the answer's, or what the last failed attempt
    /// reported) plus what earlier failed attempts reported (`billedUsage`, one per billed attempt)
    /// — they were billed too — at
    /// `price`; a charge the provider reported wins, and the computed one is kept beside it.
    /// With nothing billed the cost stays unknown, never zero.
    mutating func settleCost(usage: Usage?, billedUsage: [Usage], lastAttemptFailed: Bool, price: Price?) {
        let billedBefore = billedUsage.dropLast(lastAttemptFailed && usage != nil ? 1 : 0)
        var computed = price.map { price in billedBefore.reduce(Int64(0)) { $0 + price.costMicros(of: $1) } }
        if let usage {
            record(usage)
            if let price { computed = (computed ?? 0) + price.costMicros(of: usage) }
        }
        computedCostMicros = computed
        if let reported = reportedCostMicros {
            costMicros = reported
            costSource = .reported
        } else if let computed, output != nil || !billedUsage.isEmpty {
            costMicros = computed
            costSource = .computed
        }
    }
}

extension CallRecord: BilledCall {}
extension JudgeCallRecord: BilledCall {}
