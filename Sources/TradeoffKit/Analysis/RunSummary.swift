import Foundation

/// What a stored run comes to: per model quality with intervals, cost and latency; every model
/// compared with the reference; the cost–quality frontier; the same per task; a recommendation.
///
/// Built from the rows alone (pure, no I/O), so a report can be rewritten from the database at
/// any time and always comes out the same (the bootstrap is seeded). Calls that produced no
/// answer count as errors and are kept apart: quality, pass rate, cost per case and latency are
/// over answered calls, and paired comparisons over the cases both models answered.
public struct RunSummary: Sendable {
    /// The run.
    public var run: RunRecord
    /// The settings the analysis used.
    public var settings: AnalysisSettings
    /// One summary per model, in `run_models` order.
    public var models: [ModelSummary]
    /// The model the others are compared with; nil when no model answered anything.
    public var referenceID: String?
    /// Each other model against the reference over the whole suite, in run order, with Holm's
    /// correction across them.
    public var comparisons: [PairedComparison]
    /// The cost–quality frontier.
    public var frontier: Frontier
    /// The suite's recommendation; nil without a reference.
    public var recommendation: Recommendation?
    /// One summary per task, in case order (first appearance of each task id).
    public var tasks: [TaskSummary]
    /// The cases where the models' scores differ most.
    public var disagreements: [Disagreement]
    /// The most repeats any case got (1 without repeats).
    public var repeats: Int
    /// Cases in the run.
    public var caseCount: Int
    /// The cost of every call, judges included, micro-dollars; nil when no model is priced.
    public var totalSpendMicros: Int64?
    /// The per-case results, for comparisons with other runs.
    var table: CaseTable
    /// Each case's place in suite order, to list calls in a stable order.
    var caseOrder: [CaseKey: Int] { table.index }

    /// How many disagreements the summary keeps.
    public static let disagreementLimit = 10

    /// Summarizes the rows of one run.
    ///
    /// Calls of a model missing from `models` are left out. A `settings.reference` that is not
    /// one of `models` is ignored (check it first with `AnalysisInputError.checkReference`).
    ///
    /// - Parameters:
    ///   - run: The run row.
    ///   - models: Its `run_models` rows, in recorded order.
    ///   - cases: Its cases, in suite order.
    ///   - calls: Its calls, in recorded order (the first error of a class is its example).
    ///   - settings: Reference, margin, volume and methods.
    public init(run: RunRecord, models: [RunModelRecord], cases: [CaseRecord], calls: [CallRecord],
                settings: AnalysisSettings = AnalysisSettings()) {
        self.run = run
        self.settings = settings
        let modelIDs = models.map(\.modelId)
        let table = CaseTable(modelIDs: modelIDs, cases: cases, calls: calls)
        self.table = table
        repeats = table.repeats
        caseCount = table.keys.count

        // One pass over the calls: per model, and per model and task.
        var modelPosition: [String: Int] = [:]
        for (position, id) in modelIDs.enumerated() where modelPosition[id] == nil { modelPosition[id] = position }
        var taskPosition: [String: Int] = [:]
        for (position, id) in table.taskIDs.enumerated() { taskPosition[id] = position }
        var modelTallies = [CallTally](repeating: CallTally(), count: models.count)
        var taskTallies = [[CallTally]](repeating: [CallTally](repeating: CallTally(), count: table.taskIDs.count),
                                        count: models.count)
        var failedCalls = [[CallRecord]](repeating: [], count: models.count)
        var spend: Int64 = 0
        for call in calls {
            guard let model = modelPosition[call.modelId] else { continue }
            modelTallies[model].add(call, timings: true)
            if let task = taskPosition[call.taskId] { taskTallies[model][task].add(call, timings: false) }
            if call.errorClass != nil { failedCalls[model].append(call) }
            if models[model].isPriced { spend += call.costMicros ?? 0 }
        }
        totalSpendMicros = models.contains(where: \.isPriced) ? spend : nil

        let summaries = models.enumerated().map { position, record in
            ModelSummary(record: record, tally: modelTallies[position],
                         scores: table.sample(table.scores[position], over: nil),
                         passes: table.sample(table.passes[position], over: nil),
                         errorGroups: ErrorGroup.groups(of: failedCalls[position]), settings: settings)
        }
        self.models = summaries

        let reference = Self.reference(settings.reference, among: summaries)
        referenceID = reference.map { summaries[$0].modelID }
        var comparisons: [PairedComparison] = []
        var recommendation: Recommendation?
        if let reference {
            comparisons = summaries.indices.filter { $0 != reference }.map { model in
                PairedComparison(modelID: modelIDs[model], referenceID: modelIDs[reference],
                                 sample: table.paired(model, reference, over: nil), settings: settings)
            }.holmAdjusted()
            let options = Self.options(summaries.map { ($0.modelID, $0.exactCostPerCase, $0.quality) },
                                       comparisons: comparisons)
            recommendation = Recommendation.choose(referenceID: modelIDs[reference], reference: options[reference],
                                                   candidates: options.enumerated().filter { $0.offset != reference }
                                                       .map(\.element))
        }
        self.comparisons = comparisons
        self.recommendation = recommendation

        let priced = summaries.compactMap { model -> (modelID: String, cost: Double, quality: Double)? in
            guard let cost = model.exactCostPerCase, let quality = model.quality else { return nil }
            return (model.modelID, cost, quality)
        }
        let excluded = summaries.filter { $0.exactCostPerCase == nil || $0.quality == nil }.map(\.modelID)
        frontier = Frontier(candidates: priced, excluded: excluded) { a, b in
            PairedComparison(modelID: a, referenceID: b,
                             sample: table.paired(modelPosition[a]!, modelPosition[b]!, over: nil), settings: settings)
        }

        tasks = table.taskIDs.enumerated().map { task, taskID in
            Self.taskSummary(taskID: taskID, cases: table.casesOfTask[task], table: table, models: models,
                             tallies: taskTallies.map { $0[task] }, reference: reference, settings: settings)
        }
        disagreements = Disagreement.top(Self.disagreementLimit, in: table, modelIDs: modelIDs, calls: calls)
    }

    /// Reads run `runID` from `store` and summarizes it.
    ///
    /// - Throws: `UnknownRunError` when the store holds no such run; `StoreError` when reading fails.
    public static func load(from store: ResultStore, runID: Int64,
                            settings: AnalysisSettings = AnalysisSettings()) throws -> RunSummary {
        guard let run = try store.run(runID) else { throw UnknownRunError(path: store.path, runID: runID) }
        return RunSummary(run: run, models: try store.models(ofRun: runID), cases: try store.cases(ofRun: runID),
                          calls: try store.calls(ofRun: runID), settings: settings)
    }

    // MARK: Parts

    /// The reference's index: the one asked for, else the frontier model of best quality, else
    /// the best model of any class (ties: run order); nil when nothing was answered.
    static func reference(_ asked: String?, among models: [ModelSummary]) -> Int? {
        if let asked, let index = models.firstIndex(where: { $0.modelID == asked }) { return index }
        func best(_ candidates: [Int]) -> Int? {
            candidates.filter { models[$0].quality != nil }.max { a, b in
                models[a].quality! != models[b].quality! ? models[a].quality! < models[b].quality! : a > b
            }
        }
        return best(models.indices.filter { models[$0].modelClass == .frontier }) ?? best(Array(models.indices))
    }

    /// Recommendation options, one per model in order; the reference has no comparison.
    private static func options(_ models: [(id: String, cost: Double?, quality: Double?)],
                                comparisons: [PairedComparison]) -> [Recommendation.Option] {
        var byModel: [String: PairedComparison] = [:]
        for comparison in comparisons { byModel[comparison.modelID] = comparison }
        return models.map { Recommendation.Option(modelID: $0.id, costPerCase: $0.cost, quality: $0.quality,
                                                  comparison: byModel[$0.id]) }
    }

    private static func taskSummary(taskID: String, cases: [Int], table: CaseTable, models: [RunModelRecord],
                                    tallies: [CallTally], reference: Int?, settings: AnalysisSettings) -> TaskSummary {
        var results: [TaskSummary.ModelResult] = models.indices.map { model in
            let tally = tallies[model]
            let scores = table.sample(table.scores[model], over: cases)
            let passes = table.sample(table.passes[model], over: cases)
            let total: Int64? = models[model].isPriced ? tally.costMicros : nil
            return TaskSummary.ModelResult(
                calls: tally.calls, answered: tally.answered, errors: tally.errors, cases: scores.values.count,
                quality: Statistics.mean(scores.values), qualityInterval: settings.meanInterval(scores),
                passRate: Statistics.mean(passes.values), passRateInterval: settings.meanInterval(passes),
                totalCostMicros: total, costPerCaseMicros: total.flatMap { CostMath.roundedQuotient($0, Int64(tally.answered)) },
                comparison: nil)
        }
        var recommendation: Recommendation?
        if let reference {
            let others = models.indices.filter { $0 != reference }
            let comparisons = others.map { model in
                PairedComparison(modelID: models[model].modelId, referenceID: models[reference].modelId,
                                 sample: table.paired(model, reference, over: cases), settings: settings)
            }.holmAdjusted()
            for (model, comparison) in zip(others, comparisons) { results[model].comparison = comparison }
            let options = models.indices.map { model in
                Recommendation.Option(modelID: models[model].modelId, costPerCase: results[model].exactCostPerCase,
                                      quality: results[model].quality, comparison: results[model].comparison)
            }
            recommendation = Recommendation.choose(referenceID: models[reference].modelId, reference: options[reference],
                                                   candidates: others.map { options[$0] })
        }
        var perModel: [String: TaskSummary.ModelResult] = [:]
        for (model, result) in zip(models, results) where perModel[model.modelId] == nil { perModel[model.modelId] = result }
        return TaskSummary(taskID: taskID, caseCount: cases.count, perModel: perModel, recommendation: recommendation)
    }

    // MARK: Queries

    /// The summary of model `id`.
    public func model(_ id: String) -> ModelSummary? { models.first { $0.modelID == id } }

    /// The reference's summary.
    public var reference: ModelSummary? { referenceID.flatMap(model) }

    /// Model `id` against the reference over the suite; nil for the reference itself.
    public func comparison(for id: String) -> PairedComparison? { comparisons.first { $0.modelID == id } }

    /// Calls made, over all models.
    public var callCount: Int { models.reduce(0) { $0 + $1.calls } }

    /// Calls that produced no answer, over all models.
    public var errorCount: Int { models.reduce(0) { $0 + $1.errors } }

    /// The models served by Tradeoff's fake provider, whose results say nothing about real models.
    public var simulatedModels: [ModelSummary] { models.filter(\.simulated) }

    /// The models without prices, whose cost is unknown (never zero).
    public var unpricedModels: [ModelSummary] { models.filter { !$0.priced } }

    /// Seconds from start to finish; nil while the run is not finished.
    public var duration: TimeInterval? { run.finishedAt.map { $0.timeIntervalSince(run.startedAt) } }

    /// Model `id`'s monthly cost at the settings' volume, micro-dollars.
    public func monthlyCostMicros(of id: String) -> Int64? {
        guard let volume = settings.volume, let model = model(id), let total = model.totalCostMicros else { return nil }
        return volume.monthlyCostMicros(totalMicros: total, cases: model.answered)
    }

    /// `calls` in a stable order: by model (run order), then case (suite order), then repeat.
    ///
    /// The database holds calls in the order they finished, which varies with concurrency; this
    /// order does not, so two exports of the same results compare equal.
    public func ordered(_ calls: [CallRecord]) -> [CallRecord] {
        var modelOrder: [String: Int] = [:]
        for (index, model) in models.enumerated() where modelOrder[model.modelID] == nil { modelOrder[model.modelID] = index }
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

/// The results database holds no run with the id asked for.
public struct UnknownRunError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The database file.
    public var path: String
    /// The id asked for.
    public var runID: Int64

    /// `results/x.sqlite: no run 7`.
    public var description: String { "\(path): no run \(runID)" }
}
