import Dispatch
import Foundation
import Synchronization

/// Grades the answers of a stored run again with a suite's current graders, into a new run —
/// so a fixed grader does not cost a re-run of the models.
///
/// The new run copies the old one's models (with their price snapshots) and every call whose
/// case is still in the suite: answer, tokens, cost and timings as they were, the grade new.
/// Cases take the suite's current variables (a corrected label counts). Failed calls are
/// copied as they were. No candidate model is called; a judge's verdict is reused when the
/// same judge was asked the same prompt about the same answer (same SHA-256), and asked again
/// otherwise — its cost is then the new run's cost of evaluating.
public struct Regrader: Sendable {
    /// What a re-grading did.
    public struct Outcome: Sendable, Hashable {
        /// The new run.
        public var runID: Int64
        /// The run graded again.
        public var sourceRunID: Int64
        /// Answers graded again.
        public var graded: Int
        /// Failed calls copied as they were.
        public var failedCopied: Int
        /// Calls left out because their case is no longer in the suite.
        public var leftOut: Int
        /// Answers whose score or pass changed.
        public var changed: Int
        /// Judge calls made.
        public var judgeCalls: Int
        /// Judge verdicts reused from the old run.
        public var judgeVerdictsReused: Int
        /// What the judge calls made cost, micro-dollars.
        public var judgeCostMicros: Int64
        /// Graders that could not grade an answer.
        public var graderErrors: Int
    }

    private let store: ResultStore
    private let suite: Suite
    private let judges: JudgePool?
    private let maxInFlight: Int

    /// Prepares to re-grade runs of `store` with `suite`'s graders.
    ///
    /// - Parameters:
    ///   - client: The HTTP client for judge calls (needed only when the suite has judges).
    ///   - environment: Where judges' API keys are read.
    ///   - retryPolicy: When failed judge calls are tried again.
    ///   - caBundle: A PEM file of CA certificates to trust instead of the system's.
    ///   - maxInFlight: Answers being graded at once (judges and commands run concurrently).
    public init(store: ResultStore, suite: Suite, client: HTTPClient?,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                retryPolicy: RetryPolicy = .standard, caBundle: String? = nil, maxInFlight: Int = 32) {
        self.store = store
        self.suite = suite
        let judgeModels = suite.judgeModels
        judges = judgeModels.isEmpty ? nil : client.map { client in
            let lanes = JudgePool.lanes(for: judgeModels, after: 0)
            let send = SendNow(client: client, retryPolicy: retryPolicy, caBundle: caBundle)
            let executor = CallExecutor(lanes: lanes.map { CallLimits.LaneSpec($0.model, judge: true) },
                                        strategies: lanes.map { _ in send })
            return JudgePool(executor: executor, judges: lanes, environment: environment)
        }
        self.maxInFlight = max(1, maxInFlight)
    }

    /// Re-grades run `runID` into a new run.
    ///
    /// - Throws: `UnknownRunError` when there is no such run; `StoreError` when reading or
    ///   writing fails (the new run is then left `running`); a grader that cannot be built.
    public func regrade(runID: Int64, toolVersion: String = ToolVersion.current) throws -> Outcome {
        guard let source = try store.run(runID) else { throw UnknownRunError(path: store.path, runID: runID) }
        let models = try store.models(ofRun: runID)
        let sourceCases = try store.cases(ofRun: runID)
        let calls = try store.calls(ofRun: runID)
        var earlierJudgeCalls: [Int64: [JudgeCallRecord]] = [:]
        for judgeCall in try store.judgeCalls(ofRun: runID) {
            guard let callID = judgeCall.callId, judgeCall.score != nil else { continue }
            earlierJudgeCalls[callID, default: []].append(judgeCall)
        }

        // Where each case of the current suite is.
        var positions: [CaseKey: (task: Int, testCase: Int)] = [:]
        for (taskIndex, task) in suite.tasks.enumerated() {
            for (caseIndex, testCase) in task.cases.enumerated() {
                positions[CaseKey(taskID: task.id, caseID: testCase.id)] = (taskIndex, caseIndex)
            }
        }
        var graders: [CaseKey: CaseGrader] = [:]
        for key in Set(sourceCases.map { CaseKey(taskID: $0.taskId, caseID: $0.caseId) }) {
            guard let position = positions[key] else { continue }
            let task = suite.tasks[position.task]
            graders[key] = try CaseGrader(task: task, testCase: task.cases[position.testCase])
        }

        var run = RunRecord(suite: suite.name, suitePath: source.suitePath, suiteHash: suite.contentHash,
                            catalogPath: source.catalogPath, toolVersion: toolVersion, startedAt: Date(), status: .running)
        run.gradedFrom = runID
        // The report's settings stay the run's; only the graders' side (thresholds) is today's.
        run.context = source.context.map { context in
            var context = context
            context.tasks = suite.contextTasks(models: context.models)
            return context
        }
        let newRunID = try store.beginRegrade(run, models: models, cases: sourceCases.compactMap { record in
            guard let position = positions[CaseKey(taskID: record.taskId, caseID: record.caseId)] else { return nil }
            let testCase = suite.tasks[position.task].cases[position.testCase]
            return CaseRecord(runId: 0, taskId: record.taskId, caseId: record.caseId, position: position.testCase,
                              variables: testCase.variables)
        })

        let results = Mutex([GradedCall?](repeating: nil, count: calls.count))
        let slots = DispatchSemaphore(value: maxInFlight)
        let group = DispatchGroup()
        var leftOut = 0
        for (index, call) in calls.enumerated() {
            let key = CaseKey(taskID: call.taskId, caseID: call.caseId)
            guard let grader = graders[key], let position = positions[key] else {
                leftOut += 1
                continue
            }
            var copy = call
            copy.id = nil
            copy.runId = newRunID
            guard let answer = call.output else {
                results.withLock { $0[index] = GradedCall(copy) }
                continue
            }
            let task = suite.tasks[position.task]
            let testCase = task.cases[position.testCase]
            let turns = task.conversation(for: testCase, modelID: call.modelId, variant: call.promptVariant)
            let context = GradingContext(taskID: task.id, caseID: testCase.id, modelID: call.modelId,
                                         system: turns.first { $0.role == .system }?.content,
                                         prompt: turns.last { $0.role == .user }?.content ?? "",
                                         logprobs: Logprobs.stored(mean: call.meanLogprob, tokens: call.logprobTokens),
                                         finishReason: call.finish, finishReasonRaw: call.finishReasonRaw)
            let reusable = call.id.flatMap { earlierJudgeCalls[$0] } ?? []
            slots.wait()
            group.enter()
            let ungraded = copy
            let toolCalls = call.answeredToolCalls
            let grade: @Sendable () -> Void = { [judges] in
                grader.grade(answer, toolCalls: toolCalls, variables: testCase.variables, context: context,
                             runID: newRunID, pool: judges,
                             reusable: reusable) { graded in
                    var regraded = ungraded
                    regraded.apply(graded)
                    results.withLock { $0[index] = GradedCall(regraded, judgeCalls: graded.judgeCalls) }
                    slots.signal()
                    group.leave()
                }
            }
            if grader.usesCommands { Thread.detachNewThread(grade) } else { grade() }
        }
        group.wait()

        let graded = results.withLock { $0 }
        try store.record(graded.compactMap { $0 })
        try store.finishRun(newRunID, status: source.status)

        var outcome = Outcome(runID: newRunID, sourceRunID: runID, graded: 0, failedCopied: 0, leftOut: leftOut, changed: 0,
                              judgeCalls: 0, judgeVerdictsReused: 0, judgeCostMicros: 0, graderErrors: 0)
        for (old, new) in zip(calls, graded) {
            guard let new else { continue }
            guard new.call.output != nil else {
                outcome.failedCopied += 1
                continue
            }
            outcome.graded += 1
            if new.call.score != old.score || new.call.passed != old.passed { outcome.changed += 1 }
            outcome.judgeCalls += new.judgeCalls.filter { !$0.isReused }.count
            outcome.judgeVerdictsReused += new.judgeCalls.filter(\.isReused).count
            outcome.judgeCostMicros += new.call.judgeCostMicros ?? 0
            outcome.graderErrors += new.call.graderErrors
        }
        return outcome
    }
}
