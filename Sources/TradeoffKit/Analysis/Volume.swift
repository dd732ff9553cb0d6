import Foundation

/// A workload's volume, in cases (requests) per month, for projecting monthly cost.
public struct Volume: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Cases per month.
    public var casesPerMonth: Int64

    /// A volume of `casesPerMonth`.
    public init(casesPerMonth: Int64) {
        self.casesPerMonth = casesPerMonth
    }

    /// Parses `2M/month`, `500k`, `1.5M/month`, `120000` or `120,000/month`.
    ///
    /// Suffixes: `k` (thousand), `M` (million), `B` (billion); the period, when written, is
    /// `/month`.
    ///
    /// - Throws: `VolumeError` for anything else, or for less than one case a month.
    public init(parsing text: String) throws {
        var body = text.trimmingCharacters(in: .whitespaces)
        if body.lowercased().hasSuffix("/month") { body.removeLast("/month".count) }
        body = body.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "_", with: "")
        var multiplier: Decimal = 1
        switch body.last {
        case "k", "K": multiplier = 1_000
        case "M": multiplier = 1_000_000
        case "B": multiplier = 1_000_000_000
        default: break
        }
        if multiplier != 1 { body.removeLast() }
        guard body.wholeMatch(of: /[0-9]+(\.[0-9]+)?/) != nil, let number = Decimal(string: body) else {
            throw VolumeError(text: text)
        }
        let value = number * multiplier
        let rounded = value.rounded()
        guard rounded == value, rounded >= 1, rounded <= Decimal(Int64.max / 1_000_000) else {
            throw VolumeError(text: text)
        }
        casesPerMonth = rounded.int64Value
    }

    /// `2M/month`, `1.5M/month`, `500k/month`, `12,345/month`.
    public var description: String {
        for (unit, size) in [("B", Int64(1_000_000_000)), ("M", 1_000_000), ("k", 1_000)]
        where casesPerMonth >= size && (casesPerMonth * 10) % size == 0 {
            let tenths = casesPerMonth * 10 / size
            let number = tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
            return number + unit + "/month"
        }
        let digits = String(casesPerMonth)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped += "," }
            grouped.append(digit)
        }
        return grouped + "/month"
    }

    /// The monthly cost at this volume of a model that spent `totalMicros` on `cases` answers,
    /// in micro-dollars: totalMicros × casesPerMonth / cases, rounded half up, in exact decimals.
    ///
    /// - Returns: The cost, or nil when `cases` is 0.
    public func monthlyCostMicros(totalMicros: Int64, cases: Int) -> Int64? {
        guard cases > 0 else { return nil }
        let exact = Decimal(totalMicros) * Decimal(casesPerMonth) / Decimal(cases)
        guard exact.rounded() <= Decimal(Int64.max) else { return Int64.max }
        return Money.micros(exactly: exact)
    }
}

/// A volume that could not be read.
public struct VolumeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was written.
    public var text: String
    /// What it should have been.
    public var expectation = "cases per month, like '2M/month', '500k' or '120000'"

    /// `invalid volume '2X': expected cases per month, like '2M/month', '500k' or '120000'`.
    public var description: String {
        "invalid volume '\(text)': expected \(expectation)"
    }
}
