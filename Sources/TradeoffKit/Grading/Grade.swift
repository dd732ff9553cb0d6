import Foundation

/// The outcome of one grader on one answer, stored per call (the `grades` JSON column).
public struct GraderOutcome: Sendable, Hashable, Codable {
    /// The grader type (`exact`, `contains`, ...).
    public var type: String
    /// Score in 0...1 (0 for a grader error, which is left out of the case score).
    public var score: Double
    /// Whether the grader passed the answer.
    public var passed: Bool
    /// The grader's weight in the case score.
    public var weight: Double
    /// Why, in a few words a report reader can act on; for a grader error, what went wrong.
    public var reason: String
    /// The named metric the grader counts toward, if any.
    public var metric: String?
    /// True when the grader could not grade (a command failed, a judge gave no verdict): the
    /// outcome is counted as an error, not as a score.
    public var isError: Bool
    /// What the grader extracted from the answer: the label of `one-of`, the letter of `choice`,
    /// the number of `numeric`.
    public var extracted: String?
    /// For a judge: each judge model's verdict.
    public var judges: [JudgeOpinion]?

    /// Creates an outcome; `passed` defaults to a full score.
    public init(type: String, score: Double, passed: Bool? = nil, weight: Double, reason: String, metric: String? = nil,
                isError: Bool = false, extracted: String? = nil, judges: [JudgeOpinion]? = nil) {
        self.type = type
        self.score = score
        self.passed = passed ?? (score >= 1)
        self.weight = weight
        self.reason = reason
        self.metric = metric
        self.isError = isError
        self.extracted = extracted
        self.judges = judges
    }

    /// A grader error: it scores nothing and is counted apart.
    public static func error(type: String, weight: Double, metric: String?, reason: String,
                             judges: [JudgeOpinion]? = nil) -> GraderOutcome {
        GraderOutcome(type: type, score: 0, passed: false, weight: weight, reason: reason, metric: metric, isError: true,
                      judges: judges)
    }

    enum CodingKeys: String, CodingKey {
        case type, score, passed, weight, reason, metric, extracted, judges
        case isError = "error"
    }

    /// Decodes an outcome; rows written before `passed` was stored pass on a full score.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(String.self, forKey: .type)
        score = try container.decode(Double.self, forKey: .score)
        // Rows written before graders recorded their pass passed on a full score.
        passed = try container.decodeIfPresent(Bool.self, forKey: .passed) ?? (score >= 1)
        weight = try container.decode(Double.self, forKey: .weight)
        reason = try container.decode(String.self, forKey: .reason)
        metric = try container.decodeIfPresent(String.self, forKey: .metric)
        isError = try container.decodeIfPresent(Bool.self, forKey: .isError) ?? false
        extracted = try container.decodeIfPresent(String.self, forKey: .extracted)
        judges = try container.decodeIfPresent([JudgeOpinion].self, forKey: .judges)
    }

    /// Encodes the outcome; absent fields (no metric, no error) are left out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(score, forKey: .score)
        try container.encode(passed, forKey: .passed)
        try container.encode(weight, forKey: .weight)
        try container.encode(reason, forKey: .reason)
        try container.encodeIfPresent(metric, forKey: .metric)
        if isError { try container.encode(true, forKey: .isError) }
        try container.encodeIfPresent(extracted, forKey: .extracted)
        try container.encodeIfPresent(judges, forKey: .judges)
    }

    /// `outcomes` as a JSON array through JSONEncoder (sorted keys, slashes unescaped).
    static func encoded(_ outcomes: [GraderOutcome]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(outcomes)) ?? Data("[]".utf8), as: UTF8.self)
    }

    /// `outcomes` as a JSON array, exactly as `encoded` writes them, but written directly (a
    /// tenth of the cost) — unless an outcome carries judges' opinions or a number JSON cannot
    /// hold: those go through `encoded`.
    static func json(of outcomes: [GraderOutcome]) -> String {
        var writer = JSONWriter(escapingSlashes: false)
        writer.write(ascii: "[")
        for (index, outcome) in outcomes.enumerated() {
            guard outcome.judges == nil else { return encoded(outcomes) }
            if index > 0 { writer.write(ascii: ",") }
            // What `encode(to:)` writes (keep the two in step), keys in JSONEncoder's UTF-8 order.
            writer.write(ascii: "{")
            if outcome.isError { writer.write(ascii: #""error":true,"#) }
            if let extracted = outcome.extracted {
                writer.write(ascii: #""extracted":"#)
                writer.write(extracted)
                writer.write(ascii: ",")
            }
            if let metric = outcome.metric {
                writer.write(ascii: #""metric":"#)
                writer.write(metric)
                writer.write(ascii: ",")
            }
            writer.write(ascii: outcome.passed ? #""passed":true,"reason":"# : #""passed":false,"reason":"#)
            writer.write(outcome.reason)
            writer.write(ascii: #","score":"#)
            guard writer.write(.number(outcome.score)) else { return encoded(outcomes) }
            writer.write(ascii: #","type":"#)
            writer.write(outcome.type)
            writer.write(ascii: #","weight":"#)
            guard writer.write(.number(outcome.weight)) else { return encoded(outcomes) }
            writer.write(ascii: "}")
        }
        writer.write(ascii: "]")
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// The outcome with `not: true` applied: the score becomes `1 − score` and the pass flips.
    /// An error stays an error.
    func negated() -> GraderOutcome {
        guard !isError else { return self }
        var outcome = self
        outcome.score = 1 - score
        outcome.passed = !passed
        outcome.reason = "not: " + reason
        return outcome
    }
}

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

/// The grade of one answer: the weighted mean of its graders' scores, grader errors left out.
public struct CaseGrade: Sendable, Hashable {
    /// The weighted mean score of the graders that graded; 0 when none could.
    public var score: Double
    /// `score >= threshold`, and at least one grader graded.
    public var passed: Bool
    /// Every grader's outcome, in order (the task's graders, then the case's).
    public var outcomes: [GraderOutcome]

    /// Grades from `outcomes` against the task's `threshold`.
    public init(outcomes: [GraderOutcome], threshold: Double) {
        let graded = outcomes.filter { !$0.isError }
        let totalWeight = graded.reduce(0) { $0 + $1.weight }
        let weighted = graded.reduce(0) { $0 + $1.score * $1.weight }
        score = totalWeight > 0 ? min(1, max(0, weighted / totalWeight)) : 0
        // A tiny tolerance so 0.1 + 0.2 style sums do not fail a threshold they meet.
        passed = totalWeight > 0 && score + 1e-9 >= threshold
        self.outcomes = outcomes
    }

    /// Graders that could not grade.
    public var errorCount: Int { outcomes.filter(\.isError).count }

    /// Whether at least one grader graded: without one the answer has no score (stored as NULL).
    public var isGraded: Bool { outcomes.contains { !$0.isError } }
}
