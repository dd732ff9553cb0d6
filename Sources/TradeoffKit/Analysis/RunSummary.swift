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
    /// Each task routed to its recommended model, as a whole (`Portfolio`), or why not.
    public var routing: Routing
    /// The suite's cascades, then every open → frontier pair, as what-ifs (`Cascade`).
    public var cascades: [Cascade]
    /// Why a cascade could not be weighed, one sentence each.
    public var cascadeNotes: [String]
    /// The cases where the models' scores differ most.
    public var disagreements: [Disagreement]
    /// Which prompt variant is best on which model; nil for a run without `prompts:`.
    public var promptVariants: PromptVariants?
    /// The most repeats any case got (1 without repeats).
    public var repeats: Int
    /// Cases in the run.
    public var caseCount: Int
    /// The candidates' cost over every call, micro-dollars; nil when no model is priced. The
    /// judges' cost (the cost of evaluating) is apart, in `grading`.
    public var totalSpendMicros: Int64?
    /// Per-metric scores, grader errors and what the judges cost.
    public var grading: GradingSummary
    /// The per-case results, for comparisons with other runs.
    var table: CaseTable

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
    public init(run: RunRecord, models: [RunModelRecord], cases: [CaseRecord], calls: [ReportCall],
                settings: AnalysisSettings = AnalysisSettings()) {
        var fold = CallFold(run: run, models: models, cases: cases)
        for call in calls { fold.add(call) }
        self.init(fold, calls: calls, settings: settings)
    }

    /// Summarizes the calls taken in by `fold`.
    ///
    /// - Parameters:
    ///   - fold: The run's calls, folded.
    ///   - calls: The same calls, for the few the summary shows whole (the disagreements).
    ///   - settings: Reference, margin, volume and methods.
    /// - Throws: What reading those calls again throws.
    public init<Source: CallSource>(_ fold: consuming CallFold, calls: Source,
                                    settings: AnalysisSettings = AnalysisSettings()) throws(Source.Failure) {
        run = fold.run
        let models = fold.models
        let modelIDs = models.map(\.modelId)
        let table = fold.takeTable()
        self.table = table
        repeats = table.repeats
        caseCount = table.keys.count
        var modelPosition: [String: Int] = [:]
        for (position, id) in modelIDs.enumerated() where modelPosition[id] == nil { modelPosition[id] = position }
        let modelTallies = fold.modelTallies
        var taskTallies = fold.taskTallies
        while taskTallies.count < table.taskIDs.count {
            taskTallies.append(Array(repeating: CallTally(), count: models.count))
        }
        totalSpendMicros = models.contains(where: \.isPriced) ? fold.spend : nil
        grading = fold.grading.finish(modelIDs: modelIDs)

        // The bootstrap's work is bounded before any of it is done, from the samples' shapes
        // alone: each paired and per-task sample is built where it is used and let go after, so a
        // big run never holds them all at once.
        let scoreSamples = models.indices.map { table.sample(table.scores[$0], over: nil) }
        let passSamples = models.indices.map { table.sample(table.passes[$0], over: nil) }
        let reference = Self.reference(settings.reference, ids: modelIDs, classes: models.map(\.modelClass),
                                       qualities: scoreSamples.map { Statistics.mean($0.values) })
        referenceID = reference.map { modelIDs[$0] }
        let others = models.indices.filter { $0 != reference }
        let costs = models.indices.map { models[$0].isPriced && modelTallies[$0].answered > 0
            ? Double(modelTallies[$0].costMicros) / Double(modelTallies[$0].answered) : nil }
        let dominance = Self.dominatedPairs(costs: costs, qualities: scoreSamples.map { Statistics.mean($0.values) })
        var demands = (scoreSamples + passSamples).map(settings.bootstrapDemand)
        for cases in table.casesOfTask {
            for model in models.indices {
                demands.append(settings.bootstrapDemand(table.shape(of: table.scores[model], over: cases)))
                demands.append(settings.bootstrapDemand(table.shape(of: table.passes[model], over: cases)))
                if let reference, model != reference {
                    demands.append(settings.bootstrapDemand(pairedCount: table.pairedCount(model, reference, over: cases)))
                }
            }
        }
        let pairs = (reference.map { reference in others.map { ($0, reference) } } ?? []) + dominance.map { ($0.better, $0.worse) }
        demands += pairs.map { settings.bootstrapDemand(pairedCount: table.pairedCount($0.0, $0.1, over: nil)) }
        let settings = settings.bounded(by: demands)
        self.settings = settings

        // Models, like tasks, are summarized in parallel: the end of a big report, after the
        // last call is read, otherwise runs on one core.
        let errorGroups = models.indices.map { fold.errorGroups(of: $0) }
        let summaries = [ModelSummary].concurrent(count: models.count) { position in
            ModelSummary(record: models[position], tally: modelTallies[position], scores: scoreSamples[position],
                         passes: passSamples[position], errorGroups: errorGroups[position], settings: settings)
        }
        self.models = summaries
        // A run that stopped early planned calls it never made: they are not answered, not absent.
        if run.status == .interrupted || run.status == .running {
            var repeatsOfTask: [String: Int] = [:]
            for task in run.context?.tasks ?? [] { repeatsOfTask[task.id] = task.repeats }
            let planned = table.taskIDs.indices.reduce(0) { total, task in
                total + table.casesOfTask[task].count * (repeatsOfTask[table.taskIDs[task]] ?? table.repeats)
            }
            for index in self.models.indices { self.models[index].notStarted = max(0, planned - self.models[index].calls) }
        }

        // Every paired comparison the summary shows, made at once on every core: each model
        // against the reference, then each model against every model that dominates it (the
        // frontier's). Each is seeded, so the order they are made in changes nothing.
        let compared = (reference.map { reference in others.map { (model: $0, against: reference) } } ?? [])
            + dominance.map { (model: $0.better, against: $0.worse) }
        let made = [PairedComparison].concurrent(count: compared.count) { index in
            let pair = compared[index]
            return PairedComparison(modelID: modelIDs[pair.model], referenceID: modelIDs[pair.against],
                                    sample: table.paired(pair.model, pair.against, over: nil), settings: settings)
        }
        var comparisons: [PairedComparison] = []
        var recommendation: Recommendation?
        if let reference {
            comparisons = Array(made.prefix(others.count)).holmAdjusted()
            let options = Self.options(summaries.map { ($0.modelID, $0.exactCostPerCase, $0.quality) },
                                       comparisons: comparisons)
            recommendation = Recommendation.choose(referenceID: modelIDs[reference], reference: options[reference],
                                                   candidates: others.map { options[$0] })
        }
        self.comparisons = comparisons
        self.recommendation = recommendation

        let priced = summaries.compactMap { model -> (modelID: String, cost: Double, quality: Double)? in
            guard let cost = model.exactCostPerCase, let quality = model.quality else { return nil }
            return (model.modelID, cost, quality)
        }
        let excluded = summaries.filter { $0.exactCostPerCase == nil || $0.quality == nil }.map(\.modelID)
        var dominanceComparisons: [String: [String: PairedComparison]] = [:]
        for comparison in made.dropFirst(reference == nil ? 0 : others.count) {
            dominanceComparisons[comparison.modelID, default: [:]][comparison.referenceID] = comparison
        }
        frontier = Frontier(candidates: priced, excluded: excluded) { a, b in
            dominanceComparisons[a]?[b] ?? PairedComparison(
                modelID: a, referenceID: b, sample: table.paired(modelPosition[a]!, modelPosition[b]!, over: nil), settings: settings)
        }

        // Tasks are independent: summarized in parallel, collected in order.
        let taskTallyTable = taskTallies
        tasks = [TaskSummary].concurrent(count: table.taskIDs.count) { task in
            let samples = TaskSamples(table: table, cases: table.casesOfTask[task], models: models.count, reference: reference)
            return Self.taskSummary(taskID: table.taskIDs[task], caseCount: table.casesOfTask[task].count,
                                    samples: samples, models: models, tallies: taskTallyTable[task],
                                    reference: reference, settings: settings)
        }
        if let variants = run.context?.variants, !variants.isEmpty {
            promptVariants = PromptVariants(variants: variants, modelIDs: run.context?.models ?? [], models: summaries) { a, b in
                guard let first = modelPosition[a], let second = modelPosition[b] else { return nil }
                return PairedComparison(modelID: a, referenceID: b, sample: table.paired(first, second, over: nil),
                                        settings: settings)
            }
        }
        let taskVolumes = Self.taskVolumes(of: run.context, taskIDs: table.taskIDs)
        let volume = settings.volume ?? TaskVolume.total(taskVolumes)
        let taskWeights = TaskVolume.weights(taskVolumes)
        routing = Self.routing(tasks: tasks, table: table, modelIDs: modelIDs, referenceID: referenceID,
                               bestSingleID: recommendation?.modelID, settings: settings,
                               weights: taskWeights, volume: volume, timings: fold.cascades)
        (cascades, cascadeNotes) = Self.cascades(table: fold.cascades, cases: table, models: models, context: run.context,
                                                 volume: volume, taskWeights: taskWeights, settings: settings)
        disagreements = try Disagreement.top(Self.disagreementLimit, in: table, modelIDs: modelIDs, calls: calls)
    }

    /// Reads run `runID` from `store` (the columns reports use: `ResultStore.reportCalls(ofRun:)`)
    /// and summarizes it.
    ///
    /// - Throws: `UnknownRunError` when the store holds no such run; `StoreError` when reading fails.
    public static func load(from store: ResultStore, runID: Int64,
                            settings: AnalysisSettings = AnalysisSettings()) throws -> RunSummary {
        try loadWithCalls(from: store, runID: runID, settings: settings).summary
    }

    /// `load(from:runID:settings:)`, with the calls as a source that reads them again (for the
    /// drill-down and the calls file): the calls are folded as they are read, never held all.
    public static func loadWithCalls(from store: ResultStore, runID: Int64, settings: AnalysisSettings = AnalysisSettings())
        throws -> (summary: RunSummary, calls: StoredCalls) {
        let (fold, calls) = try CallFold.read(from: store, runID: runID)
        return (try RunSummary(consume fold, calls: calls, settings: settings), calls)
    }

    // MARK: Parts

    /// Each task's `volume:` as the run's context keeps it, in the order of `taskIDs`; nil for
    /// a task it does not name.
    static func taskVolumes(of context: RunContext?, taskIDs: [String]) -> [String?] {
        var volumes: [String: String] = [:]
        for task in context?.tasks ?? [] { volumes[task.id] = task.volume }
        return taskIDs.map { volumes[$0] }
    }

    /// `models` in the order of `order` (models it does not name after, as they were).
    static func ordered(_ models: [RunModelRecord], as order: [String]) -> [RunModelRecord] {
        guard !order.isEmpty else { return models }
        var rank: [String: Int] = [:]
        for (index, id) in order.enumerated() where rank[id] == nil { rank[id] = index }
        return models.enumerated().sorted { a, b in
            (rank[a.element.modelId] ?? Int.max, a.offset) < (rank[b.element.modelId] ?? Int.max, b.offset)
        }.map(\.element)
    }

    /// `cases` by task (in the order of `tasks`, then of first appearance), then by their place in
    /// the suite: an order that does not depend on how the rows were written (merged shards
    /// hold each shard's cases in turn), so the seeded bootstrap draws the same cases.
    static func ordered(_ cases: [CaseRecord], tasks: [String]) -> [CaseRecord] {
        var rank: [String: Int] = [:]
        for id in tasks where rank[id] == nil { rank[id] = rank.count }
        for row in cases where rank[row.taskId] == nil { rank[row.taskId] = rank.count }
        func key(_ row: CaseRecord) -> (Int, Int) { (rank[row.taskId]!, row.position) }
        if zip(cases, cases.dropFirst()).allSatisfy({ key($0) <= key($1) }) { return cases }
        return cases.enumerated().sorted { a, b in
            (key(a.element).0, key(a.element).1, a.offset) < (key(b.element).0, key(b.element).1, b.offset)
        }.map(\.element)
    }

    /// The reference's index: the one asked for, else the frontier model of best quality, else
    /// the best model of any class (ties: run order); nil when nothing was answered.
    static func reference(_ asked: String?, ids: [String], classes: [ModelClass], qualities: [Double?]) -> Int? {
        if let asked, let index = ids.firstIndex(of: asked) { return index }
        func best(_ candidates: [Int]) -> Int? {
            candidates.filter { qualities[$0] != nil }.max { a, b in
                qualities[a]! != qualities[b]! ? qualities[a]! < qualities[b]! : a > b
            }
        }
        return best(ids.indices.filter { classes[$0] == .frontier }) ?? best(Array(ids.indices))
    }

    /// The pairs (better, worse) the frontier will test: b at most as cheap and at least as good
    /// as w, one of them strictly.
    private static func dominatedPairs(costs: [Double?], qualities: [Double?]) -> [(better: Int, worse: Int)] {
        var pairs: [(better: Int, worse: Int)] = []
        for worse in costs.indices {
            guard let costW = costs[worse], let qualityW = qualities[worse] else { continue }
            for better in costs.indices where better != worse {
                guard let costB = costs[better], let qualityB = qualities[better] else { continue }
                if costB <= costW && qualityB >= qualityW && (costB < costW || qualityB > qualityW) {
                    pairs.append((better, worse))
                }
            }
        }
        return pairs
    }

    /// Recommendation options, one per model in order; the reference has no comparison.
    private static func options(_ models: [(id: String, cost: Double?, quality: Double?)],
                                comparisons: [PairedComparison]) -> [Recommendation.Option] {
        var byModel: [String: PairedComparison] = [:]
        for comparison in comparisons { byModel[comparison.modelID] = comparison }
        return models.map { Recommendation.Option(modelID: $0.id, costPerCase: $0.cost, quality: $0.quality,
                                                  comparison: byModel[$0.id]) }
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

    /// Calls planned and never started, over all models.
    public var notStartedCount: Int { models.reduce(0) { $0 + $1.notStarted } }

    /// Whether the run stopped before every call was made, or has not finished: its numbers
    /// rest on part of the suite.
    public var isPartial: Bool { run.status == .interrupted || run.status == .running || notStartedCount > 0 }

    /// Calls that produced no answer, over all models.
    public var errorCount: Int { models.reduce(0) { $0 + $1.errors } }

    /// The models served by Tradeoff's fake provider, whose results say nothing about real models.
    public var simulatedModels: [ModelSummary] { models.filter(\.simulated) }

    /// The models without prices, whose cost is unknown (never zero).
    public var unpricedModels: [ModelSummary] { models.filter { !$0.priced } }

    /// Seconds from start to finish; nil while the run is not finished.
    public var duration: TimeInterval? { run.finishedAt.map { $0.timeIntervalSince(run.startedAt) } }

    /// The monthly volume the routing is costed at: `--volume` (or the run's), else the sum of
    /// the tasks' stated monthly volumes; nil when neither is stated.
    public var routingVolume: Volume? {
        settings.volume ?? TaskVolume.total(Self.taskVolumes(of: run.context, taskIDs: table.taskIDs))
    }

    /// Model `id`'s monthly cost at the settings' volume, micro-dollars.
    public func monthlyCostMicros(of id: String) -> Int64? {
        guard let volume = settings.volume, let model = model(id), let total = model.totalCostMicros else { return nil }
        return volume.monthlyCostMicros(totalMicros: total, cases: model.answered)
    }

    /// `calls` in a stable order: by model (run order), then case (suite order), then repeat.
    ///
    /// The database holds calls in the order they finished, which varies with concurrency; this
    /// order does not, so two exports of the same results compare equal.
    public func ordered(_ calls: [ReportCall]) -> [ReportCall] {
        order(of: calls).map { calls[$0] }
    }

    /// The positions of `calls` in the order of `ordered(_:)`, without copying the calls.
    public func order(of calls: [ReportCall]) -> [Int] {
        if let order = orderOfOwnCalls(calls) { return order }
        var modelOrder: [String: Int] = [:]
        for (index, model) in models.enumerated() where modelOrder[model.modelID] == nil { modelOrder[model.modelID] = index }
        let caseOrder = table.positions()
        let unknown = Int.max
        // Each call's sort key is looked up once, not at every comparison.
        let keys = calls.map { call in
            (modelOrder[call.modelId] ?? unknown, caseOrder[CaseKey(taskID: call.taskId, caseID: call.caseId)] ?? unknown,
             call.repeatIndex)
        }
        return calls.indices.sorted { a, b in
            let (keyA, keyB) = (keys[a], keys[b])
            return (keyA.0, keyA.1, keyA.2, a) < (keyB.0, keyB.1, keyB.2, b)
        }
    }
}

extension RunSummary {
    /// When `calls` are the calls this summary was built from (same count, same first and last
    /// call), their stable order (`callOrder`); nil otherwise.
    func orderOfOwnCalls(_ calls: [ReportCall]) -> [Int]? {
        let (models, cases) = (table.modelOfCall, table.caseOfCall)
        guard calls.count == models.count, let first = calls.first, let last = calls.last,
              models.allSatisfy({ $0 >= 0 }),
              table.keys[Int(cases[0])] == CaseKey(taskID: first.taskId, caseID: first.caseId),
              table.keys[Int(cases[cases.count - 1])] == CaseKey(taskID: last.taskId, caseID: last.caseId),
              self.models[Int(models[0])].modelID == first.modelId,
              self.models[Int(models[models.count - 1])].modelID == last.modelId else { return nil }
        return callOrder
    }

    /// The positions of the calls this summary was built from (in the order they were folded),
    /// in the stable order of `ordered(_:)`: by model, case and repeat (`CaseTable.callOrder`).
    public var callOrder: [Int] { table.callOrder(modelCount: models.count) }
}

extension RunSummary {
    /// Summarizes a run from whole call rows (`ResultStore.calls(ofRun:)`).
    public init(run: RunRecord, models: [RunModelRecord], cases: [CaseRecord], calls: [CallRecord],
                settings: AnalysisSettings = AnalysisSettings()) {
        self.init(run: run, models: models, cases: cases, calls: calls.map(ReportCall.init), settings: settings)
    }

    /// `calls` in a stable order: by model (run order), then case (suite order), then repeat.
    public func ordered(_ calls: [CallRecord]) -> [CallRecord] {
        order(of: calls.map(ReportCall.init)).map { calls[$0] }
    }
}
