import Foundation
import Testing
import TradeoffKit

struct CostTests {
    @Test(arguments: [
        // (input, cached, output, expected micro-dollars) at $2.50 / $1.25 cached / $10.00 per million.
        (1_000, 0, 100, Int64(3_500)),
        (1_000, 400, 100, Int64(3_000)),
        (0, 0, 0, Int64(0)),
        (1_000_000, 0, 1_000_000, Int64(12_500_000)),
        (1, 0, 0, Int64(3)),   // 2.5 micro-dollars rounds half up
    ])
    func costIsExactDecimalArithmetic(input: Int, cached: Int, output: Int, expected: Int64) {
        let price = Price(inputPerMillion: Decimal(string: "2.50")!, outputPerMillion: Decimal(string: "10.00")!,
                          cachedInputPerMillion: Decimal(string: "1.25")!)
        let usage = Usage(inputTokens: input, cachedInputTokens: cached, outputTokens: output, source: .reported)
        #expect(price.costMicros(of: usage) == expected)
    }

    @Test func cachedTokensCostInputPriceWhenNoCachedPriceIsGiven() {
        let price = Price(inputPerMillion: Decimal(string: "0.59")!, outputPerMillion: Decimal(string: "0.79")!)
        let usage = Usage(inputTokens: 1_000, cachedInputTokens: 500, outputTokens: 1_000, source: .reported)
        #expect(price.costMicros(of: usage) == 1_380)
    }

    /// Claude Sonnet 4.5's prices: a long-context tier above 200,000 prompt tokens.
    private static let tiered = Price(
        inputPerMillion: 3, outputPerMillion: 15, cachedInputPerMillion: Decimal(string: "0.30")!,
        cacheWritePerMillion: Decimal(string: "3.75")!,
        tiers: [PriceTier(aboveInputTokens: 200_000, inputPerMillion: 6, outputPerMillion: Decimal(string: "22.50")!,
                          cachedInputPerMillion: Decimal(string: "0.60")!)])

    @Test(arguments: [
        // (uncached, cache reads, cache writes, output, expected micro-dollars)
        (200_000, 0, 0, 1_000, Int64(615_000)),       // exactly the threshold: base prices
        (200_001, 0, 0, 1_000, Int64(1_222_506)),     // one token more: the tier, for the whole call
        (100_000, 100_001, 0, 0, Int64(660_001)),     // cache reads count toward the prompt size
        (199_000, 0, 1_001, 0, Int64(1_197_754)),     // so do cache writes (the tier keeps the base write price)
        (0, 0, 0, 0, Int64(0)),
    ])
    func tierSelectionAtTheThreshold(uncached: Int, reads: Int, writes: Int, output: Int, expected: Int64) {
        let usage = Usage(uncachedInputTokens: uncached, cacheReadTokens: reads, cacheWriteTokens: writes,
                          outputTokens: output, source: .reported)
        #expect(Self.tiered.costMicros(of: usage) == expected)
    }

    @Test func theHighestTierThePromptExceedsApplies() {
        var price = Price(inputPerMillion: 1, outputPerMillion: 2, tiers: [
            PriceTier(aboveInputTokens: 128_000, inputPerMillion: 2),
            PriceTier(aboveInputTokens: 256_000, inputPerMillion: 4, outputPerMillion: 8),
        ])
        #expect(price.rates(forInputTokens: 128_000).input == 1)
        #expect(price.rates(forInputTokens: 128_001).input == 2)
        #expect(price.rates(forInputTokens: 128_001).output == 2)   // the tier keeps the base output price
        #expect(price.rates(forInputTokens: 256_001).tier?.aboveInputTokens == 256_000)
        #expect(price.rates(forInputTokens: 256_001).output == 8)
        price.tiers = []
        #expect(price.rates(forInputTokens: 1_000_000).input == 1)
    }

    @Test func batchCallsAreHalfPriceUnlessBatchPricesAreGiven() {
        let usage = Usage(inputTokens: 1_000_000, cachedInputTokens: 200_000, outputTokens: 100_000, source: .reported)
        var price = Price(inputPerMillion: Decimal(string: "2.50")!, outputPerMillion: 10,
                          cachedInputPerMillion: Decimal(string: "1.25")!)
        #expect(price.costMicros(of: usage) == 3_250_000)
        #expect(price.costMicros(of: usage, batch: true) == 1_625_000)
        price.batch = BatchPrice(inputPerMillion: 2, outputPerMillion: 4)
        // Published batch input and output; cached input is still halved.
        #expect(price.costMicros(of: usage, batch: true) == 800_000 * 2 + 200_000 * 625 / 1_000 + 100_000 * 4)
        // Above a tier, batch is half the tier's prices.
        price.tiers = [PriceTier(aboveInputTokens: 500_000, inputPerMillion: 5, outputPerMillion: 20)]
        #expect(price.costMicros(of: usage, batch: true) == 800_000 * 5 / 2 + 200_000 * 625 / 1_000 + 100_000 * 10)
    }

    @Test func perRequestFeesAndCacheWritesAreBilled() {
        let price = Price(inputPerMillion: 1, outputPerMillion: 1, cacheWritePerMillion: Decimal(string: "1.25")!,
                          perRequest: Decimal(string: "0.005")!)
        let usage = Usage(uncachedInputTokens: 100, cacheWriteTokens: 1_000, outputTokens: 10, source: .reported)
        #expect(price.costMicros(of: usage) == 100 + 1_250 + 10 + 5_000)
        // A cache write without its own price is billed as input.
        let plain = Price(inputPerMillion: 1, outputPerMillion: 1)
        #expect(plain.costMicros(of: usage) == 1_110)
    }

    /// Anthropic bills 1-hour cache writes at 2× input, 5-minute ones at 1.25×.
    @Test func oneHourCacheWritesAreBilledAtTheirOwnPrice() {
        let usage = Usage(uncachedInputTokens: 0, cacheWriteTokens: 100_000, cacheWrite1hTokens: 100_000, outputTokens: 0,
                          source: .reported)
        // Without a 1-hour price: twice the input price, whatever the 5-minute price.
        let sonnet = Price(inputPerMillion: 3, outputPerMillion: 15, cacheWritePerMillion: Decimal(string: "3.75")!)
        #expect(sonnet.costMicros(of: usage) == 600_000)
        var priced = sonnet
        priced.cacheWrite1hPerMillion = 5
        #expect(priced.costMicros(of: usage) == 500_000)
        // A mix: the 5-minute part at cache_write, the 1-hour part at cache_write_1h.
        let mixed = Usage(uncachedInputTokens: 10, cacheWriteTokens: 1_300, cacheWrite1hTokens: 1_000, outputTokens: 2,
                          source: .reported)
        #expect(sonnet.costMicros(of: mixed) == 30 + 1_125 + 6_000 + 30)
        // Above a tier without its own 1-hour price: twice the tier's input.
        let tiered = Price(inputPerMillion: 3, outputPerMillion: 15,
                           tiers: [PriceTier(aboveInputTokens: 200_000, inputPerMillion: 6)])
        let long = Usage(uncachedInputTokens: 150_000, cacheWriteTokens: 100_000, cacheWrite1hTokens: 100_000,
                         outputTokens: 0, source: .reported)
        #expect(tiered.costMicros(of: long) == 900_000 + 1_200_000)
        // In a batch, half.
        #expect(sonnet.costMicros(of: usage, batch: true) == 300_000)
    }

    @Test(arguments: [
        (Int64(0), "$0.00"),
        (Int64(12_300), "$0.0123"),
        (Int64(500_000), "$0.50"),
        (Int64(3), "$0.000003"),
        (Int64(1_000_000), "$1.00"),
        (Int64(1_234_567_891), "$1,234.57"),
        (Int64(1_999_999), "$2.00"),
        (Int64(-12_300), "-$0.0123"),
    ])
    func moneyFormatsForPeople(micros: Int64, text: String) {
        #expect(Money.format(micros: micros) == text)
    }

    @Test func secretsAreRedacted() {
        #expect(Secrets.redact("Incorrect API key provided: sk-abcdef123", ["sk-abcdef123"]) == "Incorrect API key provided: [redacted]")
        #expect(Secrets.redact("a b c", ["a"]) == "a b c")
    }
}

/// Amounts compared in a sentence read alike: three significant digits under a dollar.
struct MoneyRoundingTests {
    @Test(arguments: [
        (Int64(203_773), "$0.204"), (161_000, "$0.161"), (24_197, "$0.0242"), (2_394, "$0.00239"), (999, "$0.000999"),
        (999_600, "$1.00"), (1_234_567, "$1.23"), (-203_773, "-$0.204"), (0, "$0.00"),
        // Trailing zeros kept: "$0.0100 instead of $0.167", never "$0.01 instead of $0.167".
        (10_000, "$0.0100"), (200_000, "$0.200"), (1_000, "$0.00100"), (99_960, "$0.100"),
    ])
    func roundedToThreeSignificantDigits(micros: Int64, expected: String) {
        #expect(Money.rounded(micros: micros) == expected)
    }
}
