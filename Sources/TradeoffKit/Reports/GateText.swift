import Foundation

/// How gate results read in reports, JUnit and on the terminal.
public enum GateText {
    /// The measured value in the metric's unit: `0.932`, `93.2%`, `$0.000161`, `64 ms`, `0.2×`, or
    /// why there is none.
    static func value(_ result: GateResult) -> String {
        guard let value = result.value else { return result.missingReason ?? Formatting.none }
        switch result.gate.metric.unit {
        case .fraction:
            return result.gate.metric == .quality || result.gate.metric == .relativeQuality
                ? Formatting.quality(value) : Formatting.percent(value)
        case .money: return Formatting.money(exact: value)
        case .duration: return Formatting.milliseconds(value)
        case .rate: return String(format: "%.1f", value)
        case .ratio: return String(format: "%.3f×", value)
        }
    }

    /// The measured value as a typed quantity that reads as `value(_:)`.
    static func quantity(_ result: GateResult) -> Quantity {
        let unit: Quantity.Unit
        switch result.gate.metric.unit {
        case .fraction:
            unit = result.gate.metric == .quality || result.gate.metric == .relativeQuality ? .number : .percent
        case .money: unit = .money
        case .duration: unit = .duration
        case .rate, .ratio: unit = .number
        }
        return Quantity(unit, result.value, display: value(result))
    }

    /// One line per result: `FAIL quality(llama) >= 0.85: llama measured 0.812`.
    public static func line(_ result: GateResult) -> String {
        let subject = result.modelID.map { "\($0) measured " } ?? ""
        return "\(result.passed ? "pass" : "FAIL") \(result.gate.text): \(subject)\(value(result))"
    }
}
