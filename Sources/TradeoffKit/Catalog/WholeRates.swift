import Foundation
import Synchronization

/// A call's `TokenRates` as whole numbers of nano-micro-dollars (10⁻¹⁵ USD), so that a call's
/// cost is summed in integers, exactly as `Price.decimalCostMicros` sums it in `Decimal`.
///
/// Every call is costed as it is recorded; in `Decimal` that took about 3 µs a call (a product
/// and a sum cost 0.6 µs each), 2% of the harness's CPU per call in `make bench`. A price with
/// more than nine decimals of a dollar per million tokens has no whole-number form and keeps
/// the `Decimal` path. `WholeRatesTests` holds the two paths equal.
struct WholeRates: Sendable {
    /// Per token: uncached input, cache reads, 5-minute and 1-hour cache writes, output.
    let input: Int64, cachedInput: Int64, cacheWrite: Int64, cacheWrite1h: Int64, output: Int64
    /// Per request.
    let perRequest: Int64

    /// Nano-micro-dollars in a micro-dollar.
    private static let scale: Int128 = 1_000_000_000

    /// `rates` in whole nano-micro-dollars; nil when one of them is not a whole number of them.
    init?(_ rates: TokenRates) {
        func whole(_ usdPerMillion: Decimal, times factor: Decimal = 1_000_000_000) -> Int64? {
            let scaled = usdPerMillion * factor
            let rounded = scaled.rounded(.down)
            guard rounded == scaled, rounded >= 0, rounded < Decimal(Int64.max) else { return nil }
            return rounded.int64Value
        }
        // USD per million tokens is micro-dollars per token; USD per request is 10¹⁵ nano-micros.
        guard let input = whole(rates.input), let cachedInput = whole(rates.cachedInput),
              let cacheWrite = whole(rates.cacheWrite), let cacheWrite1h = whole(rates.cacheWrite1h),
              let output = whole(rates.output), let perRequest = whole(rates.perRequest, times: 1_000_000_000_000_000)
        else { return nil }
        (self.input, self.cachedInput, self.cacheWrite, self.cacheWrite1h) = (input, cachedInput, cacheWrite, cacheWrite1h)
        (self.output, self.perRequest) = (output, perRequest)
    }

    /// The cost of `usage` in micro-dollars, rounded half up, saturating at `Int64.max` as
    /// `Money.micros(exactly:)` does; nil when a count is negative or the sum leaves `Int128`
    /// (the `Decimal` path answers those).
    func costMicros(of usage: Usage) -> Int64? {
        var total = Int128(perRequest)
        func add(_ tokens: Int, at rate: Int64) -> Bool {
            guard tokens >= 0 else { return false }
            let (part, overflow) = Int128(tokens).multipliedReportingOverflow(by: Int128(rate))
            let (sum, sumOverflow) = total.addingReportingOverflow(part)
            total = sum
            return !overflow && !sumOverflow
        }
        guard add(usage.uncachedInputTokens, at: input), add(usage.cacheReadTokens, at: cachedInput),
              add(usage.cacheWrite5mTokens, at: cacheWrite), add(usage.cacheWrite1hTokens, at: cacheWrite1h),
              add(usage.outputTokens, at: output) else { return nil }
        // Half up: the total is never negative here.
        let micros = (total + Self.scale / 2) / Self.scale
        return micros >= Int128(Int64.max) ? .max : Int64(micros)
    }

    /// The rates of `price` for prompts in `tier` (nil: below every tier), from a memo: working
    /// them out costs more than the `Decimal` sum they replace, and a run prices few models.
    static func of(_ price: Price, tier: Int?, batch: Bool) -> WholeRates? {
        let key = Key(price: price, tier: tier, batch: batch)
        if let known = memo.withLock({ $0[key] }) { return known }
        let rates = WholeRates(price.rates(inTier: tier, batch: batch))
        memo.withLock { memo in
            // Bounded: a long-lived process repricing many catalogs starts again.
            if memo.count >= 4_096 { memo.removeAll() }
            memo[key] = .some(rates)
        }
        return rates
    }

    private struct Key: Hashable {
        var price: Price
        var tier: Int?
        var batch: Bool
    }

    private static let memo = Mutex<[Key: WholeRates?]>([:])
}
