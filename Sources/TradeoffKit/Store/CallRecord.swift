import Foundation
import GRDB

/// A row of `calls`: one model answering one case once — the answer and its grade, or the error.
public struct CallRecord: Sendable, Hashable, Codable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "calls"

    public var id: Int64?
    public var runId: Int64
    public var modelId: String
    public var taskId: String
    public var caseId: String
    public var repeatIndex: Int = 0
    /// The answer; nil when the call failed.
    public var output: String?
    /// The tools the model called, as a JSON array of `{"arguments","name"}` (arguments as
    /// canonical JSON text; `ToolCall.stored`); nil when it called none (since v19).
    public var toolCalls: String?
    /// The prompt variant (`prompts:`) the case was asked in; nil for a task's one wording (since v20).
    public var promptVariant: String?
    /// The mean logprob of the answer's tokens as the provider returned them (asked only for a
    /// case a `confidence` grader reads); nil when none were recorded (since v21).
    public var meanLogprob: Double?
    /// How many tokens `meanLogprob` is over; nil when unknown (Gemini's own `avgLogprobs`) (since v21).
    public var logprobTokens: Int?
    public var score: Double?
    public var passed: Bool?
    /// Per-grader outcomes as a JSON array of {type, score, passed, weight, reason, ...}.
    public var grades: String?
    /// Graders that could not grade the answer (a failed command, a judge without a verdict).
    public var graderErrors: Int = 0
    /// What judging this answer cost (its `judge_calls`, reused verdicts excluded), micro-dollars;
    /// nil when no judge was called or no judge is priced. Never part of `costMicros`.
    public var judgeCostMicros: Int64?
    /// All input tokens: uncached + cache reads + cache writes.
    public var inputTokens: Int?
    /// Input tokens read from the provider's cache.
    public var cachedInputTokens: Int?
    /// Input tokens written to the provider's cache.
    public var cacheWriteTokens: Int?
    /// The part of `cacheWriteTokens` written to the 1-hour cache (billed apart; since v8).
    public var cacheWrite1hTokens: Int?
    /// Output tokens billed, reasoning included.
    public var outputTokens: Int?
    /// The reasoning part of `outputTokens`.
    public var reasoningTokens: Int?
    public var usageSource: Usage.Source?
    /// What earlier failed attempts reported using (they were billed too), as a JSON array of
    /// `{input_tokens, cached_input_tokens, cache_write_tokens, cache_write_1h_tokens,
    /// output_tokens, reasoning_tokens, usage_source}`; nil when none did (since v9). The token
    /// columns hold the answer's (or the last failed attempt's).
    public var failedAttemptsUsage: String?
    /// Why the usage (or charge) the provider reported was not used: it could not be true of the
    /// request, or could not be read. The tokens are then an estimate (`usageSource` says so) and
    /// the cost is computed from them. Nil when the provider's numbers were used or it sent none (since v10).
    public var usageUntrusted: String?
    /// The cost used everywhere, in micro-dollars (1e-6 USD): the provider's reported charge
    /// when it sent one, else the computed one; nil when unknown (unpriced, or nothing billed).
    public var costMicros: Int64?
    /// Tokens × catalog prices, micro-dollars.
    public var computedCostMicros: Int64?
    /// The charge the provider reported (OpenRouter `usage.cost`), micro-dollars.
    public var reportedCostMicros: Int64?
    /// Which of the two `costMicros` is.
    public var costSource: CostSource?
    /// Whether the answer was streamed (server-sent events).
    public var streamed: Bool = false
    /// Total time of the successful attempt, milliseconds (retry waits excluded).
    public var latencyMs: Double?
    /// Request sent → first content token (streaming only), milliseconds.
    public var ttftMs: Double?
    /// Output tokens / (last chunk − first chunk) (streaming only).
    public var outputTokensPerSecond: Double?
    /// Attempts made (1 when the first succeeded).
    public var attempts: Int = 1
    /// Total time spent waiting between attempts, milliseconds.
    public var backoffMs: Double = 0
    public var connectMs: Double?
    public var tlsMs: Double?
    public var firstByteMs: Double?
    public var httpStatus: Int?
    /// Normalized: stop, length, content_filter, tool_calls, error, other.
    public var finishReason: String?
    /// As the provider sent it (`end_turn`, `MAX_TOKENS`, ...).
    public var finishReasonRaw: String?
    /// `finishReason` read back (an unknown stored value reads as `other`).
    public var finish: FinishReason? { finishReason.map { FinishReason(rawValue: $0) ?? .other } }
    /// The answer was cut by the output token limit.
    public var truncated: Bool = false
    /// The provider refused or filtered the answer.
    public var refused: Bool = false
    /// Who actually served the call (OpenRouter's `provider`).
    public var servingProvider: String?
    public var servedModel: String?
    public var requestId: String?
    public var errorClass: CallError.Kind?
    public var errorMessage: String?
    /// The canonical request's SHA-256 (`RequestKey`), for the response cache; nil when the run
    /// did not write to the cache.
    public var requestHash: String?
    /// For an answer replayed from the response cache: the call it was first recorded as. Its
    /// usage and cost are that call's (what the answer costs), but nothing was spent on it this
    /// run, and its timings are left out of latency.
    public var cachedFrom: Int64?
    /// Whether the call went through the provider's batch API: priced at batch prices, and left
    /// out of latency (a batch answer's time is the batch's, not the model's; since v14).
    public var batched: Bool = false
    /// Whether the call was made as an ordinary call after its request expired or failed in a
    /// provider batch (`--batch-fallback`): priced and timed as any ordinary call (since v18).
    public var batchFallback: Bool = false
    public var startedAt: Date
    public var finishedAt: Date

    public init(runId: Int64, modelId: String, taskId: String, caseId: String, startedAt: Date, finishedAt: Date) {
        self.runId = runId
        self.modelId = modelId
        self.taskId = taskId
        self.caseId = caseId
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }


    /// Whether the answer was replayed from the response cache.
    public var cacheHit: Bool { cachedFrom != nil }

    /// What this run spent on the call: its cost, unless the answer came from the cache.
    public var spentMicros: Int64 { cacheHit ? 0 : costMicros ?? 0 }

    /// The tool calls decoded from `toolCalls`.
    public var answeredToolCalls: [ToolCall] { ToolCall.decoded(toolCalls) }

    /// The per-grader outcomes decoded from `grades`.
    public var graderOutcomes: [GraderOutcome] { GraderOutcome.decoded(grades) }
}

extension Usage.Source: DatabaseValueConvertible {}

/// Where a call's cost came from.
public enum CostSource: String, Sendable, Hashable, Codable, DatabaseValueConvertible {
    /// Tokens × catalog prices.
    case computed
    /// The provider's own charge.
    case reported
}
extension CallError.Kind: DatabaseValueConvertible {}
