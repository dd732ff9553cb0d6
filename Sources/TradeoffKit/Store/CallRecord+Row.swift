import Foundation
import GRDB

extension CallRecord {
    /// Decodes a row by column name, without going through `Decodable`.
    ///
    /// Reports read every call of a run, a million rows for a big nightly job; GRDB's Codable
    /// path builds a key table per row and took most of `tradeoff report`'s time. A test
    /// (`CallRecordRowTests`) fails when a property is added here but not decoded.
    public init(row: Row) throws {
        id = row["id"]
        runId = row["run_id"]
        modelId = row["model_id"]
        taskId = row["task_id"]
        caseId = row["case_id"]
        repeatIndex = row["repeat_index"]
        output = row["output"]
        score = row["score"]
        passed = row["passed"]
        grades = row["grades"]
        graderErrors = row["grader_errors"] ?? 0
        judgeCostMicros = row["judge_cost_micros"]
        inputTokens = row["input_tokens"]
        cachedInputTokens = row["cached_input_tokens"]
        cacheWriteTokens = row["cache_write_tokens"]
        outputTokens = row["output_tokens"]
        reasoningTokens = row["reasoning_tokens"]
        usageSource = row["usage_source"]
        costMicros = row["cost_micros"]
        computedCostMicros = row["computed_cost_micros"]
        reportedCostMicros = row["reported_cost_micros"]
        costSource = row["cost_source"]
        streamed = row["streamed"] ?? false
        latencyMs = row["latency_ms"]
        ttftMs = row["ttft_ms"]
        outputTokensPerSecond = row["output_tokens_per_second"]
        attempts = row["attempts"] ?? 1
        backoffMs = row["backoff_ms"] ?? 0
        connectMs = row["connect_ms"]
        tlsMs = row["tls_ms"]
        firstByteMs = row["first_byte_ms"]
        httpStatus = row["http_status"]
        finishReason = row["finish_reason"]
        finishReasonRaw = row["finish_reason_raw"]
        truncated = row["truncated"] ?? false
        refused = row["refused"] ?? false
        servingProvider = row["serving_provider"]
        servedModel = row["served_model"]
        requestId = row["request_id"]
        errorClass = row["error_class"]
        errorMessage = row["error_message"]
        requestHash = row["request_hash"]
        cachedFrom = row["cached_from"]
        startedAt = row["started_at"]
        finishedAt = row["finished_at"]
    }

    /// Every stored column and how to read it off a call: the one list both `encode(to:)` and
    /// `insertFast(_:)` write from, so the two cannot drift apart.
    static let storedColumns: [(name: String, value: @Sendable (CallRecord) -> DatabaseValue)] = [
        ("id", { $0.id.databaseValue }),
        ("run_id", { $0.runId.databaseValue }),
        ("model_id", { $0.modelId.databaseValue }),
        ("task_id", { $0.taskId.databaseValue }),
        ("case_id", { $0.caseId.databaseValue }),
        ("repeat_index", { $0.repeatIndex.databaseValue }),
        ("output", { $0.output.databaseValue }),
        ("score", { $0.score.databaseValue }),
        ("passed", { $0.passed.databaseValue }),
        ("grades", { $0.grades.databaseValue }),
        ("grader_errors", { $0.graderErrors.databaseValue }),
        ("judge_cost_micros", { $0.judgeCostMicros.databaseValue }),
        ("input_tokens", { $0.inputTokens.databaseValue }),
        ("cached_input_tokens", { $0.cachedInputTokens.databaseValue }),
        ("cache_write_tokens", { $0.cacheWriteTokens.databaseValue }),
        ("output_tokens", { $0.outputTokens.databaseValue }),
        ("reasoning_tokens", { $0.reasoningTokens.databaseValue }),
        ("usage_source", { $0.usageSource.databaseValue }),
        ("cost_micros", { $0.costMicros.databaseValue }),
        ("computed_cost_micros", { $0.computedCostMicros.databaseValue }),
        ("reported_cost_micros", { $0.reportedCostMicros.databaseValue }),
        ("cost_source", { $0.costSource.databaseValue }),
        ("streamed", { $0.streamed.databaseValue }),
        ("latency_ms", { $0.latencyMs.databaseValue }),
        ("ttft_ms", { $0.ttftMs.databaseValue }),
        ("output_tokens_per_second", { $0.outputTokensPerSecond.databaseValue }),
        ("attempts", { $0.attempts.databaseValue }),
        ("backoff_ms", { $0.backoffMs.databaseValue }),
        ("connect_ms", { $0.connectMs.databaseValue }),
        ("tls_ms", { $0.tlsMs.databaseValue }),
        ("first_byte_ms", { $0.firstByteMs.databaseValue }),
        ("http_status", { $0.httpStatus.databaseValue }),
        ("finish_reason", { $0.finishReason.databaseValue }),
        ("finish_reason_raw", { $0.finishReasonRaw.databaseValue }),
        ("truncated", { $0.truncated.databaseValue }),
        ("refused", { $0.refused.databaseValue }),
        ("serving_provider", { $0.servingProvider.databaseValue }),
        ("served_model", { $0.servedModel.databaseValue }),
        ("request_id", { $0.requestId.databaseValue }),
        ("error_class", { $0.errorClass.databaseValue }),
        ("error_message", { $0.errorMessage.databaseValue }),
        ("request_hash", { $0.requestHash.databaseValue }),
        ("cached_from", { $0.cachedFrom.databaseValue }),
        ("started_at", { StoredDate.databaseValue($0.startedAt) }),
        ("finished_at", { StoredDate.databaseValue($0.finishedAt) }),
    ]

    /// Encodes by column name, the inverse of `init(row:)` (Codable's path converted every key
    /// to snake case on every insert).
    public func encode(to container: inout PersistenceContainer) throws {
        for column in Self.storedColumns { container[column.name] = column.value(self) }
    }

    /// `INSERT` of every stored column, as `insert(_:)` builds it.
    private static let insertSQL = """
        INSERT INTO "calls" (\(storedColumns.map { "\"\($0.name)\"" }.joined(separator: ", ")))
        VALUES (\(Array(repeating: "?", count: storedColumns.count).joined(separator: ", ")))
        """

    /// Inserts the call as `insert(_:)` does — every column, then the id SQLite assigned — but
    /// through one cached statement: GRDB's record machinery (a persistence container, the SQL
    /// rebuilt per row) cost ~160k instructions a row, more than SQLite's own work.
    ///
    /// The values are bound with GRDB's public `StatementBinding`: building `StatementArguments`
    /// converts each value through unspecialized generics, ~2k instructions a column. GRDB is
    /// first told the statement is bound (with NULLs), so `execute()` only resets and steps it.
    mutating func insertFast(_ db: Database) throws {
        let statement = try db.cachedStatement(sql: Self.insertSQL)
        statement.setUncheckedArguments(Self.placeholders)
        for (index, column) in Self.storedColumns.enumerated() {
            let code = column.value(self).bind(to: statement.sqliteStatement, at: CInt(index + 1))
            guard code == 0 else {  // SQLITE_OK
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "cannot bind \(column.name)",
                                    sql: Self.insertSQL)
            }
        }
        try statement.execute()
        id = db.lastInsertedRowID
    }

    /// A NULL for every column.
    private static let placeholders = StatementArguments(Array(repeating: DatabaseValue.null, count: storedColumns.count))
}
