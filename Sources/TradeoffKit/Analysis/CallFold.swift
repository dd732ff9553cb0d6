/// A run's calls taken in one at a time, in the order they were recorded, and kept only as what
/// its summary needs: per model and case, the scores; per model and per task, the tallies; the
/// errors by class; the grades. A report of a big run reads its calls once and never holds them
/// all (`RunSummary.load(from:runID:settings:)`).
public struct CallFold: Sendable {
    /// The run.
    public let run: RunRecord
    /// Its models, in the run's own order.
    let models: [RunModelRecord]
    private(set) var table: CaseTable.Builder
    private(set) var modelTallies: [CallTally]
    /// Per task (in order of first appearance), per model.
    private(set) var taskTallies: [[CallTally]] = []
    /// Per model, per class of error: how many, and the first in suite order.
    private(set) var errors: [[CallError.Kind: ErrorTally]]
    /// The priced models' cost over every call, micro-dollars.
    private(set) var spend: Int64 = 0
    private(set) var grading = GradingSummary.Builder()
    /// Per model and case, what the cascades need: cost, latency and the online checks.
    private(set) var cascades: CascadeTable
    /// How many calls were taken in.
    public private(set) var count = 0

    /// Run `runID` of `store`, its calls folded as they are read, and the same calls as a
    /// source that reads any of them again.
    ///
    /// - Throws: `UnknownRunError` when the store holds no such run; `StoreError` when reading fails.
    /// - Parameter each: Also given each call as it is read, with its model's index in the run
    ///   (-1 for a model not in it): what else is made from every call in the same pass (the
    ///   calls file's rows, `CallsSpill`).
    public static func read(from store: ResultStore, runID: Int64,
                            each: (ReportCall, Int) throws -> Void = { _, _ in }) throws -> (fold: CallFold, calls: StoredCalls) {
        guard let run = try store.run(runID) else { throw UnknownRunError(path: store.path, runID: runID) }
        // SQLite reads the calls on a thread of its own while the fold takes them in on this one;
        // the cases are read meanwhile (up to 48 batches, 196,608 calls, wait for them: about
        // what SQLite reads while a run of 200,000 cases is read and indexed).
        var fold: CallFold?
        let calls = try store.readReportCallsAhead(ofRun: runID, startDepth: 48, meanwhile: {
            fold = CallFold(run: run, models: try store.models(ofRun: runID), cases: try store.reportCases(ofRun: runID))
        }) { call in try each(call, fold!.add(call)) }
        return (fold!, calls)
    }

    /// The finished table of scores per model and case, taken out of the fold (left empty).
    mutating func takeTable() -> CaseTable { table.finish() }

    /// The positions of the calls taken in (in the order they came) in the stable order of the
    /// calls file: by model, case and repeat (`RunSummary.callOrder`).
    public var callOrder: [Int] { table.callOrder }

    /// A fold of run `run`'s calls, with its `run_models` rows and its cases (any order: the run's
    /// own is restored, as merged shards hold them in another).
    public init(run: RunRecord, models: [RunModelRecord], cases: [CaseRecord]) {
        self.run = run
        let models = Self.arms(RunSummary.ordered(models, as: run.context?.models ?? []), variants: run.context?.variants ?? [])
        let cases = RunSummary.ordered(cases, tasks: run.context?.tasks.map(\.id) ?? [])
        self.models = models
        table = CaseTable.Builder(modelIDs: models.map(\.modelId), cases: cases)
        modelTallies = models.map { model in
            var tally = CallTally()
            tally.tierThresholds = model.pricing?.tokens?.tiers.map(\.aboveInputTokens) ?? []
            tally.price = model.pricing?.tokens
            return tally
        }
        errors = Array(repeating: [:], count: models.count)
        cascades = CascadeTable(models: models.count, cases: cases.count, checks: Self.checks(of: run.context))
    }

    /// The escalation checks a run's cascades use: every online grader (for the automatic
    /// pairs), then each other set the suite's cascades name.
    static func checks(of context: RunContext?) -> [[String]?] {
        var checks: [[String]?] = [nil]
        for cascade in context?.cascades ?? [] where !checks.contains(cascade.escalateWhen) {
            checks.append(cascade.escalateWhen)
        }
        return checks
    }

    /// `models` as the arms a run with prompt variants compares: each model once per variant,
    /// labelled `gpt-4o · terse` (`PromptArm`), with the model's class, prices and settings;
    /// `models` themselves without variants.
    static func arms(_ models: [RunModelRecord], variants: [String]) -> [RunModelRecord] {
        guard !variants.isEmpty else { return models }
        return models.flatMap { model in
            variants.map { variant in
                var arm = model
                arm.modelId = PromptArm.label(modelID: model.modelId, variant: variant)
                return arm
            }
        }
    }

    /// Takes in the next call; calls of a model not in the run count nowhere.
    ///
    /// - Returns: The index of the call's model in the run, or -1.
    @discardableResult
    public mutating func add(_ call: ReportCall) -> Int {
        count += 1
        let (model, testCase) = table.add(call)
        grading.add(call, testCase: testCase)
        guard model >= 0 else { return model }
        if models[model].isPriced { spend = Money.sum(spend, call.costMicros ?? 0) }
        cascades.add(call, model: model, testCase: testCase)
        modelTallies[model].add(call, timings: true)
        let task = table.task(of: testCase)
        while taskTallies.count <= task {
            taskTallies.append(Array(repeating: CallTally(), count: models.count))
        }
        taskTallies[task][model].add(call, timings: false)
        if let kind = call.errorClass {
            errors[model][kind, default: ErrorTally()].add(at: (testCase, call.repeatIndex), message: call.errorMessage)
        }
        return model
    }

    /// Model `model`'s errors, grouped by class: the most frequent first, ties by name.
    func errorGroups(of model: Int) -> [ErrorGroup] {
        errors[model].map { kind, tally in
            ErrorGroup(errorClass: kind, count: tally.count, exampleMessage: tally.message ?? "")
        }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.errorClass.rawValue < $1.errorClass.rawValue }
    }

    /// The calls of one class of error: how many, and the message of the first in suite order
    /// (case, then repeat; the first recorded among equals), not the first recorded.
    struct ErrorTally: Sendable {
        var count = 0
        var first: (testCase: Int, repeatIndex: Int)?
        var message: String?

        mutating func add(at place: (testCase: Int, repeatIndex: Int), message: String?) {
            count += 1
            if let first, (first.testCase, first.repeatIndex) <= (place.testCase, place.repeatIndex) { return }
            first = place
            self.message = message
        }
    }
}
