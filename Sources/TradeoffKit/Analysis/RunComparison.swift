/// Two runs of a suite compared case by case: last night's against tonight's, or main's
/// against a branch's.
///
/// Each model in both runs is compared with itself on the cases both runs hold (matched by task
/// and case id): Δ quality with its paired interval, the cases that flipped pass→fail and back,
/// Δ cost and Δ p95 latency. A regression counts only when it is statistically real: more
/// pass→fail than fail→pass flips with a Holm-adjusted exact McNemar p below 0.05, so a noisy
/// night does not page anyone.
public struct RunComparison: Sendable {
    /// The earlier run.
    public var baseline: RunSummary
    /// The later run.
    public var current: RunSummary
    /// Cases present in both runs.
    public var sharedCases: Int
    /// One entry per model in both runs, in the current run's order; Holm across them.
    public var models: [ModelChange]
    /// One entry per model and task in both runs; Holm across all of them.
    public var tasks: [TaskChange]
    /// Models only the baseline ran.
    public var onlyInBaseline: [String]
    /// Models only the current run ran.
    public var onlyInCurrent: [String]

    /// A case in both runs.
    public struct CaseRef: Sendable, Hashable, Codable {
        /// The task.
        public var taskID: String
        /// The case.
        public var caseID: String
    }

    /// One model, baseline against current.
    public struct ModelChange: Sendable, Hashable {
        /// The model.
        public var modelID: String
        /// Current (a) against baseline (b) on the shared cases; wins are fail→pass flips,
        /// losses pass→fail.
        public var comparison: PairedComparison
        /// Cost per case in the baseline, micro-dollars.
        public var baselineCostPerCaseMicros: Int64?
        /// Cost per case now.
        public var currentCostPerCaseMicros: Int64?
        /// p95 latency in the baseline, milliseconds.
        public var baselineP95LatencyMs: Double?
        /// p95 latency now.
        public var currentP95LatencyMs: Double?
        /// Cases that passed in the baseline and fail now.
        public var passToFail: [CaseRef]
        /// Cases that failed in the baseline and pass now.
        public var failToPass: [CaseRef]

        /// Whether the model got worse beyond noise (see `RunComparison`).
        public var isRegression: Bool { comparison.isRegression }
    }

    /// One model on one task, baseline against current.
    public struct TaskChange: Sendable, Hashable {
        /// The model.
        public var modelID: String
        /// The task.
        public var taskID: String
        /// Current against baseline on the task's shared cases, Holm across all model × task pairs.
        public var comparison: PairedComparison

        /// Whether the model got worse on the task beyond noise.
        public var isRegression: Bool { comparison.isRegression }
    }

    /// Compares `current` with `baseline`, using `current`'s settings for the methods.
    public init(baseline: RunSummary, current: RunSummary) {
        self.baseline = baseline
        self.current = current
        let baselineModels = baseline.models.map(\.modelID)
        let currentModels = current.models.map(\.modelID)
        onlyInBaseline = baselineModels.filter { !currentModels.contains($0) }
        onlyInCurrent = currentModels.filter { !baselineModels.contains($0) }

        // The shared cases, in the current run's order, as (current index, baseline index).
        let baselinePositions = baseline.table.positions()
        let shared: [(now: Int, before: Int)] = current.table.keys.enumerated().compactMap { position, key in
            baselinePositions[key].map { (position, $0) }
        }
        sharedCases = shared.count

        // Every sample first, so the bootstrap's work can be bounded before any of it is done.
        var modelSamples: [(now: Int, before: Int, sample: PairedSample, keys: [CaseKey])] = []
        var taskSamples: [(model: String, task: String, sample: PairedSample)] = []
        var sharedByTask = [[(now: Int, before: Int)]](repeating: [], count: current.table.taskIDs.count)
        for pair in shared { sharedByTask[current.table.taskOfCase[pair.now]].append(pair) }
        for (now, modelID) in currentModels.enumerated() {
            guard let before = baselineModels.firstIndex(of: modelID) else { continue }
            let (sample, keys) = Self.paired(current.table, now, baseline.table, before, over: shared)
            modelSamples.append((now, before, sample, keys))
            for (task, taskID) in current.table.taskIDs.enumerated() {
                let inTask = sharedByTask[task]
                guard !inTask.isEmpty else { continue }
                taskSamples.append((modelID, taskID, Self.paired(current.table, now, baseline.table, before, over: inTask).0))
            }
        }
        let settings = current.settings.bounded(by: (modelSamples.map(\.sample) + taskSamples.map(\.sample))
            .map(current.settings.bootstrapDemand))

        var models: [ModelChange] = []
        for (now, before, sample, keys) in modelSamples {
            let modelID = currentModels[now]
            let comparison = PairedComparison(modelID: modelID, referenceID: modelID, sample: sample, settings: settings)
            var passToFail: [CaseRef] = []
            var failToPass: [CaseRef] = []
            for (index, key) in keys.enumerated() where sample.passedA[index] != sample.passedB[index] {
                let ref = CaseRef(taskID: key.taskID, caseID: key.caseID)
                if sample.passedA[index] { failToPass.append(ref) } else { passToFail.append(ref) }
            }
            let old = baseline.models[before]
            let new = current.models[now]
            models.append(ModelChange(modelID: modelID, comparison: comparison,
                                      baselineCostPerCaseMicros: old.costPerCaseMicros,
                                      currentCostPerCaseMicros: new.costPerCaseMicros,
                                      baselineP95LatencyMs: old.latency?.p95, currentP95LatencyMs: new.latency?.p95,
                                      passToFail: passToFail, failToPass: failToPass))
        }
        var tasks = taskSamples.map { model, task, sample in
            TaskChange(modelID: model, taskID: task,
                       comparison: PairedComparison(modelID: model, referenceID: model, sample: sample, settings: settings))
        }
        let adjustedModels = models.map(\.comparison).holmAdjusted()
        for index in models.indices { models[index].comparison = adjustedModels[index] }
        let adjustedTasks = tasks.map(\.comparison).holmAdjusted()
        for index in tasks.indices { tasks[index].comparison = adjustedTasks[index] }
        self.models = models
        self.tasks = tasks
    }

    /// Models that regressed beyond noise.
    public var regressions: [ModelChange] { models.filter(\.isRegression) }

    /// Whether the suite file or its datasets changed between the runs.
    public var suiteChanged: Bool { baseline.run.suiteHash != current.run.suiteHash }

    /// Model `a` of table `now` against model `b` of table `before` on `cases` both answered.
    private static func paired(_ now: CaseTable, _ a: Int, _ before: CaseTable, _ b: Int,
                               over cases: [(now: Int, before: Int)]) -> (PairedSample, [CaseKey]) {
        var sample = PairedSample()
        var keys: [CaseKey] = []
        for (caseNow, caseBefore) in cases {
            let (scoreA, scoreB) = (now.scores[a][caseNow], before.scores[b][caseBefore])
            guard !scoreA.isNaN, !scoreB.isNaN else { continue }
            sample.a.append(scoreA)
            sample.b.append(scoreB)
            sample.passedA.append(now.passes[a][caseNow] > 0.5)
            sample.passedB.append(before.passes[b][caseBefore] > 0.5)
            sample.clusters.append(now.taskOfCase[caseNow])
            keys.append(now.keys[caseNow])
        }
        return (sample, keys)
    }
}

extension PairedComparison {
    /// Whether the candidate is worse beyond noise: more losses than wins, with the
    /// Holm-adjusted exact McNemar p below 0.05.
    public var isRegression: Bool { losses > wins && adjustedPValue < AnalysisSettings.alpha }
}
