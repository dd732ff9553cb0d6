import Foundation

/// How numbers read in the reports, the same everywhere: qualities to 3 places, rates as
/// percentages, signed differences with a real minus sign, milliseconds grouped.
enum Formatting {
    /// Shown where there is nothing to measure.
    static let none = "—"

    /// `0.947`.
    static func quality(_ value: Double) -> String { String(format: "%.3f", value) }

    /// `0.947 (0.871–0.979)`.
    static func quality(_ value: Double?, _ interval: Interval?) -> String {
        guard let value else { return none }
        guard let interval else { return quality(value) }
        return "\(quality(value)) (\(quality(interval.lower))–\(quality(interval.upper)))"
    }

    /// `93.9%`.
    static func percent(_ rate: Double) -> String { String(format: "%.1f%%", rate * 100) }

    /// `93.9% (85.4–97.6%)`.
    static func percent(_ value: Double?, _ interval: Interval?) -> String {
        guard let value else { return none }
        guard let interval else { return percent(value) }
        return String(format: "%.1f%% (%.1f–%.1f%%)", value * 100, interval.lower * 100, interval.upper * 100)
    }

    /// A ratio as a whole percentage: `96%`; `0.4%` below 1%.
    static func ratioPercent(_ ratio: Double) -> String {
        ratio < 0.01 ? String(format: "%.1f%%", ratio * 100) : String(format: "%.0f%%", ratio * 100)
    }

    /// `+0.015`, `−0.015`, `0.000`.
    static func signed(_ value: Double) -> String {
        let text = String(format: "%.3f", abs(value))
        if text == "0.000" { return text }
        return (value < 0 ? "−" : "+") + text
    }

    /// `−0.015 (−0.076 to +0.045)`.
    static func signed(_ value: Double?, _ interval: Interval?) -> String {
        guard let value else { return none }
        guard let interval else { return signed(value) }
        return "\(signed(value)) (\(signed(interval.lower)) to \(signed(interval.upper)))"
    }

    /// A p-value: `0.031`, `<0.001`, `1.000`.
    static func pValue(_ p: Double) -> String { p < 0.001 ? "<0.001" : String(format: "%.3f", p) }

    /// `60 ms`, `4.5 ms`, `12,346 ms`.
    static func milliseconds(_ value: Double) -> String {
        value < 10 ? String(format: "%.1f ms", value) : grouped(Int(value.rounded())) + " ms"
    }

    /// `1,234,567`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = value < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return out
    }

    /// Micro-dollars as money for people (see `Money.format(micros:)`).
    static func money(_ micros: Int64?) -> String { micros.map { Money.format(micros: $0) } ?? none }

    /// Unrounded micro-dollars (a cost per case), rounded to whole micro-dollars for display.
    static func money(exact micros: Double) -> String {
        Money.format(micros: Int64(micros.rounded()))
    }

    /// UTC, ISO 8601, to the second: `2025-05-01T12:00:00Z`.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(secondsFromGMT: 0)!))
    }

    /// `12.3 s`, `4 min 12 s`, `1 h 02 min`.
    static func duration(_ seconds: TimeInterval) -> String {
        let seconds = max(0, seconds)
        if seconds < 59.95 { return String(format: "%.1f s", seconds) }
        let whole = Int(seconds.rounded())
        if whole < 3600 { return "\(whole / 60) min \(whole % 60) s" }
        return String(format: "%d h %02d min", whole / 3600, (whole % 3600) / 60)
    }

    /// `δ = 0.05`.
    static func margin(_ margin: Double) -> String { "δ = " + number(margin) }

    /// A plain number without trailing zeros: `0.05`, `2`, `0.125`.
    static func number(_ value: Double) -> String {
        var text = String(format: "%.6f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// `a`, `a and b`, `a, b and c`.
    static func list(_ items: [String], conjunction: String = "and") -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " \(conjunction) " + items.last!
    }

    /// `text` cut at `limit` characters with an ellipsis.
    static func truncated(_ text: String, to limit: Int) -> String {
        text.count > limit ? String(text.prefix(limit)) + "…" : text
    }

    /// `1 case`, `2 cases`.
    static func count(_ value: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(grouped(value)) " + (value == 1 ? singular : plural ?? singular + "s")
    }
}
