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
        startedAt = row["started_at"]
        finishedAt = row["finished_at"]
    }

    /// Every stored column and how to read it off a call: the one list both `encode(to:)` and
    /// `insertFast(_:)` write from, so the two cannot drift apart.
    static let storedColumns: [(name: String, value: @Sendable (CallRecord) -> (any DatabaseValueConvertible)?)] = [
        ("id", { $0.id }),
        ("run_id", { $0.runId }),
        ("model_id", { $0.modelId }),
        ("task_id", { $0.taskId }),
        ("case_id", { $0.caseId }),
        ("repeat_index", { $0.repeatIndex }),
        ("output", { $0.output }),
        ("score", { $0.score }),
        ("passed", { $0.passed }),
        ("grades", { $0.grades }),
        ("grader_errors", { $0.graderErrors }),
        ("judge_cost_micros", { $0.judgeCostMicros }),
        ("input_tokens", { $0.inputTokens }),
        ("cached_input_tokens", { $0.cachedInputTokens }),
        ("cache_write_tokens", { $0.cacheWriteTokens }),
        ("output_tokens", { $0.outputTokens }),
        ("reasoning_tokens", { $0.reasoningTokens }),
        ("usage_source", { $0.usageSource }),
        ("cost_micros", { $0.costMicros }),
        ("computed_cost_micros", { $0.computedCostMicros }),
        ("reported_cost_micros", { $0.reportedCostMicros }),
        ("cost_source", { $0.costSource }),
        ("streamed", { $0.streamed }),
        ("latency_ms", { $0.latencyMs }),
        ("ttft_ms", { $0.ttftMs }),
        ("output_tokens_per_second", { $0.outputTokensPerSecond }),
        ("attempts", { $0.attempts }),
        ("backoff_ms", { $0.backoffMs }),
        ("connect_ms", { $0.connectMs }),
        ("tls_ms", { $0.tlsMs }),
        ("first_byte_ms", { $0.firstByteMs }),
        ("http_status", { $0.httpStatus }),
        ("finish_reason", { $0.finishReason }),
        ("finish_reason_raw", { $0.finishReasonRaw }),
        ("truncated", { $0.truncated }),
        ("refused", { $0.refused }),
        ("serving_provider", { $0.servingProvider }),
        ("served_model", { $0.servedModel }),
        ("request_id", { $0.requestId }),
        ("error_class", { $0.errorClass }),
        ("error_message", { $0.errorMessage }),
        ("started_at", { $0.startedAt }),
        ("finished_at", { $0.finishedAt }),
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
    mutating func insertFast(_ db: Database) throws {
        let statement = try db.cachedStatement(sql: Self.insertSQL)
        let values: [(any DatabaseValueConvertible)?] = Self.storedColumns.map { $0.value(self) }
        try statement.execute(arguments: StatementArguments(values))
        id = db.lastInsertedRowID
    }
}
