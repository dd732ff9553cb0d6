import Foundation

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

    /// Every micro-dollar shown, at least to the cent: `$1,234.500012`, `$0.50`, `$0.000123`.
    public static func exact(micros: Int64) -> String {
        let sign = micros < 0 ? "-$" : "$"
        let value = micros.magnitude
        var fraction = String(value % 1_000_000)
        fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
        while fraction.count > 2 && fraction.hasSuffix("0") { fraction.removeLast() }
        return sign + grouped(value / 1_000_000) + "." + fraction
    }

    /// For a sentence that compares two amounts: under a dollar, rounded to three significant
    /// digits and keeping them all (`$0.204`, `$0.0242`, `$0.0100`), so both sides read alike
    /// ("$0.01 instead of $0.167" reads as a typo); otherwise as `format(micros:)`.
    public static func rounded(micros: Int64) -> String {
        let value = micros.magnitude
        guard value < 1_000_000, value >= 1_000 else { return format(micros: micros) }
        var scale: UInt64 = 1
        var decimals = 6
        while value / scale >= 1_000 {
            scale *= 10
            decimals -= 1
        }
        let roundedValue = (value + scale / 2) / scale * scale
        if roundedValue / scale >= 1_000 { decimals -= 1 }  // 99,960 rounds up to 100,000: $0.100
        guard roundedValue < 1_000_000 else { return format(micros: micros < 0 ? -Int64(roundedValue) : Int64(roundedValue)) }
        let digits = String(roundedValue)
        let padded = String(repeating: "0", count: 6 - digits.count) + digits
        return (micros < 0 ? "-$" : "$") + "0." + padded.prefix(decimals)
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

extension Money {
    /// How an exact, fractional amount becomes whole micro-dollars.
    public enum Rounding: Sendable, Hashable {
        /// Half a micro-dollar or more rounds up: what a provider's invoice line would show.
        case halfUp
        /// Toward zero for amounts ≥ 0: a budget never allows more than was given.
        case down
    }

    /// An exact amount in micro-dollars (a price times tokens, a share of an hourly bill) as a
    /// whole number of micro-dollars.
    ///
    /// An amount beyond what an `Int64` holds (a price times an absurd token count) saturates at
    /// `Int64.max` or `Int64.min`: money never wraps around to a small or negative number.
    public static func micros(exactly micros: Decimal, rounding: Rounding = .halfUp) -> Int64 {
        let whole = micros.rounded(rounding == .halfUp ? .plain : .down)
        if whole.isNaN { return 0 }
        if whole >= Decimal(Int64.max) { return .max }
        if whole <= Decimal(Int64.min) { return .min }
        return whole.int64Value
    }

    /// `micros` of a `Double` (a ratio of amounts), rounded half away from zero, saturating as
    /// `micros(exactly:)` does; 0 for NaN.
    public static func micros(_ micros: Double) -> Int64 {
        guard !micros.isNaN else { return 0 }
        // Int64.max is not a Double: 2^63 is the first Double past it.
        guard micros < 9_223_372_036_854_775_808.0 else { return .max }
        guard micros >= -9_223_372_036_854_775_808.0 else { return .min }
        return Int64(micros.rounded())
    }

    /// `a + b`, saturating at `Int64.max` and `Int64.min` instead of trapping: totals of costs
    /// stay ordered and never wrap.
    public static func sum(_ a: Int64, _ b: Int64) -> Int64 {
        let (total, overflow) = a.addingReportingOverflow(b)
        guard overflow else { return total }
        return b > 0 ? .max : .min
    }

    /// US dollars (`0.0123`, a provider's reported charge or a `--budget-usd`) as micro-dollars.
    public static func micros(dollars: Decimal, rounding: Rounding = .halfUp) -> Int64 {
        micros(exactly: dollars * 1_000_000, rounding: rounding)
    }
}
