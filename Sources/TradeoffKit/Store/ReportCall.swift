import Foundation

/// A call as the analysis and the reports read it: the columns they use and nothing else, so a
/// report of a million calls holds about half the memory whole `CallRecord`s would.
public struct ReportCall: Sendable, Hashable {
    public var id: Int64?
    public var runId: Int64
    public var modelId: String
    public var taskId: String
    public var caseId: String
    public var repeatIndex: Int
    public var output: String?
    public var score: Double?
    public var passed: Bool?
    /// Per-grader outcomes (JSON) — from the store, only when they name a metric, hold judges or
    /// have an error (what the Grading section reads).
    public var grades: String?
    public var graderErrors: Int
    public var judgeCostMicros: Int64?
    public var inputTokens: Int?
    public var cachedInputTokens: Int?
    /// Cache writes, and the 1-hour part of them: the price list shows the prices they used.
    public var cacheWriteTokens: Int?
    public var cacheWrite1hTokens: Int?
    public var outputTokens: Int?
    public var usageSource: Usage.Source?
    public var costMicros: Int64?
    public var latencyMs: Double?
    public var ttftMs: Double?
    public var outputTokensPerSecond: Double?
    public var httpStatus: Int?
    public var errorClass: CallError.Kind?
    public var errorMessage: String?
    /// Whether the answer was replayed from the response cache.
    public var cacheHit: Bool
    /// Whether the usage the provider reported was set aside for an estimate (`usage_untrusted`).
    public var usageUntrusted = false
    /// Why the answer ended, as stored (`FinishReason` raw value: `length`, `content_filter`, ...).
    public var finishReason: String? = nil
    /// Whether the call went through a batch API (no meaningful latency).
    public var batched = false

    /// The per-grader outcomes decoded from `grades`.
    public var graderOutcomes: [GraderOutcome] {
        guard let grades else { return [] }
        return (try? JSONDecoder().decode([GraderOutcome].self, from: Data(grades.utf8))) ?? []
    }
}

extension ReportCall {
    /// The columns a report reads of `call`.
    public init(_ call: CallRecord) {
        id = call.id
        runId = call.runId
        modelId = call.modelId
        taskId = call.taskId
        caseId = call.caseId
        repeatIndex = call.repeatIndex
        output = call.output
        score = call.score
        passed = call.passed
        grades = call.grades
        graderErrors = call.graderErrors
        judgeCostMicros = call.judgeCostMicros
        inputTokens = call.inputTokens
        cachedInputTokens = call.cachedInputTokens
        cacheWriteTokens = call.cacheWriteTokens
        cacheWrite1hTokens = call.cacheWrite1hTokens
        outputTokens = call.outputTokens
        usageSource = call.usageSource
        costMicros = call.costMicros
        latencyMs = call.latencyMs
        ttftMs = call.ttftMs
        outputTokensPerSecond = call.outputTokensPerSecond
        httpStatus = call.httpStatus
        errorClass = call.errorClass
        errorMessage = call.errorMessage
        cacheHit = call.cacheHit
        usageUntrusted = call.usageUntrusted != nil
        finishReason = call.finishReason
        batched = call.batched
    }

}
