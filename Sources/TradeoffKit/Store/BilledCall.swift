import Foundation

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
    var failedAttemptsUsage: String? { get set }
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
    /// With nothing billed the cost stays unknown, never zero. The earlier attempts' usage is
    /// stored too (`failedAttemptsUsage`), so the cost can be computed again from the row.
    ///
    /// - Parameter batch: whether the call went through a batch API (batch prices).
    mutating func settleCost(usage: Usage?, billedUsage: [Usage], lastAttemptFailed: Bool, price: Price?,
                             batch: Bool = false) {
        let billedBefore = billedUsage.dropLast(lastAttemptFailed && usage != nil ? 1 : 0)
        failedAttemptsUsage = AttemptUsage.encoded(Array(billedBefore))
        // Saturating sums: usage is bounded before it gets here (UsageCheck), but money never wraps.
        var computed = price.map { price in billedBefore.reduce(Int64(0)) { Money.sum($0, price.costMicros(of: $1, batch: batch)) } }
        if let usage {
            record(usage)
            if let price { computed = Money.sum(computed ?? 0, price.costMicros(of: usage, batch: batch)) }
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

extension BilledCall {
    /// Every usage the call was billed for: each earlier failed attempt's, then the one in the
    /// token columns (the answer's, or the last failed attempt's).
    var billedUsages: [Usage] {
        var usages = AttemptUsage.decoded(failedAttemptsUsage)
        if let input = inputTokens, let output = outputTokens {
            let cached = cachedInputTokens ?? 0, written = cacheWriteTokens ?? 0
            usages.append(Usage(uncachedInputTokens: max(0, input - cached - written), cacheReadTokens: cached,
                                cacheWriteTokens: written, cacheWrite1hTokens: min(cacheWrite1hTokens ?? 0, written),
                                outputTokens: output, reasoningTokens: reasoningTokens ?? 0,
                                source: usageSource ?? .reported))
        }
        return usages
    }
}

/// One failed attempt's usage as stored in `failed_attempts_usage`: a JSON array of objects
/// named like the token columns.
struct AttemptUsage: Codable, Equatable {
    var input_tokens: Int
    var cached_input_tokens: Int
    var cache_write_tokens: Int
    var cache_write_1h_tokens: Int
    var output_tokens: Int
    var reasoning_tokens: Int
    var usage_source: Usage.Source

    init(_ usage: Usage) {
        input_tokens = usage.inputTokens
        cached_input_tokens = usage.cacheReadTokens
        cache_write_tokens = usage.cacheWriteTokens
        cache_write_1h_tokens = usage.cacheWrite1hTokens
        output_tokens = usage.outputTokens
        reasoning_tokens = usage.reasoningTokens
        usage_source = usage.source
    }

    var usage: Usage {
        Usage(uncachedInputTokens: max(0, input_tokens - cached_input_tokens - cache_write_tokens),
              cacheReadTokens: cached_input_tokens, cacheWriteTokens: cache_write_tokens,
              cacheWrite1hTokens: min(cache_write_1h_tokens, cache_write_tokens), outputTokens: output_tokens,
              reasoningTokens: reasoning_tokens, source: usage_source)
    }

    /// The JSON text of `usages`; nil when there are none.
    static func encoded(_ usages: [Usage]) -> String? {
        guard !usages.isEmpty else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(usages.map(AttemptUsage.init))).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The usages stored in `json`; none when nil or unreadable.
    static func decoded(_ json: String?) -> [Usage] {
        guard let json else { return [] }
        return ((try? JSONDecoder().decode([AttemptUsage].self, from: Data(json.utf8))) ?? []).map(\.usage)
    }
}

extension CallRecord: BilledCall {}
extension JudgeCallRecord: BilledCall {}
