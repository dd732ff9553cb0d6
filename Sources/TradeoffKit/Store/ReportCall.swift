import Foundation

/// A call as the analysis and the reports read it: the columns they use and nothing else.
///
/// A report holds one per stored call, so the layout is packed: numbers that may be missing
/// are kept without `Optional`'s padding (a NaN or a sentinel stands for "none"), token counts
/// in 32 bits, an HTTP status and a grader count in 16, the start time in milliseconds, and
/// the text only a few calls have (grades, error messages) behind one reference. 176 bytes instead of 336: a million calls fit in a quarter of the
/// memory they took. The properties read and write as the plain optionals they stand for.
///
/// Values the packing cannot hold are clamped, never wrapped: a token count above
/// `Int32.max − 1` (no call comes near: usage is bounded when it is recorded) reads as
/// `Int32.max − 1`. A NaN double reads as nil, as SQLite stores it.
public struct ReportCall: Sendable, Hashable {
    private var storedID: Int64
    private var storedCost: Int64
    private var storedJudgeCost: Int64
    private var storedScore: Double
    private var storedLatency: Double
    private var storedTTFT: Double
    private var storedTokensPerSecond: Double
    /// Milliseconds since 1970.
    private var storedStart: Int64
    public var modelId: String
    public var taskId: String
    public var caseId: String
    public var output: String?
    private var rare: RareText?
    private var storedRunID: Int32
    private var storedRepeat: Int32
    private var storedInput: Int32
    private var storedCachedInput: Int32
    private var storedCacheWrite: Int32
    private var storedCacheWrite1h: Int32
    private var storedOutput: Int32
    // 16 bits: an HTTP status and a count of graders fit, and the start time stays in 176 bytes.
    private var storedGraderErrors: Int16
    private var storedStatus: Int16
    public var passed: Bool?
    public var usageSource: Usage.Source?
    public var errorClass: CallError.Kind?
    /// Why the answer ended (`FinishReason`, as stored in `finish_reason`).
    public var finish: FinishReason?
    /// Whether the answer was replayed from the response cache.
    public var cacheHit: Bool
    /// Whether the usage the provider reported was set aside for an estimate (`usage_untrusted`).
    public var usageUntrusted: Bool
    /// Whether the call went through a batch API (no meaningful latency).
    public var batched: Bool {
        get { storedBatch & 1 != 0 }
        set { storedBatch = newValue ? storedBatch | 1 : storedBatch & ~1 }
    }
    /// Whether it went through a batch more than once (its request expired or failed first).
    public var batchRetried: Bool {
        get { storedBatch & 2 != 0 }
        set { storedBatch = newValue ? storedBatch | 2 : storedBatch & ~2 }
    }
    /// Whether it was made as an ordinary call after its request expired or failed in a batch.
    public var batchFallback: Bool {
        get { storedBatch & 4 != 0 }
        set { storedBatch = newValue ? storedBatch | 4 : storedBatch & ~4 }
    }
    /// `batched`, `batchRetried` and `batchFallback` as bits 0, 1 and 2: one byte for the three.
    private var storedBatch: UInt8 = 0

    /// Creates a call; every argument is what the property of the same name reads.
    public init(id: Int64?, runId: Int64, modelId: String, taskId: String, caseId: String, repeatIndex: Int,
                output: String?, score: Double?, passed: Bool?, grades: String? = nil, graderErrors: Int = 0,
                judgeCostMicros: Int64? = nil, inputTokens: Int? = nil, cachedInputTokens: Int? = nil,
                cacheWriteTokens: Int? = nil, cacheWrite1hTokens: Int? = nil, outputTokens: Int? = nil,
                usageSource: Usage.Source? = nil, costMicros: Int64? = nil, latencyMs: Double? = nil,
                ttftMs: Double? = nil, outputTokensPerSecond: Double? = nil, httpStatus: Int? = nil,
                errorClass: CallError.Kind? = nil, errorMessage: String? = nil, cacheHit: Bool = false,
                usageUntrusted: Bool = false, finishReason: String? = nil, batched: Bool = false,
                batchRetried: Bool = false, batchFallback: Bool = false, startedAt: Date? = nil) {
        storedID = Self.pack(id)
        storedCost = Self.pack(costMicros)
        storedJudgeCost = Self.pack(judgeCostMicros)
        storedScore = score ?? .nan
        storedLatency = latencyMs ?? .nan
        storedTTFT = ttftMs ?? .nan
        storedTokensPerSecond = outputTokensPerSecond ?? .nan
        storedStart = Self.pack(startedAt.map(Self.milliseconds))
        self.modelId = modelId
        self.taskId = taskId
        self.caseId = caseId
        self.output = output
        rare = RareText(grades: grades, errorMessage: errorMessage)
        storedRunID = Self.pack(Int(runId))
        storedRepeat = Self.pack(repeatIndex)
        storedGraderErrors = Self.pack16(graderErrors)
        storedStatus = Self.pack16(httpStatus)
        storedInput = Self.pack(inputTokens)
        storedCachedInput = Self.pack(cachedInputTokens)
        storedCacheWrite = Self.pack(cacheWriteTokens)
        storedCacheWrite1h = Self.pack(cacheWrite1hTokens)
        storedOutput = Self.pack(outputTokens)
        self.passed = passed
        self.usageSource = usageSource
        self.errorClass = errorClass
        finish = finishReason.map(FinishReason.init(rawValue:)).map { $0 ?? .other }
        self.cacheHit = cacheHit
        self.usageUntrusted = usageUntrusted
        self.batched = batched
        self.batchRetried = batchRetried
        self.batchFallback = batchFallback
    }

    public var id: Int64? {
        get { Self.unpack(storedID) }
        set { storedID = Self.pack(newValue) }
    }
    public var runId: Int64 {
        get { Int64(storedRunID) }
        set { storedRunID = Self.pack(Int(newValue)) }
    }
    public var repeatIndex: Int {
        get { Int(storedRepeat) }
        set { storedRepeat = Self.pack(newValue) }
    }
    public var score: Double? {
        get { storedScore.isNaN ? nil : storedScore }
        set { storedScore = newValue ?? .nan }
    }
    /// Per-grader outcomes (JSON) — from the store, only when they name a metric, hold judges or
    /// have an error (what the Grading section reads).
    public var grades: String? {
        get { rare?.grades }
        set { rare = RareText(grades: newValue, errorMessage: errorMessage) }
    }
    public var graderErrors: Int {
        get { Int(storedGraderErrors) }
        set { storedGraderErrors = Self.pack16(newValue) }
    }
    public var judgeCostMicros: Int64? {
        get { Self.unpack(storedJudgeCost) }
        set { storedJudgeCost = Self.pack(newValue) }
    }
    public var inputTokens: Int? {
        get { Self.unpack(storedInput) }
        set { storedInput = Self.pack(newValue) }
    }
    public var cachedInputTokens: Int? {
        get { Self.unpack(storedCachedInput) }
        set { storedCachedInput = Self.pack(newValue) }
    }
    /// Cache writes, and the 1-hour part of them: the price list shows the prices they used.
    public var cacheWriteTokens: Int? {
        get { Self.unpack(storedCacheWrite) }
        set { storedCacheWrite = Self.pack(newValue) }
    }
    public var cacheWrite1hTokens: Int? {
        get { Self.unpack(storedCacheWrite1h) }
        set { storedCacheWrite1h = Self.pack(newValue) }
    }
    public var outputTokens: Int? {
        get { Self.unpack(storedOutput) }
        set { storedOutput = Self.pack(newValue) }
    }
    public var costMicros: Int64? {
        get { Self.unpack(storedCost) }
        set { storedCost = Self.pack(newValue) }
    }
    public var latencyMs: Double? {
        get { storedLatency.isNaN ? nil : storedLatency }
        set { storedLatency = newValue ?? .nan }
    }
    public var ttftMs: Double? {
        get { storedTTFT.isNaN ? nil : storedTTFT }
        set { storedTTFT = newValue ?? .nan }
    }
    public var outputTokensPerSecond: Double? {
        get { storedTokensPerSecond.isNaN ? nil : storedTokensPerSecond }
        set { storedTokensPerSecond = newValue ?? .nan }
    }
    public var httpStatus: Int? {
        get { Self.unpack(storedStatus) }
        set { storedStatus = Self.pack16(newValue) }
    }
    /// When the call was sent, to the millisecond (as stored).
    public var startedAt: Date? {
        get { startedAtMilliseconds.map { Date(timeIntervalSince1970: Double($0) / 1000) } }
        set { storedStart = Self.pack(newValue.map(Self.milliseconds)) }
    }
    /// `startedAt` in milliseconds since 1970, as the CSV writes it.
    var startedAtMilliseconds: Int64? {
        get { Self.unpack(storedStart) }
        set { storedStart = Self.pack(newValue) }
    }
    public var errorMessage: String? {
        get { rare?.errorMessage }
        set { rare = RareText(grades: grades, errorMessage: newValue) }
    }
    /// Why the answer ended, as stored (`FinishReason` raw value: `length`, `content_filter`, ...).
    public var finishReason: String? {
        get { finish?.rawValue }
        set { finish = newValue.map { FinishReason(rawValue: $0) ?? .other } }
    }

    /// The per-grader outcomes decoded from `grades`.
    public var graderOutcomes: [GraderOutcome] { GraderOutcome.decoded(grades) }

    // MARK: Equality

    /// Equal when every property is: a missing number (a NaN inside) equals a missing number,
    /// which the `==` of `Double` would not say.
    public static func == (a: ReportCall, b: ReportCall) -> Bool {
        a.storedID == b.storedID && a.storedCost == b.storedCost && a.storedJudgeCost == b.storedJudgeCost
            && a.storedScore.bitPattern == b.storedScore.bitPattern && a.storedLatency.bitPattern == b.storedLatency.bitPattern
            && a.storedTTFT.bitPattern == b.storedTTFT.bitPattern
            && a.storedTokensPerSecond.bitPattern == b.storedTokensPerSecond.bitPattern
            && a.storedStart == b.storedStart && a.modelId == b.modelId && a.taskId == b.taskId && a.caseId == b.caseId
            && a.output == b.output && a.rare == b.rare && a.storedRunID == b.storedRunID
            && a.storedRepeat == b.storedRepeat && a.storedInput == b.storedInput && a.storedCachedInput == b.storedCachedInput
            && a.storedCacheWrite == b.storedCacheWrite && a.storedCacheWrite1h == b.storedCacheWrite1h
            && a.storedOutput == b.storedOutput && a.storedGraderErrors == b.storedGraderErrors
            && a.storedStatus == b.storedStatus && a.passed == b.passed && a.usageSource == b.usageSource
            && a.errorClass == b.errorClass && a.finish == b.finish && a.cacheHit == b.cacheHit
            && a.usageUntrusted == b.usageUntrusted && a.storedBatch == b.storedBatch
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storedID)
        hasher.combine(modelId)
        hasher.combine(taskId)
        hasher.combine(caseId)
        hasher.combine(storedRepeat)
        hasher.combine(storedScore.bitPattern)
        hasher.combine(output)
    }

    // MARK: Packing

    /// `Int64.min` stands for nil: no cost or id comes near it (money saturates short of it).
    private static func pack(_ value: Int64?) -> Int64 { value ?? .min }
    private static func unpack(_ value: Int64) -> Int64? { value == .min ? nil : value }
    /// `Int32.min` stands for nil; values are clamped into the rest of the range.
    private static func pack(_ value: Int?) -> Int32 {
        guard let value else { return .min }
        return Int32(clamping: min(max(value, Int(Int32.min) + 1), Int(Int32.max) - 1))
    }
    private static func pack(_ value: Int) -> Int32 { pack(Optional(value)) }
    private static func unpack(_ value: Int32) -> Int? { value == .min ? nil : Int(value) }
    /// `Int16.min` stands for nil; values are clamped into the rest of the range.
    private static func pack16(_ value: Int?) -> Int16 {
        guard let value else { return .min }
        return Int16(clamping: min(max(value, Int(Int16.min) + 1), Int(Int16.max) - 1))
    }
    private static func pack16(_ value: Int) -> Int16 { pack16(Optional(value)) }
    private static func unpack(_ value: Int16) -> Int? { value == .min ? nil : Int(value) }
    /// A date to the millisecond, rounded as the store writes it.
    private static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }
}

/// The text few calls have, behind one reference: nil when the call has neither.
private final class RareText: Sendable, Hashable {
    let grades: String?
    let errorMessage: String?

    init?(grades: String?, errorMessage: String?) {
        guard grades != nil || errorMessage != nil else { return nil }
        self.grades = grades
        self.errorMessage = errorMessage
    }

    static func == (lhs: RareText, rhs: RareText) -> Bool {
        lhs.grades == rhs.grades && lhs.errorMessage == rhs.errorMessage
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(grades)
        hasher.combine(errorMessage)
    }
}

extension ReportCall {
    /// The columns a report reads of `call`; a call asked in a prompt variant reads as its arm
    /// (`gpt-4o · terse`).
    public init(_ call: CallRecord) {
        self.init(id: call.id, runId: call.runId, modelId: PromptArm.label(modelID: call.modelId, variant: call.promptVariant),
                  taskId: call.taskId, caseId: call.caseId,
                  repeatIndex: call.repeatIndex, output: ToolCall.shown(output: call.output, calls: call.answeredToolCalls),
                  score: call.score, passed: call.passed,
                  grades: call.grades, graderErrors: call.graderErrors, judgeCostMicros: call.judgeCostMicros,
                  inputTokens: call.inputTokens, cachedInputTokens: call.cachedInputTokens,
                  cacheWriteTokens: call.cacheWriteTokens, cacheWrite1hTokens: call.cacheWrite1hTokens,
                  outputTokens: call.outputTokens, usageSource: call.usageSource, costMicros: call.costMicros,
                  latencyMs: call.latencyMs, ttftMs: call.ttftMs, outputTokensPerSecond: call.outputTokensPerSecond,
                  httpStatus: call.httpStatus, errorClass: call.errorClass, errorMessage: call.errorMessage,
                  cacheHit: call.cacheHit, usageUntrusted: call.usageUntrusted != nil, finishReason: call.finishReason,
                  batched: call.batched, batchRetried: call.batched && call.attempts > 1,
                  batchFallback: call.batchFallback, startedAt: call.startedAt)
    }
}
