import Foundation
import GRDB

/// A row of `judge_calls`: one call to a judge model about one graded answer — the verdict it
/// gave (or why it gave none), its tokens, cost and latency — linked to the answer's row in
/// `calls`. A verdict that could not be read is retried once, as a second row.
public struct JudgeCallRecord: Sendable, Hashable, Codable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "judge_calls"
    public static let databaseColumnDecodingStrategy = ColumnNames.decoding
    public static let databaseColumnEncodingStrategy = ColumnNames.encoding

    /// The row's id; nil until it is inserted.
    public var id: Int64?
    /// The graded answer's row in `calls`; set when the answer is written.
    public var callId: Int64?
    /// The run it belongs to.
    public var runId: Int64
    /// The judge grader's position among the case's graders (the task's, then the case's).
    public var graderIndex: Int
    /// The judge's catalog id.
    public var judgeModelId: String
    /// The judge's wire format (`openai`, `anthropic`, ...).
    public var provider: String
    /// The provider's name for the judge model.
    public var model: String
    /// 1, or 2 for the retry after an unparseable verdict.
    public var verdictAttempt: Int = 1
    /// SHA-256 of the judge, its scale and its prompt: the same hash means the same question,
    /// so `tradeoff grade` can reuse the verdict.
    public var promptSha256: String
    /// The judge's reply; nil when the call failed.
    public var output: String?
    /// The verdict mapped to 0...1; nil when there was none.
    public var score: Double?
    /// The verdict as given: `pass`, `fail`, `4/5`.
    public var verdict: String?
    /// Why, in the judge's words.
    public var reasoning: String?
    /// Why the reply held no verdict.
    public var parseError: String?
    /// The judge call this verdict was copied from, for a verdict reused by `tradeoff grade`.
    public var reusedFrom: Int64?
    /// Tokens, split as in `calls`: all input, its cache reads and writes, output, its reasoning.
    public var inputTokens: Int?
    public var cachedInputTokens: Int?
    public var cacheWriteTokens: Int?
    /// The part of `cacheWriteTokens` written to the 1-hour cache (since v8).
    public var cacheWrite1hTokens: Int?
    /// What earlier failed attempts reported using, as in `calls` (since v9).
    public var failedAttemptsUsage: String?
    public var outputTokens: Int?
    public var reasoningTokens: Int?
    /// Whether the tokens were reported or estimated.
    public var usageSource: Usage.Source?
    /// Why the usage the provider reported was not used (see `CallRecord.usageUntrusted`).
    public var usageUntrusted: String?
    /// What the call cost, micro-dollars; nil when the judge is unpriced.
    public var costMicros: Int64?
    /// Tokens × the judge's catalog prices, and the charge the provider reported, micro-dollars.
    public var computedCostMicros: Int64?
    public var reportedCostMicros: Int64?
    /// Which of the two `costMicros` is.
    public var costSource: CostSource?
    /// Total time of the last attempt, milliseconds.
    public var latencyMs: Double?
    /// HTTP attempts (retries included).
    public var attempts: Int = 1
    /// Time spent waiting between attempts, milliseconds.
    public var backoffMs: Double = 0
    /// The response's HTTP status, the model that served it and the provider's request id.
    public var httpStatus: Int?
    public var servedModel: String?
    public var requestId: String?
    /// Why the call failed, when it did.
    public var errorClass: CallError.Kind?
    public var errorMessage: String?
    /// When the call started and ended (UTC).
    public var startedAt: Date
    public var finishedAt: Date

    /// A row for a call to `judge` about one answer.
    public init(runId: Int64, graderIndex: Int, judge: ModelEntry, promptSha256: String, startedAt: Date,
                finishedAt: Date) {
        self.runId = runId
        self.graderIndex = graderIndex
        judgeModelId = judge.id
        provider = judge.provider.rawValue
        model = judge.model
        self.promptSha256 = promptSha256
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// Whether this row is a verdict copied from an earlier run rather than a call made.
    public var isReused: Bool { reusedFrom != nil }
}
