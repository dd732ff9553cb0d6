import Foundation

/// The per-token prices that apply to one call, after choosing the long-context tier and the
/// batch discount. USD per million tokens, so a token costs exactly this many micro-dollars.
public struct TokenRates: Sendable, Hashable {
    /// Uncached input.
    public var input: Decimal
    /// Cache reads.
    public var cachedInput: Decimal
    /// Cache writes that last five minutes.
    public var cacheWrite: Decimal
    /// Cache writes that last an hour.
    public var cacheWrite1h: Decimal
    /// Output, reasoning included.
    public var output: Decimal
    /// USD per request.
    public var perRequest: Decimal
    /// The tier applied, if the prompt was long enough for one.
    public var tier: PriceTier?
}

extension Price {
    /// The cost of `usage` in micro-dollars (1e-6 USD), rounded half up once at the end.
    ///
    /// cost = uncached input × input + cache reads × cached_input + 5-minute cache writes ×
    ///        cache_write + 1-hour cache writes × cache_write_1h + output × output + per_request,
    /// at the prices of the long-context tier the prompt falls in (see `rates(forInputTokens:batch:)`).
    ///
    /// - Parameters:
    ///   - usage: The call's tokens; the prompt size that picks the tier is `usage.inputTokens`
    ///     (uncached, cache reads and cache writes together).
    ///   - batch: Whether the call went through a batch API (half price unless `batch` prices say otherwise).
    public func costMicros(of usage: Usage, batch: Bool = false) -> Int64 {
        WholeRates.of(self, tier: tier(forInputTokens: usage.inputTokens), batch: batch)?.costMicros(of: usage)
            ?? decimalCostMicros(of: usage, batch: batch)
    }

    /// `costMicros(of:batch:)` in `Decimal` arithmetic, the definition the whole-number path
    /// (`WholeRates`) is held to.
    func decimalCostMicros(of usage: Usage, batch: Bool = false) -> Int64 {
        let rates = rates(forInputTokens: usage.inputTokens, batch: batch)
        var total = Decimal(usage.uncachedInputTokens) * rates.input
        total += Decimal(usage.cacheReadTokens) * rates.cachedInput
        total += Decimal(usage.cacheWrite5mTokens) * rates.cacheWrite
        total += Decimal(usage.cacheWrite1hTokens) * rates.cacheWrite1h
        total += Decimal(usage.outputTokens) * rates.output
        total += rates.perRequest * 1_000_000
        return Self.roundedMicros(total)
    }

    /// The prices that apply to a call whose prompt has `inputTokens` tokens.
    ///
    /// The tier is the one with the highest threshold the prompt exceeds (a prompt of exactly
    /// the threshold stays below it); its missing fields keep the base prices. A cache price
    /// left unset bills those tokens as input, but a 1-hour cache write left unset is twice the
    /// input price (Anthropic's rate). In a batch, the published `batch` prices replace
    /// input and output below the first tier; every other price is halved.
    public func rates(forInputTokens inputTokens: Int, batch: Bool = false) -> TokenRates {
        rates(inTier: tier(forInputTokens: inputTokens), batch: batch)
    }

    /// The index of the tier a prompt of `inputTokens` tokens is billed in; nil below every tier.
    func tier(forInputTokens inputTokens: Int) -> Int? {
        tiers.lastIndex { inputTokens > $0.aboveInputTokens }
    }

    /// The prices of the tier at `index` (nil: the base prices), as `rates(forInputTokens:batch:)`
    /// gives them.
    func rates(inTier index: Int?, batch: Bool = false) -> TokenRates {
        let tier = index.map { tiers[$0] }
        var input = tier?.inputPerMillion ?? inputPerMillion
        var output = tier?.outputPerMillion ?? outputPerMillion
        var cachedInput = tier?.cachedInputPerMillion ?? cachedInputPerMillion
        var cacheWrite = tier?.cacheWritePerMillion ?? cacheWritePerMillion
        var cacheWrite1h = tier?.cacheWrite1hPerMillion ?? cacheWrite1hPerMillion
        if batch {
            let half = Decimal(string: "0.5")!
            let published = tier == nil ? self.batch : nil
            input = published?.inputPerMillion ?? input * half
            output = published?.outputPerMillion ?? output * half
            cachedInput = cachedInput.map { $0 * half }
            cacheWrite = cacheWrite.map { $0 * half }
            cacheWrite1h = cacheWrite1h.map { $0 * half }
        }
        return TokenRates(input: input, cachedInput: cachedInput ?? input, cacheWrite: cacheWrite ?? input,
                          cacheWrite1h: cacheWrite1h ?? input * 2, output: output, perRequest: perRequest ?? 0,
                          tier: tier)
    }

    /// `micros` rounded half up to a whole number of micro-dollars.
    static func roundedMicros(_ micros: Decimal) -> Int64 {
        Money.micros(exactly: micros)
    }
}
