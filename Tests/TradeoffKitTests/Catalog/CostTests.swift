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
