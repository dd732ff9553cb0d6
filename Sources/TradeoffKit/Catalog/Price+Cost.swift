import Foundation

extension Price {
    /// The cost of `usage` in micro-dollars (1e-6 USD), rounded half up once at the end.
    ///
    /// Prices are USD per million tokens, so a token costs exactly `price` micro-dollars:
    /// cost = uncached input × input + cache reads × cached_input (or input)
    ///        + cache writes × input + output × output.
    public func costMicros(of usage: Usage) -> Int64 {
        var total = Decimal(usage.uncachedInputTokens + usage.cacheWriteTokens) * inputPerMillion
        total += Decimal(usage.cacheReadTokens) * (cachedInputPerMillion ?? inputPerMillion)
        total += Decimal(usage.outputTokens) * outputPerMillion
        var rounded = Decimal()
        NSDecimalRound(&rounded, &total, 0, .plain)
        return (rounded as NSDecimalNumber).int64Value
    }
}

/// Formats micro-dollars as USD for people: `$0.0123`, `$0.50`, `$1,240.00`.
public enum Money {
    /// Amounts of a dollar or more are rounded to cents; smaller ones keep up to 6 decimals
    /// (at least 2), so a cost per case of a cheap model never shows as $0.00.
    public static func format(micros: Int64) -> String {
        let sign = micros < 0 ? "-$" : "$"
        let value = micros.magnitude
        if value >= 1_000_000 {
            let cents = (value + 5_000) / 10_000
            let centsPart = cents % 100
            return sign + grouped(cents / 100) + "." + (centsPart < 10 ? "0" : "") + String(centsPart)
        }
        var digits = String(value)
        digits = String(repeating: "0", count: 6 - digits.count) + digits
        while digits.count > 2 && digits.hasSuffix("0") { digits.removeLast() }
        return sign + "0." + digits
    }

    private static func grouped(_ value: UInt64) -> String {
        let text = String(value)
        var out = ""
        for (index, char) in text.enumerated() {
            if index > 0 && (text.count - index) % 3 == 0 { out += "," }
            out.append(char)
        }
        return out
    }
}
