/// One judge model's verdict on one answer, kept with the grade.
public struct JudgeOpinion: Sendable, Hashable, Codable {
    /// The judge's catalog id.
    public var model: String
    /// The verdict mapped to 0...1; nil when the judge gave none.
    public var score: Double?
    /// Whether the judge passed the answer; nil when it gave no verdict.
    public var passed: Bool?
    /// The verdict as given: `pass`, `fail`, `4/5`; nil when there was none.
    public var verdict: String?
    /// The judge's reasoning, or why there is no verdict.
    public var reason: String
    /// True when the judge gave no usable verdict (its calls failed, or it was unparseable twice).
    public var isError: Bool
    /// What this judge's calls for this answer cost, micro-dollars; nil when unpriced or reused.
    public var costMicros: Int64?
    /// Judge calls made (2 when the first verdict was unparseable); 0 when the verdict was reused.
    public var calls: Int
    /// True when the verdict was reused from the run being re-graded (`tradeoff grade`).
    public var reused: Bool

    /// Creates an opinion.
    public init(model: String, score: Double?, passed: Bool?, verdict: String? = nil, reason: String,
                isError: Bool = false, costMicros: Int64? = nil, calls: Int = 1, reused: Bool = false) {
        self.model = model
        self.score = score
        self.passed = passed
        self.verdict = verdict
        self.reason = reason
        self.isError = isError
        self.costMicros = costMicros
        self.calls = calls
        self.reused = reused
    }

    enum CodingKeys: String, CodingKey {
        case model, score, passed, verdict, reason, calls, reused
        case isError = "error"
        case costMicros = "cost_micros"
    }

    /// Decodes an opinion.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decode(String.self, forKey: .model)
        score = try container.decodeIfPresent(Double.self, forKey: .score)
        passed = try container.decodeIfPresent(Bool.self, forKey: .passed)
        verdict = try container.decodeIfPresent(String.self, forKey: .verdict)
        reason = try container.decode(String.self, forKey: .reason)
        isError = try container.decodeIfPresent(Bool.self, forKey: .isError) ?? false
        costMicros = try container.decodeIfPresent(Int64.self, forKey: .costMicros)
        calls = try container.decodeIfPresent(Int.self, forKey: .calls) ?? 1
        reused = try container.decodeIfPresent(Bool.self, forKey: .reused) ?? false
    }

    /// Encodes the opinion; absent fields are left out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(model, forKey: .model)
        try container.encodeIfPresent(score, forKey: .score)
        try container.encodeIfPresent(passed, forKey: .passed)
        try container.encodeIfPresent(verdict, forKey: .verdict)
        try container.encode(reason, forKey: .reason)
        if isError { try container.encode(true, forKey: .isError) }
        try container.encodeIfPresent(costMicros, forKey: .costMicros)
        try container.encode(calls, forKey: .calls)
        if reused { try container.encode(true, forKey: .reused) }
    }
}
