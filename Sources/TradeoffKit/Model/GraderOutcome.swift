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
    /// Whether the grader was marked `online: true` (usable in production, no reference answer):
    /// the checks a cascade escalates on.
    public var online: Bool = false

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
        case type, score, passed, weight, reason, metric, extracted, judges, online
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
        online = try container.decodeIfPresent(Bool.self, forKey: .online) ?? false
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
        if online { try container.encode(true, forKey: .online) }
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
            if outcome.online { writer.write(ascii: #""online":true,"#) }
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
