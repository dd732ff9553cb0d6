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
