import Foundation

/// The CSV exports of a run: one row per model, one per task and model, and one per call.
///
/// RFC 4180 (CRLF line ends, fields quoted when they hold a comma, quote, CR or LF), with a
/// header row and a `schema_version` column. Cells that a spreadsheet would run as a formula
/// are neutralized, since model answers are untrusted text and these files are opened in Excel.
public struct CSVReport: Sendable {
    /// The version of the columns below; bumped when they change meaning or order.
    public static let schemaVersion = 2

    /// The columns of the per-model file.
    public static let modelColumns = [
        "schema_version", "run_id", "model_id", "model", "class", "simulated", "reference", "calls", "answered",
        "errors", "error_rate", "cases", "quality", "quality_lower", "quality_upper", "quality_interval",
        "pass_rate", "pass_rate_lower", "pass_rate_upper", "pass_rate_interval", "cost_total_usd",
        "cost_per_case_usd", "cost_per_1k_cases_usd", "cost_per_correct_usd", "monthly_cost_usd",
        "latency_p50_ms", "latency_p90_ms", "latency_p95_ms", "latency_p99_ms", "ttft_p50_ms", "ttft_p90_ms",
        "ttft_p99_ms", "output_tokens_per_second_p50", "input_tokens", "cached_input_tokens", "output_tokens",
        "delta_quality", "delta_lower", "delta_upper", "delta_interval", "relative_quality",
        "relative_quality_lower", "relative_quality_upper", "relative_cost", "flips_won", "flips_lost",
        "mcnemar_p", "mcnemar_p_holm", "margin", "non_inferiority", "cases_needed", "on_frontier", "recommended",
        "not_started",
    ]

    /// The columns of the per-task file.
    public static let taskColumns = [
        "schema_version", "run_id", "task_id", "model_id", "reference", "cases", "calls", "answered", "errors",
        "quality", "quality_lower", "quality_upper", "quality_interval", "pass_rate", "pass_rate_lower",
        "pass_rate_upper", "cost_total_usd", "cost_per_case_usd", "delta_quality", "delta_lower", "delta_upper",
        "flips_won", "flips_lost", "mcnemar_p", "mcnemar_p_holm", "margin", "non_inferiority", "cases_needed",
        "recommended",
    ]

    /// The columns of the per-call file.
    public static let callColumns = [
        "schema_version", "run_id", "model_id", "task_id", "case_id", "repeat_index", "passed", "score", "output",
        "input_tokens", "cached_input_tokens", "output_tokens", "usage_source", "cost_usd", "latency_ms", "ttft_ms",
        "output_tokens_per_second", "http_status", "error_class", "error_message", "started_at",
    ]

    /// The columns of the calls file of a run with prompt variants: `callColumns`, then
    /// `prompt_variant`; `model_id` is then the catalog model's id, not its arm's label.
    public static func callColumns(variants: [String]) -> [String] {
        variants.isEmpty ? callColumns : callColumns + ["prompt_variant"]
    }

    /// The columns of the routing file: one row per task (`row` = `task`), then one for the
    /// portfolio as a whole (`row` = `portfolio`), then one per cascade (`row` = `cascade`).
    public static let routingColumns = [
        "schema_version", "run_id", "row", "task_id", "cases", "weight", "model_id", "reason", "shared_cases",
        "quality", "quality_lower", "quality_upper", "quality_interval", "cost_per_case_usd", "cost_per_1k_cases_usd",
        "monthly_cost_usd", "reference_id", "reference_quality", "reference_cost_per_1k_cases_usd", "relative_quality",
        "relative_quality_lower", "relative_quality_upper", "relative_cost", "best_single_id", "best_single_quality",
        "best_single_cost_per_1k_cases_usd", "best_single_relative_quality", "best_single_relative_quality_lower",
        "best_single_relative_quality_upper", "best_single_relative_cost", "latency_p50_ms", "latency_p95_ms",
        "cascade_models", "escalate_when", "escalation_rate", "pgr", "difference", "difference_lower", "difference_upper",
        "check_cost_per_1k_cases_usd",
    ]

    /// What the exports show.
    public var summary: RunSummary

    /// The exports of `summary`.
    public init(_ summary: RunSummary) {
        self.summary = summary
    }

    /// One row per model, in run order. Dollar columns are empty for unpriced models, measures
    /// and costs are empty when a model answered nothing (not $0), comparison columns are empty
    /// for the reference. `not_started` counts the calls a partial run never made: not answered
    /// either, apart from `errors` (calls made that failed).
    public func models() -> String {
        let runID = summary.run.id.map(String.init) ?? ""
        let frontier = Set(summary.frontier.frontierPoints.map(\.modelID))
        let rows = summary.models.map { model -> [String] in
            let identity: [String] = [
                "\(Self.schemaVersion)", runID, model.modelID, model.model, model.modelClass.rawValue,
                "\(model.simulated)", "\(model.modelID == summary.referenceID)", "\(model.calls)", "\(model.answered)",
                "\(model.errors)", Self.cell(model.errorRate, Self.fraction), "\(model.cases)",
            ]
            let quality = Self.estimate(model.quality, model.qualityInterval)
                + Self.estimate(model.passRate, model.passRateInterval)
            let cost: [String] = [
                Self.cell(model.shownTotalCostMicros, Self.usd), Self.cell(model.preciseCostPerCaseMicros, Self.usd),
                Self.cell(model.costPer1kCasesMicros, Self.usd), Self.cell(model.preciseCostPerCorrectMicros, Self.usd),
                Self.cell(summary.monthlyCostMicros(of: model.modelID), Self.usd),
            ]
            let timing: [String] = [
                Self.cell(model.latency?.p50, Self.milliseconds), Self.cell(model.latency?.p90, Self.milliseconds),
                Self.cell(model.latency?.p95, Self.milliseconds), Self.cell(model.latency?.p99, Self.milliseconds),
                Self.cell(model.timeToFirstToken?.p50, Self.milliseconds),
                Self.cell(model.timeToFirstToken?.p90, Self.milliseconds),
                Self.cell(model.timeToFirstToken?.p99, Self.milliseconds),
                Self.cell(model.medianOutputTokensPerSecond, Self.milliseconds),
                "\(model.inputTokens)", "\(model.cachedInputTokens)", "\(model.outputTokens)",
            ]
            let comparison = summary.comparison(for: model.modelID)
            var relativeCost = ""
            if comparison != nil, let cost = model.exactCostPerCase, let reference = summary.reference?.exactCostPerCase,
               reference > 0 {
                relativeCost = Self.fraction(cost / reference)
            }
            let paired: [String] = Self.estimate(comparison?.difference, comparison?.differenceInterval) + [
                Self.cell(comparison?.relativeQuality, Self.fraction),
                Self.cell(comparison?.relativeQualityInterval?.lower, Self.fraction),
                Self.cell(comparison?.relativeQualityInterval?.upper, Self.fraction), relativeCost,
            ] + Self.verdict(comparison)
            let verdicts: [String] = [
                "\(frontier.contains(model.modelID))", "\(summary.recommendation?.modelID == model.modelID)",
                "\(model.notStarted)",
            ]
            return identity + quality + cost + timing + paired + verdicts
        }
        return Self.table(Self.modelColumns, rows)
    }

    /// One row per task and model, tasks in suite order, models in run order.
    public func tasks() -> String {
        let runID = summary.run.id.map(String.init) ?? ""
        var rows: [[String]] = []
        for task in summary.tasks {
            for model in summary.models {
                guard let result = task.perModel[model.modelID] else { continue }
                let comparison = result.comparison
                var row: [String] = [
                    "\(Self.schemaVersion)", runID, task.taskID, model.modelID, "\(model.modelID == summary.referenceID)",
                    "\(result.cases)", "\(result.calls)", "\(result.answered)", "\(result.errors)",
                ]
                row += Self.estimate(result.quality, result.qualityInterval)
                row += Array(Self.estimate(result.passRate, result.passRateInterval).prefix(3))
                row += [Self.cell(result.shownTotalCostMicros, Self.usd), Self.cell(result.preciseCostPerCaseMicros, Self.usd)]
                row += Array(Self.estimate(comparison?.difference, comparison?.differenceInterval).prefix(3))
                row += Self.verdict(comparison)
                row.append("\(task.recommendation?.modelID == model.modelID)")
                rows.append(row)
            }
        }
        return Self.table(Self.taskColumns, rows)
    }

    /// The portfolio (`RunSummary.routing`): one row per task, in task order, with the model it
    /// goes to and why (`non-inferior`, `better`, `reference`), then the portfolio's row with its
    /// quality, costs and the ratios to the reference and the best single model. Without a
    /// portfolio, the task rows are left out and the portfolio's row gives the reason's code
    /// (`no-reference`, `every-task-to-reference`, `unpriced`, `unanswered`) and the model it
    /// names.
    public func routing() -> String {
        let runID = summary.run.id.map(String.init) ?? ""
        let prefix = ["\(Self.schemaVersion)", runID]
        let blank = Array(repeating: "", count: Self.routingColumns.count - 9)
        guard let portfolio = summary.routing.portfolio else {
            let skip = summary.routing.skip
            return Self.table(Self.routingColumns, [prefix + ["portfolio", "", "", "", skip?.modelID ?? "", skip?.code ?? "", ""]
                + blank] + cascadeRows(prefix))
        }
        var rows = portfolio.routes.map { route -> [String] in
            var row = prefix + ["task", route.taskID, "\(route.caseCount)", Self.fraction(route.weight), route.modelID,
                                route.reason.label, Self.cell(route.reason.cases) { "\($0)" }]
            row += [Self.fraction(route.quality), "", "", "", Self.usd(route.costPerCaseMicros)]
            return row + Array(repeating: "", count: Self.routingColumns.count - row.count)
        }
        func baseline(_ role: Portfolio.Baseline.Role, id: Bool) -> [String] {
            guard let baseline = portfolio.baselines.first(where: { $0.role == role }) else {
                return Array(repeating: "", count: role == .reference ? 6 : 7)
            }
            return (id ? [baseline.modelID] : []) + [
                Self.fraction(baseline.quality), Self.usd(baseline.costPer1kCasesMicros),
                Self.cell(baseline.relativeQuality, Self.fraction),
                Self.cell(baseline.relativeQualityInterval?.lower, Self.fraction),
                Self.cell(baseline.relativeQualityInterval?.upper, Self.fraction),
                Self.cell(baseline.relativeCost, Self.fraction),
            ]
        }
        let cases = portfolio.routes.reduce(0) { $0 + $1.caseCount }
        rows.append(prefix + ["portfolio", "", "\(cases)", Self.fraction(1), "", "", ""]
            + Self.estimate(portfolio.quality, portfolio.qualityInterval)
            + ["", Self.usd(portfolio.costPer1kCasesMicros), Self.cell(portfolio.monthlyCostMicros, Self.usd),
               portfolio.referenceID] + baseline(.reference, id: false) + baseline(.bestSingle, id: true)
            + [Self.cell(portfolio.latencyP50Ms, Self.milliseconds), Self.cell(portfolio.latencyP95Ms, Self.milliseconds)]
            + Array(repeating: "", count: 8))
        return Self.table(Self.routingColumns, rows + cascadeRows(prefix))
    }

    /// One row per call, ordered by model, case and repeat (see `RunSummary.ordered(_:)`).
    ///
    /// - Parameter calls: The run's calls, as read from the store.
    public func calls(_ calls: [ReportCall]) -> String {
        String(decoding: callsData(calls), as: UTF8.self)
    }

    /// `calls(_:)` as UTF-8 bytes.
    public func callsData(_ calls: [ReportCall]) -> Data {
        var data = Data()
        writeCalls(calls) { data.append(contentsOf: $0) }
        return data
    }

    /// `calls(_:)` as UTF-8 bytes, handed to `sink` a megabyte at a time, written without
    /// building a string per cell: a million calls make a file of a few hundred megabytes,
    /// which is never held in memory whole.
    public func writeCalls(_ calls: [ReportCall], to sink: ([UInt8]) throws -> Void) rethrows {
        var writer = CSVWriter(capacity: 1 << 20)
        let variants = summary.run.context?.variants ?? []
        for column in Self.callColumns(variants: variants) { writer.text(column) }
        writer.endRow()
        for position in summary.order(of: calls) {
            try Self.write(calls[position], variants: variants, to: &writer, sink: sink)
        }
        try sink(writer.take())
    }

    /// `writeCalls(_:to:)` from `calls`, the calls the summary was built from in the order they
    /// were folded (`RunSummary.loadWithCalls(from:runID:settings:)`), read again one at a time.
    public func writeCalls(from calls: some CallSource, to sink: ([UInt8]) throws -> Void) throws {
        try Self.writeCalls(from: calls, order: summary.callOrder, variants: summary.run.context?.variants ?? [], to: sink)
    }

    /// The calls file of the calls at `order` (positions in `calls`, in the file's order), read one
    /// at a time: what `writeCalls(from:to:)` writes, before any summary exists.
    ///
    /// - Parameter variants: The run's prompt variants, for the `prompt_variant` column; empty without.
    public static func writeCalls(from calls: some CallSource, order: [Int], variants: [String] = [],
                                  to sink: ([UInt8]) throws -> Void) throws {
        var writer = CSVWriter(capacity: 1 << 20)
        for column in Self.callColumns(variants: variants) { writer.text(column) }
        writer.endRow()
        try calls.forEach(at: order) { try write($0, variants: variants, to: &writer, sink: sink) }
        try sink(writer.take())
    }

    /// One call's row; a megabyte at a time goes to `sink`.
    private static func write(_ call: ReportCall, variants: [String], to writer: inout CSVWriter,
                              sink: ([UInt8]) throws -> Void) rethrows {
        writeRow(call, variants: variants, to: &writer)
        if writer.count >= 1 << 20 { try sink(writer.take()) }
    }

    /// One call's row of the calls file; `variants` are the run's prompt variants (empty without).
    static func writeRow(_ call: ReportCall, variants: [String], to writer: inout CSVWriter) {
        // An arm's call (`gpt-4o · terse`) is written as its model, with its variant last.
        let arm = variants.isEmpty ? nil : PromptArm(label: call.modelId, variants: variants)
        let model = arm?.modelID ?? call.modelId
        typealias Cursor = CSVWriter.Cursor
        let numbers = 7 * Cursor.integerRoom + Cursor.boolRoom + Cursor.usdRoom + 4 * Cursor.fixedRoom
            + Cursor.timestampRoom + 2
        let texts = Cursor.room(model) + Cursor.room(call.taskId) + Cursor.room(call.caseId) + Cursor.room(call.output)
            + Cursor.room(call.usageSource?.rawValue) + Cursor.room(call.errorClass?.rawValue)
            + Cursor.room(call.errorMessage) + Cursor.room(arm?.variant)
        writer.write(room: numbers + texts) { row in
            row.integer(Int64(Self.schemaVersion))
            row.integer(call.runId)
            row.text(model)
            row.text(call.taskId)
            row.text(call.caseId)
            row.integer(Int64(call.repeatIndex))
            row.bool(call.passed)
            row.fixed(call.score, places: 6)
            row.text(call.output ?? "")
            row.integer(call.inputTokens.map(Int64.init))
            row.integer(call.cachedInputTokens.map(Int64.init))
            row.integer(call.outputTokens.map(Int64.init))
            row.text(call.usageSource?.rawValue)
            row.usd(call.costMicros)
            row.fixed(call.latencyMs, places: 3)
            row.fixed(call.ttftMs, places: 3)
            row.fixed(call.outputTokensPerSecond, places: 3)
            row.integer(call.httpStatus.map(Int64.init))
            row.text(call.errorClass?.rawValue)
            row.text(call.errorMessage)
            row.timestamp(millisecondsSince1970: call.startedAtMilliseconds)
            if !variants.isEmpty { row.text(arm?.variant) }
            row.endRow()
        }
    }

    // MARK: Cells

    /// Value, lower, upper, method.
    static func estimate(_ value: Double?, _ interval: Interval?) -> [String] {
        [cell(value, fraction), cell(interval?.lower, fraction), cell(interval?.upper, fraction),
         interval?.method.rawValue ?? ""]
    }

    /// Flips won and lost, p, Holm p, margin, verdict, cases needed.
    private static func verdict(_ comparison: PairedComparison?) -> [String] {
        guard let comparison else { return ["", "", "", "", "", "", ""] }
        let needed = comparison.verdict.casesNeeded.map(String.init) ?? ""
        return ["\(comparison.wins)", "\(comparison.losses)", fraction(comparison.pValue),
                fraction(comparison.adjustedPValue), fraction(comparison.margin), comparison.verdict.label, needed]
    }

    /// A value's text, or an empty cell when there is none.
    static func cell<Value>(_ value: Value?, _ format: (Value) -> String) -> String {
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

    /// Fractional micro-dollars (a cost per case) as USD with at least 6 decimals and every
    /// further digit kept: `0.001000`, `0.00000239`.
    static func usd(_ micros: Decimal) -> String {
        var text = "\(micros / 1_000_000)"
        let decimals = text.firstIndex(of: ".").map { text.distance(from: $0, to: text.endIndex) - 1 }
        if decimals == nil { text += "." }
        text += String(repeating: "0", count: max(0, 6 - (decimals ?? 0)))
        return text
    }

    /// Scores, rates and ratios to 6 places.
    static func fraction(_ value: Double) -> String { String(format: "%.6f", value) }

    /// Milliseconds to the microsecond libcurl measures.
    static func milliseconds(_ value: Double) -> String { String(format: "%.3f", value) }
}
