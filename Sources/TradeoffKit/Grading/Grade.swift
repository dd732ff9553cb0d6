/// The outcome of one grader on one answer.
public struct GraderOutcome: Sendable, Hashable, Codable {
    /// The grader type (`exact`, `contains`, ...).
    public var type: String
    /// Score in 0...1.
    public var score: Double
    public var weight: Double
    /// Why, in a few words a report reader can act on.
    public var reason: String

    public init(type: String, score: Double, weight: Double, reason: String) {
        self.type = type
        self.score = score
        self.weight = weight
        self.reason = reason
    }
}

/// The grade of one answer: the weighted mean of its graders' scores.
public struct CaseGrade: Sendable, Hashable, Codable {
    public var score: Double
    /// `score >= threshold`.
    public var passed: Bool
    public var outcomes: [GraderOutcome]

    public init(outcomes: [GraderOutcome], threshold: Double) {
        let totalWeight = outcomes.reduce(0) { $0 + $1.weight }
        let weighted = outcomes.reduce(0) { $0 + $1.score * $1.weight }
        score = totalWeight > 0 ? weighted / totalWeight : 0
        // A tiny tolerance so 0.1 + 0.2 style sums do not fail a threshold they meet.
        passed = score + 1e-9 >= threshold
        self.outcomes = outcomes
    }
}
