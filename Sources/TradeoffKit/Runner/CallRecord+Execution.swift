import Foundation

extension CallRecord {
    /// The row for a candidate's call that is over: the answer (graded after), or the error
    /// (with `apiKey` redacted), with what every attempt cost.
    init(_ execution: CallExecutor.Execution, runID: Int64, model: ModelEntry, taskID: String, caseID: String,
         repeatIndex: Int, apiKey: String?) {
        self.init(runId: runID, modelId: model.id, taskId: taskID, caseId: caseID, startedAt: execution.startedAt,
                  finishedAt: Date())
        self.repeatIndex = repeatIndex
        streamed = model.stream
        attempts = execution.attempts.count
        backoffMs = execution.attempts.backoff * 1000
        // Latency is the last attempt's alone: retry waits have their own column.
        let timings = execution.timings
        batched = execution.batched
        batchFallback = execution.batchFallback
        if !batched {
            // A batch's answers were not timed: the batch's queue is not the model's latency.
            latencyMs = timings.total * 1000
            connectMs = timings.connect * 1000
            tlsMs = timings.tlsHandshake * 1000
            firstByteMs = timings.firstByte * 1000
        }
        switch execution.outcome {
        case .success(let answer):
            output = answer.text
            toolCalls = ToolCall.stored(answer.toolCalls)
            httpStatus = 200
            finishReason = answer.finish?.rawValue
            finishReasonRaw = answer.finishReasonRaw
            truncated = answer.finish == .length
            refused = answer.finish == .contentFilter
            servedModel = answer.servedModel
            servingProvider = answer.servingProvider
            requestId = answer.requestID
            reportedCostMicros = answer.reportedCostMicros
            if let first = answer.firstContentSeconds { ttftMs = first * 1000 }
            outputTokensPerSecond = answer.outputTokensPerSecond
            meanLogprob = answer.logprobs?.mean
            logprobTokens = answer.logprobs?.tokens
        case .failure(let error):
            errorClass = error.kind
            errorMessage = Secrets.redact(error.message, apiKey.map { [$0] } ?? [])
            httpStatus = error.httpStatus
            requestId = error.requestID
        }
        // Failed attempts that reported usage were billed: their cost counts.
        let outcome = execution.outcome
        settleCost(usage: (try? outcome.get().usage) ?? outcome.failure?.billedUsage,
                   billedUsage: execution.attempts.billedUsage, lastAttemptFailed: outcome.failure != nil,
                   price: model.price, batch: batched)
        usageUntrusted = execution.untrustedUsage
    }
}
