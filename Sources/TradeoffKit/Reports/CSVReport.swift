import Foundation

/// The CSV exports of a run: one row per model, and one row per call.
///
/// RFC 4180 (CRLF line ends, fields quoted when they hold a comma, quote, CR or LF), with a
/// header row and a `schema_version` column. Cells that a spreadsheet would run as a formula
/// are neutralized, since model answers are untrusted text.
public struct CSVReport: Sendable {
    /// The version of the columns below; bumped when they change meaning or order.
    public static let schemaVersion = 1

    /// The columns of the per-model file.
    public static let modelColumns = [
        "schema_version", "run_id", "model_id", "model", "class", "simulated", "calls", "answered", "errors",
        "mean_score", "pass_rate", "cost_total_usd", "cost_per_case_usd", "latency_p50_ms", "latency_p95_ms",
        "input_tokens", "output_tokens",
    ]

    /// The columns of the per-call file.
    public static let callColumns = [
        "schema_version", "run_id", "model_id", "task_id", "case_id", "repeat_index", "passed", "score", "output",
        "input_tokens", "cached_input_tokens", "output_tokens", "usage_source", "cost_usd", "latency_ms",
        "http_status", "error_class", "error_message",
    ]

    /// What the exports show.
    public var summary: RunSummary

    /// The exports of `summary`.
    public init(_ summary: RunSummary) {
        self.summary = summary
    }

    /// One row per model, in run order. Dollar columns are empty for unpriced models, and
    /// score, rate and latency columns are empty when a model answered nothing.
    public func models() -> String {
        let runID = summary.run.id.map(String.init) ?? ""
        let rows = summary.models.map { model -> [String] in
            let counts: [String] = [
                "\(Self.schemaVersion)", runID, model.modelID, model.model, model.modelClass.rawValue,
                "\(model.simulated)", "\(model.calls)", "\(model.answered)", "\(model.errors)",
            ]
            let measures: [String] = [
                Self.cell(model.meanScore, Self.fraction), Self.cell(model.passRate, Self.fraction),
                Self.cell(model.totalCostMicros, Self.usd), Self.cell(model.costPerCaseMicros, Self.usd),
                Self.cell(model.latencyP50Ms, Self.milliseconds), Self.cell(model.latencyP95Ms, Self.milliseconds),
                "\(model.inputTokens)", "\(model.outputTokens)",
            ]
            return counts + measures
        }
        return Self.table(Self.modelColumns, rows)
    }

    /// One row per call, ordered by model, case and repeat (see `RunSummary.ordered(_:)`).
    ///
    /// - Parameter calls: The run's calls, as read from the store.
    public func calls(_ calls: [CallRecord]) -> String {
        let rows = summary.ordered(calls).map { call -> [String] in
            let identity: [String] = [
                "\(Self.schemaVersion)", "\(call.runId)", call.modelId, call.taskId, call.caseId, "\(call.repeatIndex)",
            ]
            let answer: [String] = [
                Self.cell(call.passed) { "\($0)" }, Self.cell(call.score, Self.fraction), call.output ?? "",
                Self.cell(call.inputTokens, String.init), Self.cell(call.cachedInputTokens, String.init),
                Self.cell(call.outputTokens, String.init), call.usageSource?.rawValue ?? "",
                Self.cell(call.costMicros, Self.usd), Self.cell(call.latencyMs, Self.milliseconds),
            ]
            let failure: [String] = [
                Self.cell(call.httpStatus, String.init), call.errorClass?.rawValue ?? "", call.errorMessage ?? "",
            ]
            return identity + answer + failure
        }
        return Self.table(Self.callColumns, rows)
    }

    // MARK: Cells

    /// A value's text, or an empty cell when there is none.
    private static func cell<Value>(_ value: Value?, _ format: (Value) -> String) -> String {
        value.map(format) ?? ""
    }

    private static func table(_ header: [String], _ rows: [[String]]) -> String {
        ([header] + rows).map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()
    }

    /// One CSV field: neutralized, then quoted when RFC 4180 requires it.
    static func field(_ text: String) -> String {
        let text = neutralized(text)
        let needsQuotes = text.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"")
            || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") }
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `text` with a `'` in front when a spreadsheet would read it as a formula: it starts with
    /// `=`, `+`, `-`, `@`, tab or carriage return. Numbers are left alone, so `-1.5` stays a number.
    static func neutralized(_ text: String) -> String {
        guard let first = text.utf8.first, "=+-@\t\r".utf8.contains(first), !isNumber(text) else { return text }
        return "'" + text
    }

    /// Whether `text` is a plain decimal number: `[+-]digits[.digits][e[+-]digits]`.
    static func isNumber(_ text: String) -> Bool {
        var bytes = text.utf8[...]
        func digits() -> Int {
            let count = bytes.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
            bytes = bytes.dropFirst(count)
            return count
        }
        func skip(_ characters: String) -> Bool {
            guard let first = bytes.first, characters.utf8.contains(first) else { return false }
            bytes = bytes.dropFirst()
            return true
        }
        _ = skip("+-")
        var mantissa = digits()
        if skip(".") { mantissa += digits() }
        guard mantissa > 0 else { return false }
        if skip("eE") {
            _ = skip("+-")
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }

    /// Micro-dollars as exact decimal dollars with 6 places: `12345` → `0.012345`.
    static func usd(_ micros: Int64) -> String {
        let magnitude = micros.magnitude
        let fraction = String(magnitude % 1_000_000)
        return (micros < 0 ? "-" : "") + "\(magnitude / 1_000_000)."
            + String(repeating: "0", count: 6 - fraction.count) + fraction
    }

    /// Scores and rates (0...1) to 6 places.
    private static func fraction(_ value: Double) -> String { String(format: "%.6f", value) }

    /// Milliseconds to the microsecond libcurl measures.
    private static func milliseconds(_ value: Double) -> String { String(format: "%.3f", value) }
}
