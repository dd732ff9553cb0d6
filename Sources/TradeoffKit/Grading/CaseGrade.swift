/// The grade of one answer: the weighted mean of its graders' scores, grader errors left out.
public struct CaseGrade: Sendable, Hashable {
    /// The weighted mean score of the graders that graded; 0 when none could.
    public var score: Double
    /// With a task threshold, `score >= threshold`; without one, every grader that graded
    /// passed by its own rule. Either way at least one grader graded.
    public var passed: Bool
    /// Every grader's outcome, in order (the task's graders, then the case's).
    public var outcomes: [GraderOutcome]

    /// Grades from `outcomes` against the task's `threshold` (nil: every grader must pass).
    public init(outcomes: [GraderOutcome], threshold: Double?) {
        let graded = outcomes.filter { !$0.isError }
        let totalWeight = graded.reduce(0) { $0 + $1.weight }
        let weighted = graded.reduce(0) { $0 + $1.score * $1.weight }
        score = totalWeight > 0 ? min(1, max(0, weighted / totalWeight)) : 0
        if let threshold {
            // A tiny tolerance so 0.1 + 0.2 style sums do not fail a threshold they meet.
            passed = totalWeight > 0 && score + 1e-9 >= threshold
        } else {
            passed = !graded.isEmpty && graded.allSatisfy(\.passed)
        }
        self.outcomes = outcomes
    }

    /// Graders that could not grade.
    public var errorCount: Int { outcomes.filter(\.isError).count }

    /// Whether at least one grader graded: without one the answer has no score (stored as NULL).
    public var isGraded: Bool { outcomes.contains { !$0.isError } }
}
