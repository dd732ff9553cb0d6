import Foundation

/// Prices written for people: `$2.50`, `$0.125`, `input $2.50, output $10.00 per M tokens`.
public enum PriceText {
    /// USD with at least two decimals and as many more as the amount has: `$2.50`, `$0.125`.
    public static func usd(_ amount: Decimal) -> String {
        var text = "\(amount)"
        if text.hasPrefix("-") { return "-" + usd(-amount) }
        if let dot = text.firstIndex(of: ".") {
            let decimals = text.distance(from: dot, to: text.endIndex) - 1
            if decimals < 2 { text += String(repeating: "0", count: 2 - decimals) }
        } else {
            text += ".00"
        }
        return "$" + text
    }

    /// An integer with thousands separators: `200,000`.
    public static func grouped(_ value: Int) -> String {
        let text = String(value.magnitude)
        var out = ""
        for (index, character) in text.enumerated() {
            if index > 0 && (text.count - index) % 3 == 0 { out += "," }
            out.append(character)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// Each billed field of `pricing` as (label, value), in a fixed order, for tables and diffs.
    public static func fields(of pricing: Pricing) -> [(label: String, value: String)] {
        switch pricing {
        case .tokens(let price):
            var fields: [(String, String)] = [("input", usd(price.inputPerMillion))]
            if let value = price.cachedInputPerMillion { fields.append(("cached input", usd(value))) }
            if let value = price.cacheWritePerMillion { fields.append(("cache write", usd(value))) }
            if let value = price.cacheWrite1hPerMillion { fields.append(("cache write 1h", usd(value))) }
            fields.append(("output", usd(price.outputPerMillion)))
            if let value = price.perRequest { fields.append(("per request", usd(value))) }
            if let value = price.batch?.inputPerMillion { fields.append(("batch input", usd(value))) }
            if let value = price.batch?.outputPerMillion { fields.append(("batch output", usd(value))) }
            for tier in price.tiers { fields.append(("above \(grouped(tier.aboveInputTokens))", tierText(tier))) }
            return fields
        case .hourly(let price):
            var fields: [(String, String)] = [("per hour", usd(price.perHour)), ("replicas", String(price.replicas))]
            if let value = price.utilization { fields.append(("utilization", "\(value)")) }
            if let value = price.throughput { fields.append(("throughput", throughput(value))) }
            return fields
        }
    }

    /// One line: `input $2.50, cached input $1.25, output $10.00 per M tokens; ...`.
    public static func summary(of pricing: Pricing) -> String {
        switch pricing {
        case .tokens(let price):
            var parts = ["input \(usd(price.inputPerMillion))"]
            if let value = price.cachedInputPerMillion { parts.append("cached input \(usd(value))") }
            if let value = price.cacheWritePerMillion { parts.append("cache write \(usd(value))") }
            if let value = price.cacheWrite1hPerMillion { parts.append("cache write 1h \(usd(value))") }
            parts.append("output \(usd(price.outputPerMillion)) per M tokens")
            var text = parts.joined(separator: ", ")
            if let value = price.perRequest { text += "; \(usd(value)) per request" }
            if let batch = price.batch {
                let batchParts = [batch.inputPerMillion.map { "input \(usd($0))" },
                                  batch.outputPerMillion.map { "output \(usd($0))" }].compactMap { $0 }
                text += "; batch " + batchParts.joined(separator: ", ")
            }
            for tier in price.tiers { text += "; above \(grouped(tier.aboveInputTokens)) tokens: " + tierText(tier) }
            return text
        case .hourly(let price):
            var text = "\(usd(price.perHour)) per hour × \(price.replicas) replica\(price.replicas == 1 ? "" : "s")"
            if let value = price.utilization { text += " at \(value) utilization" }
            if let value = price.throughput { text += "; \(throughput(value)) in production" }
            return text
        }
    }

    /// A throughput: `2,400 output tokens/s at concurrency 32`, `1.25 calls/s`.
    public static func throughput(_ throughput: Throughput) -> String {
        number(throughput.perSecond) + " " + throughput.unit.label
            + (throughput.concurrency.map { " at concurrency \(number($0))" } ?? "")
    }

    /// A decimal with thousands separators and its own decimals: `1,850.25`, `0.5`.
    public static func number(_ value: Decimal) -> String {
        let text = "\(value)"
        let parts = text.split(separator: ".", maxSplits: 1)
        guard let whole = Int(parts[0]) else { return text }
        return grouped(whole) + (parts.count > 1 ? "." + parts[1] : "")
    }

    private static func tierText(_ tier: PriceTier) -> String {
        [tier.inputPerMillion.map { "input \(usd($0))" }, tier.cachedInputPerMillion.map { "cached input \(usd($0))" },
         tier.cacheWritePerMillion.map { "cache write \(usd($0))" },
         tier.cacheWrite1hPerMillion.map { "cache write 1h \(usd($0))" }, tier.outputPerMillion.map { "output \(usd($0))" }]
            .compactMap { $0 }.joined(separator: ", ")
    }
}
