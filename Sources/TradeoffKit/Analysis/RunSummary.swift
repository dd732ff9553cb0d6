import Foundation

/// What a stored run comes to, per model and per task: the numbers the reports print.
///
/// Built from the rows alone (pure, no I/O), so a report can be rewritten from the database at
/// any time. Calls that produced no answer count as errors and are kept apart: quality, pass
/// rate, cost per case and latency are over answered calls.
public struct RunSummary: Sendable {
    /// The run.
    public var run: RunRecord
    /// One summary per model, in `run_models` order.
    public var models: [ModelSummary]
    /// One summary per task, in case order (first appearance of each task id).
    public var tasks: [TaskSummary]
    /// Each case's place in suite order, to list calls in a stable order.
    var caseOrder: [CaseKey: Int]

    /// Summarizes the rows of one run.
    ///
    /// Calls of a model missing from `models` are left out of the model summaries.
    ///
    /// - Parameters:
    ///   - run: The run row.
    ///   - models: Its `run_models` rows, in recorded order.
    ///   - cases: Its cases, in suite order.
    ///   - calls: Its calls, in recorded order (the first error of a class is its example).
    public init(run: RunRecord, models: [RunModelRecord], cases: [CaseRecord], calls: [CallRecord]) {
        self.run = run
        let callsByModel = Dictionary(grouping: calls, by: \.modelId)
        self.models = models.map { ModelSummary(record: $0, calls: callsByModel[$0.modelId] ?? []) }

        var caseOrder: [CaseKey: Int] = [:]
        var taskIDs: [String] = []
        var caseCounts: [String: Int] = [:]
        for testCase in cases {
            let key = CaseKey(taskID: testCase.taskId, caseID: testCase.caseId)
            guard caseOrder[key] == nil else { continue }
            caseOrder[key] = caseOrder.count
            if caseCounts[testCase.taskId] == nil { taskIDs.append(testCase.taskId) }
            caseCounts[testCase.taskId, default: 0] += 1
        }
        // Calls always name a recorded case (a foreign key says so); this keeps any stray one visible.
        var strayCases: [String: Set<String>] = [:]
        for call in calls where caseOrder[CaseKey(taskID: call.taskId, caseID: call.caseId)] == nil {
            if caseCounts[call.taskId] == nil && strayCases[call.taskId] == nil { taskIDs.append(call.taskId) }
            strayCases[call.taskId, default: []].insert(call.caseId)
        }
        self.caseOrder = caseOrder

        let modelIDs = models.map(\.modelId)
        let callsByTask = Dictionary(grouping: calls, by: \.taskId)
        tasks = taskIDs.map { taskID in
            TaskSummary(taskID: taskID,
                        caseCount: (caseCounts[taskID] ?? 0) + (strayCases[taskID]?.count ?? 0),
                        modelIDs: modelIDs, calls: callsByTask[taskID] ?? [])
        }
    }

    /// Reads run `runID` from `store` and summarizes it.
    ///
    /// - Throws: `UnknownRunError` when the store holds no such run; `StoreError` when reading fails.
    public static func load(from store: ResultStore, runID: Int64) throws -> RunSummary {
        guard let run = try store.run(runID) else { throw UnknownRunError(path: store.path, runID: runID) }
        return RunSummary(run: run, models: try store.models(ofRun: runID), cases: try store.cases(ofRun: runID),
                          calls: try store.calls(ofRun: runID))
    }

    /// Calls made, over all models.
    public var callCount: Int { models.reduce(0) { $0 + $1.calls } }

    /// Calls that produced no answer, over all models.
    public var errorCount: Int { models.reduce(0) { $0 + $1.errors } }

    /// The cost of all priced models' calls, in micro-dollars; nil when no model is priced.
    public var totalCostMicros: Int64? {
        let priced = models.compactMap(\.totalCostMicros)
        return priced.isEmpty ? nil : priced.reduce(0, +)
    }

    /// The models served by Tradeoff's fake provider, whose results say nothing about real models.
    public var simulatedModels: [ModelSummary] { models.filter(\.simulated) }

    /// The models without prices, whose cost is unknown (never zero).
    public var unpricedModels: [ModelSummary] { models.filter { !$0.priced } }

    /// Seconds from start to finish; nil while the run is not finished.
    public var duration: TimeInterval? { run.finishedAt.map { $0.timeIntervalSince(run.startedAt) } }

    /// `calls` in a stable order: by model (run order), then case (suite order), then repeat.
    ///
    /// The database holds calls in the order they finished, which varies with concurrency; this
    /// order does not, so two exports of the same results compare equal.
    public func ordered(_ calls: [CallRecord]) -> [CallRecord] {
        var modelOrder: [String: Int] = [:]
        for (index, model) in models.enumerated() { modelOrder[model.modelID] = index }
        let unknown = Int.max
        return calls.enumerated().sorted { left, right in
            let (a, b) = (left.element, right.element)
            let keyA = (modelOrder[a.modelId] ?? unknown, caseOrder[CaseKey(taskID: a.taskId, caseID: a.caseId)] ?? unknown,
                        a.repeatIndex, left.offset)
            let keyB = (modelOrder[b.modelId] ?? unknown, caseOrder[CaseKey(taskID: b.taskId, caseID: b.caseId)] ?? unknown,
                        b.repeatIndex, right.offset)
            return keyA < keyB
        }.map(\.element)
    }
}

/// A case's identity within a run.
struct CaseKey: Hashable, Sendable {
    var taskID: String
    var caseID: String
}

/// One model's results over a run.
public struct ModelSummary: Sendable, Hashable {
    /// Tradeoff's id for the model (the catalog id).
    public var modelID: String
    /// The provider's name for the model.
    public var model: String
    /// Open-weight or frontier.
    public var modelClass: ModelClass
    /// Served by Tradeoff's fake provider: its results illustrate the tool only.
    public var simulated: Bool
    /// Whether the run had prices for the model; when not, its cost is unknown.
    public var priced: Bool
    /// Calls made (answered and failed).
    public var calls: Int
    /// Calls that produced an answer.
    public var answered: Int
    /// Calls that produced no answer.
    public var errors: Int
    /// Answered calls that passed their case's threshold.
    public var passed: Int
    /// Mean case score over answered calls; nil when none was answered.
    public var meanScore: Double?
    /// `passed / answered`; nil when none was answered.
    public var passRate: Double?
    /// Cost of every call, in micro-dollars; nil when unpriced.
    public var totalCostMicros: Int64?
    /// `totalCostMicros / answered`, rounded half up; nil when unpriced or none was answered.
    public var costPerCaseMicros: Int64?
    /// Median total time of answered calls, in milliseconds.
    public var latencyP50Ms: Double?
    /// 95th percentile of the total time of answered calls, in milliseconds.
    public var latencyP95Ms: Double?
    /// Input tokens over all calls, cached ones included.
    public var inputTokens: Int
    /// The cached part of `inputTokens`.
    public var cachedInputTokens: Int
    /// Output tokens over all calls.
    public var outputTokens: Int
    /// The failed calls by class, the most frequent first.
    public var errorGroups: [ErrorGroup]

    init(record: RunModelRecord, calls: [CallRecord]) {
        modelID = record.modelId
        model = record.model
        modelClass = record.modelClass
        simulated = record.simulated
        priced = record.priceInput != nil && record.priceOutput != nil
        let tally = CallTally(calls)
        self.calls = calls.count
        answered = tally.answered
        errors = tally.errors
        passed = tally.passed
        meanScore = tally.meanScore
        passRate = tally.passRate
        // A priced call without a cost billed nothing (it failed before the provider counted tokens).
        totalCostMicros = priced ? calls.reduce(0) { $0 + ($1.costMicros ?? 0) } : nil
        if let total = totalCostMicros, tally.answered > 0 {
            costPerCaseMicros = Self.roundedQuotient(total, Int64(tally.answered))
        } else {
            costPerCaseMicros = nil
        }
        let latencies = calls.filter { $0.errorClass == nil }.compactMap(\.latencyMs)
        latencyP50Ms = Statistics.percentile(50, of: latencies)
        latencyP95Ms = Statistics.percentile(95, of: latencies)
        inputTokens = calls.reduce(0) { $0 + ($1.inputTokens ?? 0) }
        cachedInputTokens = calls.reduce(0) { $0 + ($1.cachedInputTokens ?? 0) }
        outputTokens = calls.reduce(0) { $0 + ($1.outputTokens ?? 0) }
        errorGroups = ErrorGroup.groups(of: calls)
    }

    /// `numerator / denominator` rounded half away from zero, in integers.
    static func roundedQuotient(_ numerator: Int64, _ denominator: Int64) -> Int64 {
        let quotient = numerator / denominator
        let remainder = numerator % denominator
        guard remainder.magnitude * 2 >= denominator.magnitude else { return quotient }
        return quotient + ((numerator < 0) != (denominator < 0) ? -1 : 1)
    }
}

/// The failed calls of one model that share an error class.
public struct ErrorGroup: Sendable, Hashable {
    /// The class of failure.
    public var errorClass: CallError.Kind
    /// How many calls failed this way.
    public var count: Int
    /// The message of the first such call, as an example.
    public var exampleMessage: String

    /// Groups the failed calls among `calls` by class: the most frequent first, ties by name.
    static func groups(of calls: [CallRecord]) -> [ErrorGroup] {
        var groups: [CallError.Kind: ErrorGroup] = [:]
        for call in calls {
            guard let kind = call.errorClass else { continue }
            if groups[kind] == nil {
                groups[kind] = ErrorGroup(errorClass: kind, count: 0, exampleMessage: call.errorMessage ?? "")
            }
            groups[kind]?.count += 1
        }
        return groups.values.sorted {
            $0.count != $1.count ? $0.count > $1.count : $0.errorClass.rawValue < $1.errorClass.rawValue
        }
    }
}

/// One task's results over a run, per model.
public struct TaskSummary: Sendable, Hashable {
    /// The task id.
    public var taskID: String
    /// The number of cases of the task.
    public var caseCount: Int
    /// Results per model id; every model of the run has an entry.
    public var perModel: [String: ModelResult]

    /// One model's results on one task.
    public struct ModelResult: Sendable, Hashable {
        /// Calls made.
        public var calls: Int
        /// Calls that produced an answer.
        public var answered: Int
        /// Calls that produced no answer.
        public var errors: Int
        /// Mean case score over answered calls; nil when none was answered.
        public var meanScore: Double?
        /// Passed / answered; nil when none was answered.
        public var passRate: Double?
    }

    init(taskID: String, caseCount: Int, modelIDs: [String], calls: [CallRecord]) {
        self.taskID = taskID
        self.caseCount = caseCount
        let callsByModel = Dictionary(grouping: calls, by: \.modelId)
        var perModel: [String: ModelResult] = [:]
        for modelID in modelIDs {
            let calls = callsByModel[modelID] ?? []
            let tally = CallTally(calls)
            perModel[modelID] = ModelResult(calls: calls.count, answered: tally.answered, errors: tally.errors,
                                            meanScore: tally.meanScore, passRate: tally.passRate)
        }
        self.perModel = perModel
    }
}

/// The results database holds no run with the id asked for.
public struct UnknownRunError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The database file.
    public var path: String
    /// The id asked for.
    public var runID: Int64

    /// `results/x.sqlite: no run 7`.
    public var description: String { "\(path): no run \(runID)" }
}

/// Counts of answered, failed and passed calls, and the mean score of the answered ones.
private struct CallTally {
    var answered = 0
    var errors = 0
    var passed = 0
    var meanScore: Double?

    init(_ calls: [CallRecord]) {
        var scores: [Double] = []
        for call in calls {
            guard call.errorClass == nil else {
                errors += 1
                continue
            }
            answered += 1
            if call.passed == true { passed += 1 }
            if let score = call.score { scores.append(score) }
        }
        meanScore = Statistics.mean(scores)
    }

    var passRate: Double? { answered > 0 ? Double(passed) / Double(answered) : nil }
}
