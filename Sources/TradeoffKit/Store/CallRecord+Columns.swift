import Foundation
import GRDB

extension CallRecord {
    /// Every column of `calls`, declared once: encoding, decoding by name and the fast insert
    /// all follow this list. `CallRecordRowTests` fails when a property is added but not here.
    static let stored = StoredColumns<CallRecord>(table: databaseTableName, [
        .column("id", \.id),
        .column("run_id", \.runId),
        .column("model_id", \.modelId),
        .column("task_id", \.taskId),
        .column("case_id", \.caseId),
        .column("repeat_index", \.repeatIndex),
        .column("output", \.output),
        .column("score", \.score),
        .column("passed", \.passed),
        .column("grades", \.grades),
        .column("grader_errors", \.graderErrors, nullAs: 0),
        .column("judge_cost_micros", \.judgeCostMicros),
        .column("input_tokens", \.inputTokens),
        .column("cached_input_tokens", \.cachedInputTokens),
        .column("cache_write_tokens", \.cacheWriteTokens),
        .column("cache_write_1h_tokens", \.cacheWrite1hTokens),
        .column("output_tokens", \.outputTokens),
        .column("reasoning_tokens", \.reasoningTokens),
        .column("usage_source", \.usageSource),
        .column("failed_attempts_usage", \.failedAttemptsUsage),
        .column("usage_untrusted", \.usageUntrusted),
        .column("cost_micros", \.costMicros),
        .column("computed_cost_micros", \.computedCostMicros),
        .column("reported_cost_micros", \.reportedCostMicros),
        .column("cost_source", \.costSource),
        .column("streamed", \.streamed, nullAs: false),
        .column("latency_ms", \.latencyMs),
        .column("ttft_ms", \.ttftMs),
        .column("output_tokens_per_second", \.outputTokensPerSecond),
        .column("attempts", \.attempts, nullAs: 1),
        .column("backoff_ms", \.backoffMs, nullAs: 0),
        .column("connect_ms", \.connectMs),
        .column("tls_ms", \.tlsMs),
        .column("first_byte_ms", \.firstByteMs),
        .column("http_status", \.httpStatus),
        .column("finish_reason", \.finishReason),
        .column("finish_reason_raw", \.finishReasonRaw),
        .column("truncated", \.truncated, nullAs: false),
        .column("refused", \.refused, nullAs: false),
        .column("serving_provider", \.servingProvider),
        .column("served_model", \.servedModel),
        .column("request_id", \.requestId),
        .column("error_class", \.errorClass),
        .column("error_message", \.errorMessage),
        .column("request_hash", \.requestHash),
        .column("cached_from", \.cachedFrom),
        .column("batched", \.batched, nullAs: false),
        .column("batch_fallback", \.batchFallback, nullAs: false),
        .column("tool_calls", \.toolCalls),
        .column("prompt_variant", \.promptVariant),
        .column("mean_logprob", \.meanLogprob),
        .column("logprob_tokens", \.logprobTokens),
        .date("started_at", \.startedAt),
        .date("finished_at", \.finishedAt),
    ])

    /// Decodes a row by column name, without going through `Decodable`.
    ///
    /// Reports read every call of a run, a million rows for a big nightly job; GRDB's Codable
    /// path builds a key table per row and took most of `tradeoff report`'s time.
    public init(row: Row) throws {
        self.init(runId: 0, modelId: "", taskId: "", caseId: "", startedAt: .distantPast, finishedAt: .distantPast)
        Self.stored.decode(row, into: &self)
    }

    /// Encodes by column name, the inverse of `init(row:)` (Codable's path converted every key
    /// to snake case on every insert).
    public func encode(to container: inout PersistenceContainer) throws { Self.stored.encode(self, to: &container) }

    /// Inserts the call as `insert(_:)` does — every column, then the id SQLite assigned — but
    /// through one cached statement.
    mutating func insertFast(_ db: Database) throws { id = try Self.stored.insert(self, into: db) }
}
