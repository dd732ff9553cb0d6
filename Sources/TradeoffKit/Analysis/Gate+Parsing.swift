import Foundation

extension Gate {
    /// Parses `METRIC(MODEL) OP VALUE`: `quality(llama-3.3-70b) >= 0.85`, `cost_per_case(*) <= $0.002`,
    /// `p95_latency(*) <= 4s`, `error_rate(*) < 1%`.
    ///
    /// - Throws: `GateError` saying what is wrong, with the gate as written.
    public init(parsing text: String) throws {
        // A model, or with prompt variants an arm: `quality(gpt-4o · terse) >= 0.8`.
        let pattern = /^\s*([A-Za-z0-9_]+)\s*\(\s*([^()\s]+(?: · [^()\s]+)?)\s*\)\s*(>=|<=|>|<)\s*(\S+)\s*$/
        guard let match = text.wholeMatch(of: pattern) else {
            if let match = text.firstMatch(of: /^\s*[A-Za-z0-9_]+\s*\(\s*[^()\s]+\s*\)\s*(==|=|!=|=>|=<)/) {
                throw GateError(text, "'\(match.1)' is not a comparison; use >=, <=, > or <")
            }
            throw GateError(text, "expected METRIC(MODEL) OP VALUE, like 'quality(llama-3.3-70b) >= 0.85'")
        }
        let name = String(match.1)
        guard let metric = Metric(rawValue: name) else {
            let names = Metric.allCases.map(\.rawValue)
            if let suggestion = Suggestions.closest(to: name, among: names) {
                throw GateError(text, "unknown metric '\(name)' (did you mean '\(suggestion)'?)")
            }
            throw GateError(text, "unknown metric '\(name)'; metrics: \(names.joined(separator: ", "))")
        }
        self.metric = metric
        modelID = match.2 == "*" ? nil : String(match.2)
        comparison = Comparison(rawValue: String(match.3))!
        threshold = try Self.threshold(String(match.4), unit: metric.unit, gate: text)
        self.text = text.trimmingCharacters(in: .whitespaces)
    }

    /// The threshold written as `value`, in the unit's base.
    private static func threshold(_ value: String, unit: Unit, gate: String) throws -> Double {
        func number(_ text: Substring) throws -> Decimal {
            guard text.wholeMatch(of: /[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?/) != nil,
                  let number = Decimal(string: String(text)) else {
                throw GateError(gate, "'\(value)' is not a number")
            }
            return number
        }
        func double(_ decimal: Decimal) -> Double { (decimal as NSDecimalNumber).doubleValue }
        switch unit {
        case .fraction, .ratio:
            if value.hasSuffix("%") { return double(try number(value.dropLast()) / 100) }
            if unit == .ratio, value.hasSuffix("x") || value.hasSuffix("×") { return double(try number(value.dropLast())) }
            return double(try number(value[...]))
        case .money:
            let digits = value.hasPrefix("$") ? value.dropFirst() : value[...]
            return double(try number(digits) * 1_000_000)
        case .duration:
            if value.hasSuffix("ms") { return double(try number(value.dropLast(2))) }
            if value.hasSuffix("s") { return double(try number(value.dropLast()) * 1000) }
            _ = try number(value[...])
            throw GateError(gate, "a latency needs a unit, like '4s' or '4000ms'")
        case .rate:
            return double(try number(value[...]))
        }
    }
}

/// A gate that could not be parsed or does not fit the run.
public struct GateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The gate as written.
    public var gate: String
    /// What is wrong with it.
    public var problem: String

    init(_ gate: String, _ problem: String) {
        self.gate = gate
        self.problem = problem
    }

    /// `invalid gate 'qualty(x) >= 0.8': unknown metric 'qualty' (did you mean 'quality'?)`.
    public var description: String { "invalid gate '\(gate)': \(problem)" }
}
