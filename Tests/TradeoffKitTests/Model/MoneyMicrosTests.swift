import Foundation
import Testing
@testable import TradeoffKit

@Suite struct MoneyMicrosTests {
    @Test(arguments: [
        ("0.4", Int64(0)), ("0.5", 1), ("1.49999", 1), ("2.5", 3), ("123456.5", 123_457), ("0", 0),
    ])
    func exactMicrosRoundHalfUp(_ exact: String, _ expected: Int64) throws {
        let value = try #require(Decimal(string: exact))
        #expect(Money.micros(exactly: value) == expected)
    }

    @Test(arguments: [("0.9", Int64(0)), ("1.999999", 1), ("7", 7)])
    func exactMicrosRoundDown(_ exact: String, _ expected: Int64) throws {
        let value = try #require(Decimal(string: exact))
        #expect(Money.micros(exactly: value, rounding: .down) == expected)
    }

    @Test(arguments: [
        ("0.0000005", Int64(1), Int64(0)), ("0.0123", 12_300, 12_300), ("1.2345678", 1_234_568, 1_234_567),
        ("25", 25_000_000, 25_000_000),
    ])
    func dollarsToMicros(_ dollars: String, _ halfUp: Int64, _ down: Int64) throws {
        let value = try #require(Decimal(string: dollars))
        #expect(Money.micros(dollars: value) == halfUp)
        #expect(Money.micros(dollars: value, rounding: .down) == down)
    }
}

/// Money saturates instead of wrapping: a price times an absurd token count, or a total of such
/// costs, stays the largest amount there is, never a small or negative one.
@Suite struct MoneySaturationTests {
    @Test(arguments: [
        ("1e19", Int64.max), ("1e30", Int64.max), ("9223372036854775807", Int64.max),
        ("-1e30", Int64.min), ("9223372036854775806", 9_223_372_036_854_775_806),
    ])
    func exactMicrosSaturateBeyondInt64(_ exact: String, _ expected: Int64) throws {
        let value = try #require(Decimal(string: exact))
        #expect(Money.micros(exactly: value) == expected)
    }

    @Test func aPriceTimesAnAbsurdUsageSaturates() {
        let price = Price(inputPerMillion: 3, outputPerMillion: 15)
        let absurd = Usage(uncachedInputTokens: Int.max, outputTokens: Int.max, source: .reported)
        #expect(price.costMicros(of: absurd) == Int64.max)
    }

    @Test(arguments: [
        (Int64.max, Int64(1), Int64.max), (Int64.max - 5, Int64(10), Int64.max), (Int64.min, Int64(-1), Int64.min),
        (Int64(2), Int64(3), Int64(5)), (Int64(-2), Int64(3), Int64(1)),
    ])
    func sumsSaturate(_ a: Int64, _ b: Int64, _ expected: Int64) {
        #expect(Money.sum(a, b) == expected)
    }

    @Test(arguments: [(1e30, Int64.max), (-1e30, Int64.min), (2.5, Int64(3)), (Double.nan, Int64(0))])
    func doublesSaturate(_ value: Double, _ expected: Int64) {
        #expect(Money.micros(value) == expected)
    }
}
