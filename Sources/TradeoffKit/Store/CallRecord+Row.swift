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

    /// Encodes by column name, the inverse of `init(row:)` (Codable's path converted every key
    /// to snake case on every insert).
    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["run_id"] = runId
        container["model_id"] = modelId
        container["task_id"] = taskId
        container["case_id"] = caseId
        container["repeat_index"] = repeatIndex
        container["output"] = output
        container["score"] = score
        container["passed"] = passed
        container["grades"] = grades
        container["grader_errors"] = graderErrors
        container["judge_cost_micros"] = judgeCostMicros
        container["input_tokens"] = inputTokens
        container["cached_input_tokens"] = cachedInputTokens
        container["cache_write_tokens"] = cacheWriteTokens
        container["output_tokens"] = outputTokens
        container["reasoning_tokens"] = reasoningTokens
        container["usage_source"] = usageSource
        container["cost_micros"] = costMicros
        container["computed_cost_micros"] = computedCostMicros
        container["reported_cost_micros"] = reportedCostMicros
        container["cost_source"] = costSource
        container["streamed"] = streamed
        container["latency_ms"] = latencyMs
        container["ttft_ms"] = ttftMs
        container["output_tokens_per_second"] = outputTokensPerSecond
        container["attempts"] = attempts
        container["backoff_ms"] = backoffMs
        container["connect_ms"] = connectMs
        container["tls_ms"] = tlsMs
        container["first_byte_ms"] = firstByteMs
        container["http_status"] = httpStatus
        container["finish_reason"] = finishReason
        container["finish_reason_raw"] = finishReasonRaw
        container["truncated"] = truncated
        container["refused"] = refused
        container["serving_provider"] = servingProvider
        container["served_model"] = servedModel
        container["request_id"] = requestId
        container["error_class"] = errorClass
        container["error_message"] = errorMessage
        container["request_hash"] = requestHash
        container["cached_from"] = cachedFrom
        container["started_at"] = startedAt
        container["finished_at"] = finishedAt
    }
}
