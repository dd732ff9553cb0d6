import Foundation

/// What a cascade needs of each model on each case, beyond the scores and answered counts of
/// `CaseTable` (which it does not repeat: at a million cells every 8 bytes is 8 MB): the cost
/// and latency of its answers and, per escalation check, how its answers fared on it.
///
/// A cascade keeps a model's answer unless a check fails on it. With repeats, each answered
/// repeat is kept or escalated on its own, so per check the table holds the sums over the
/// repeats whose check failed (`escalatedScore`, `escalatedPasses`) and how many those were
/// (`escalated`). The per-check arrays are made when the first online grade comes in: a run
/// without online graders pays nothing for them.
struct CascadeTable: Sendable {
    /// The checks, each a set of online graders (`CascadeSpec.escalateWhen`; nil: every one).
    let checks: [[String]?]
    private let models: Int
    private(set) var cases: Int
    /// Per model, per case: the cost of the answered repeats, micro-dollars.
    private(set) var cost: [[Int64]] = []
    /// Per model, per case: the summed latency of the answered repeats that have one, and how many.
    private(set) var latency: [[Double]] = []
    private(set) var timed: [[Int32]] = []
    /// Per check, per model, per case: answered repeats the check failed (escalated); empty
    /// until an online grade is seen.
    private(set) var escalated: [[[Int32]]] = []
    /// Per check, per model, per case: the score and the pass of the escalated repeats, summed.
    private(set) var escalatedScore: [[[Double]]] = []
    private(set) var escalatedPasses: [[[Double]]] = []
    /// Per check, per model, per case: what the check itself cost (a judge's calls), micro-dollars.
    private(set) var checkCost: [[[Int64]]] = []
    /// Per check, per model, per case: whether any answered repeat had one of its graders.
    private(set) var checked: [[[Bool]]] = []

    /// Whether any answer had an online grade.
    var hasOnlineGrades: Bool { !escalated.isEmpty }

    /// An empty table for `models` models on `cases` cases and the given checks.
    init(models: Int, cases: Int, checks: [[String]?]) {
        (self.checks, self.models, self.cases) = (checks, models, cases)
        timed = Self.grid(models, cases, 0)
        latency = Self.grid(models, cases, 0.0)
        cost = Self.grid(models, cases, Int64(0))
    }

    private static func grid<T>(_ models: Int, _ cases: Int, _ value: T) -> [[T]] {
        [[T]](repeating: [T](repeating: value, count: cases), count: models)
    }

    /// Takes in a call of model `model` on case `testCase`; failed calls count nowhere.
    mutating func add(_ call: ReportCall, model: Int, testCase: Int) {
        guard call.errorClass == nil, model >= 0 else { return }
        // A stray case (one no case row names) is appended to the case table as it comes.
        while testCase >= cases { grow() }
        cost[model][testCase] = Money.sum(cost[model][testCase], call.costMicros ?? 0)
        if let latency = call.latencyMs, !call.batched {
            self.latency[model][testCase] += latency
            timed[model][testCase] += 1
        }
        guard call.grades?.contains("\"online\":") == true else { return }
        let outcomes = call.graderOutcomes.filter(\.online)
        guard !outcomes.isEmpty else { return }
        let score = call.score ?? 0
        let passed = call.passed == true ? 1.0 : 0.0
        if escalated.isEmpty {
            escalated = Array(repeating: Self.grid(models, cases, 0), count: checks.count)
            escalatedScore = Array(repeating: Self.grid(models, cases, 0.0), count: checks.count)
            escalatedPasses = escalatedScore
            checkCost = Array(repeating: Self.grid(models, cases, Int64(0)), count: checks.count)
            checked = Array(repeating: Self.grid(models, cases, false), count: checks.count)
        }
        for (index, check) in checks.enumerated() {
            let spec = CascadeSpec(models: [], escalateWhen: check)
            let mine = outcomes.filter { spec.checks(type: $0.type, metric: $0.metric) }
            guard !mine.isEmpty else { continue }
            checked[index][model][testCase] = true
            for opinion in mine.flatMap({ $0.judges ?? [] }) {
                checkCost[index][model][testCase] = Money.sum(checkCost[index][model][testCase], opinion.costMicros ?? 0)
            }
            // A check that could not run (a grader error) escalates, as a production router would.
            guard !mine.allSatisfy({ $0.passed && !$0.isError }) else { continue }
            escalated[index][model][testCase] += 1
            escalatedScore[index][model][testCase] += score
            escalatedPasses[index][model][testCase] += passed
        }
    }

    private mutating func grow() {
        cases += 1
        for model in 0..<models {
            cost[model].append(0)
            latency[model].append(0)
            timed[model].append(0)
            for check in escalated.indices {
                escalated[check][model].append(0)
                escalatedScore[check][model].append(0)
                escalatedPasses[check][model].append(0)
                checkCost[check][model].append(0)
                checked[check][model].append(false)
            }
        }
    }
}
