import GRDB

/// The current row of a query over `ReportCallRow.columns`, read as a `ReportCall`: the one place
/// that knows which column holds what, for the scan of a run and for reading calls again by id.
struct ReportCallRow {
    /// The columns, in the order `call()` reads them.
    static let columns = """
        id, model_id, task_id, case_id, repeat_index, \(ToolCall.answerSQL), score, passed, input_tokens,
          cached_input_tokens, output_tokens, usage_source, cost_micros, judge_cost_micros, latency_ms, ttft_ms,
          output_tokens_per_second, http_status, error_class, error_message, grader_errors, grades,
          cached_from IS NOT NULL, cache_write_tokens, cache_write_1h_tokens, usage_untrusted IS NOT NULL,
          finish_reason, batched, started_at, batched AND attempts > 1, batch_fallback, prompt_variant
        """

    /// How `call(from:)` reads each of `columns`: what the reading thread copies of each
    /// (`CopiedRows`).
    static let kinds: [CopiedRows.Kind] = [
        .integer, .text, .text, .text, .integer, .text, .real, .integer, .integer,
        .integer, .integer, .text, .integer, .integer, .real, .real,
        .real, .integer, .text, .text, .integer, .text,
        .integer, .integer, .integer, .integer,
        .text, .integer, .text, .integer, .integer, .text,
    ]

    /// `columns` with only what the calls file writes (`CSVReport.callColumns`); the others read
    /// as absent. The calls file reads every call a second time, one by one: this spares it the
    /// search through each call's grades and the columns it does not write.
    static let callsFileColumns = """
        id, model_id, task_id, case_id, repeat_index, \(ToolCall.answerSQL), score, passed, input_tokens,
          cached_input_tokens, output_tokens, usage_source, cost_micros, NULL, latency_ms, ttft_ms,
          output_tokens_per_second, http_status, error_class, error_message, 0, NULL,
          0, NULL, NULL, 0, NULL, 0, started_at, 0, 0, prompt_variant
        """

    /// The statement's row; nil for a decoder of copied rows.
    private let columns: SQLiteColumns?
    private let runID: Int64
    /// The model and task ids of a million calls share a few strings' storage.
    private var modelIDs = RecentTexts()
    private var taskIDs = RecentTexts()
    private var variants = RecentTexts()
    /// The usage sources, error classes and finish reasons: a few values each, read again and
    /// again (`Usage.Source(rawValue:)` on a fresh string per row was 3% of the reading thread).
    private var usageSources = RecentTexts(limit: 4)
    private var errorClasses = RecentTexts(limit: 16)
    private var finishReasons = RecentTexts(limit: 16)
    /// The arm labels (`gpt-4o · terse`) made so far, per model and variant, made once each.
    private var armLabels: [String: [String: String]] = [:]

    init(_ statement: OpaquePointer, runID: Int64) {
        columns = SQLiteColumns(statement)
        self.runID = runID
    }

    /// A decoder of rows copied out of the query (`call(from:)`), with no statement to step.
    init(runID: Int64) {
        columns = nil
        self.runID = runID
    }

    /// A call's `grades` JSON as a report keeps it: only when a grader failed, or when it holds
    /// what the report reads from it (a metric's score, judges' verdicts, online checks); the
    /// rest of a big run's grades would only take memory.
    ///
    /// Decided here on SQLite's bytes rather than by a `CASE` of three `instr` in the query:
    /// that was a tenth of the scan's time in SQLite (C, the report's query over a million rows).
    static func keptGrades(_ bytes: UnsafeBufferPointer<UInt8>?, graderErrors: Int) -> String? {
        guard let bytes, keepsGrades(bytes, graderErrors: graderErrors) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether a call's `grades` are kept (`keptGrades`).
    static func keepsGrades(_ bytes: UnsafeBufferPointer<UInt8>, graderErrors: Int) -> Bool {
        graderErrors > 0 || keptKeys.contains(where: { bytes.contains($0) })
    }

    /// The keys whose presence keeps a call's grades (`keptGrades`).
    static let keptKeys: [[UInt8]] = [Array(#""metric":"#.utf8), Array(#""judges":"#.utf8), Array(#""online":"#.utf8)]

    /// Steps to the next row: false after the last one.
    func step(in db: Database) throws -> Bool { try columns!.step(in: db) }

    /// Runs the statement again for row `id` (its one parameter).
    func select(id: Int64, in db: Database) throws { try columns!.reset(binding: id, in: db) }

    /// The current row.
    mutating func call() -> ReportCall { call(from: columns!) }

    /// The current row copied, as `call(from:)` will read it, to `rows` (`kinds`). Grades the
    /// call would not keep are not copied: in a run graded by several graders they are most of
    /// a row's bytes, and a report of 100,000 calls held 26 MB more while copying them.
    func copy(to rows: inout CopiedRows) {
        rows.append(columns!) { values in
            guard case .text(let grades, let count) = values[21] else { return }
            let errors: Int64 = if case .number(let errors) = values[20] { errors } else { 0 }
            if !Self.keepsGrades(UnsafeBufferPointer(start: grades, count: count), graderErrors: Int(truncatingIfNeeded: errors)) {
                values[21] = .null
            }
        }
    }

    /// The call in `columns`, a row of this query read from SQLite or copied out of it.
    ///
    /// A call asked in a prompt variant reads as its arm: its model id is `gpt-4o · terse`
    /// (`PromptArm`), so that every table compares (model, variant) pairs as it compares models.
    mutating func call(from columns: some ColumnReading) -> ReportCall {
        var modelID = columns.text(1, from: &modelIDs) ?? ""
        if let variant = columns.text(31, from: &variants) {
            if let label = armLabels[modelID]?[variant] {
                modelID = label
            } else {
                let label = PromptArm.label(modelID: modelID, variant: variant)
                armLabels[modelID, default: [:]][variant] = label
                modelID = label
            }
        }
        let taskID = columns.text(2, from: &taskIDs) ?? ""
        let graderErrors = columns.int(20) ?? 0
        var call = ReportCall(
            id: columns.int64(0), runId: runID, modelId: modelID, taskId: taskID,
            caseId: columns.text(3) ?? "", repeatIndex: columns.int(4) ?? 0,
            output: columns.text(5), score: columns.double(6), passed: columns.int(7).map { $0 != 0 },
            grades: Self.keptGrades(columns.bytes(21), graderErrors: graderErrors), graderErrors: graderErrors,
            judgeCostMicros: columns.int64(13),
            inputTokens: columns.int(8), cachedInputTokens: columns.int(9), cacheWriteTokens: columns.int(23),
            cacheWrite1hTokens: columns.int(24), outputTokens: columns.int(10),
            usageSource: columns.text(11, from: &usageSources).flatMap(Usage.Source.init(rawValue:)),
            costMicros: columns.int64(12), latencyMs: columns.double(14), ttftMs: columns.double(15),
            outputTokensPerSecond: columns.double(16), httpStatus: columns.int(17),
            // An error class this version does not know still marks the call as failed.
            errorClass: columns.text(18, from: &errorClasses).map { CallError.Kind(rawValue: $0) ?? .http },
            errorMessage: columns.text(19), cacheHit: columns.int(22) == 1,
            usageUntrusted: columns.int(25) == 1, finishReason: columns.text(26, from: &finishReasons),
            batched: columns.int(27) == 1, batchRetried: columns.int(29) == 1,
            batchFallback: columns.int(30) == 1)
        call.startedAtMilliseconds = columns.storedDateMilliseconds(28)
        return call
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Whether `needle` occurs in these bytes; an empty needle always does.
    fileprivate func contains(_ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        guard count >= needle.count else { return false }
        var start = 0
        while start <= count - needle.count {
            if self[start] == first, needle.indices.allSatisfy({ self[start + $0] == needle[$0] }) { return true }
            start += 1
        }
        return false
    }
}
