import Foundation
import Testing
@testable import TradeoffKit

/// A call's cost is summed in whole nano-micro-dollars when the prices allow it: it must be the
/// `Decimal` sum, rounded the same way, for every price, tier, batch and usage.
struct WholeRatesTests {
    /// A price of up to `decimals` decimals of a dollar per million tokens.
    private static func amount(_ random: inout Xoshiro256, decimals: Int) -> Decimal {
        let digits = Int.random(in: 0...(decimals + 3), using: &random)
        return Decimal(Int.random(in: 0...999_999_999, using: &random)) / pow(Decimal(10), digits)
    }

    private static func price(_ random: inout Xoshiro256, decimals: Int) -> Price {
        func maybe() -> Decimal? { Bool.random(using: &random) ? amount(&random, decimals: decimals) : nil }
        let tiers = (0..<Int.random(in: 0...2, using: &random)).map { index in
            PriceTier(aboveInputTokens: 1_000 * (index + 1), inputPerMillion: maybe(), outputPerMillion: maybe(),
                      cachedInputPerMillion: maybe(), cacheWritePerMillion: maybe(), cacheWrite1hPerMillion: maybe())
        }
        let batch = Bool.random(using: &random) ? BatchPrice(inputPerMillion: maybe(), outputPerMillion: maybe()) : nil
        return Price(inputPerMillion: amount(&random, decimals: decimals), outputPerMillion: amount(&random, decimals: decimals),
                     cachedInputPerMillion: maybe(), cacheWritePerMillion: maybe(), cacheWrite1hPerMillion: maybe(),
                     perRequest: Bool.random(using: &random) ? amount(&random, decimals: decimals) / 1_000 : nil,
                     tiers: tiers, batch: batch)
    }

    private static func usage(_ random: inout Xoshiro256) -> Usage {
        func count() -> Int {
            switch Int.random(in: 0..<4, using: &random) {
            case 0: 0
            case 1: Int.random(in: 1...50, using: &random)
            case 2: Int.random(in: 1...5_000, using: &random)
            default: Int.random(in: 1...(1 << 40), using: &random)
            }
        }
        let written = count()
        return Usage(uncachedInputTokens: count(), cacheReadTokens: count(), cacheWriteTokens: written,
                     cacheWrite1hTokens: Int.random(in: 0...written, using: &random), outputTokens: count(),
                     source: .reported)
    }

    @Test(arguments: [6, 9, 12])
    func wholeNumbersCostWhatDecimalsCost(decimals: Int) {
        var random = Xoshiro256(seed: UInt64(decimals))
        for _ in 0..<3_000 {
            let price = Self.price(&random, decimals: decimals)
            for _ in 0..<4 {
                let usage = Self.usage(&random)
                for batch in [false, true] {
                    let cost = price.costMicros(of: usage, batch: batch)
                    let expected = price.decimalCostMicros(of: usage, batch: batch)
                    #expect(cost == expected, "\(price) \(usage) batch: \(batch)")
                    if cost != expected { return }
                }
            }
        }
    }

    @Test func halvesRoundUpAndPricesFinerThanNanoKeepDecimals() throws {
        // 1 token at $0.5 per million is half a micro-dollar; 3 at $0.5 is 1.5.
        let half = Price(inputPerMillion: Decimal(string: "0.5")!, outputPerMillion: 0)
        #expect(half.costMicros(of: Usage(uncachedInputTokens: 1, outputTokens: 0, source: .reported)) == 1)
        #expect(half.costMicros(of: Usage(uncachedInputTokens: 3, outputTokens: 0, source: .reported)) == 2)
        #expect(half.costMicros(of: Usage(uncachedInputTokens: 1, outputTokens: 0, source: .reported), batch: true) == 0)
        #expect(WholeRates(half.rates(forInputTokens: 1)) != nil)

        let fine = Price(inputPerMillion: Decimal(string: "0.0000000001")!, outputPerMillion: 1)
        #expect(WholeRates(fine.rates(forInputTokens: 1)) == nil)
        let usage = Usage(uncachedInputTokens: 7_000_000_000, outputTokens: 1, source: .reported)
        #expect(fine.costMicros(of: usage) == fine.decimalCostMicros(of: usage))
        #expect(fine.costMicros(of: usage) == 2)
    }

    @Test func aCostPastInt64Saturates() throws {
        let price = Price(inputPerMillion: 1_000_000_000, outputPerMillion: 1_000_000_000)
        let usage = Usage(uncachedInputTokens: Int.max / 2, outputTokens: Int.max / 2, source: .reported)
        #expect(price.costMicros(of: usage) == .max)
    }
}
