import Dispatch
import Foundation
import Synchronization

/// Runs a plan: fans every case across every model, at most `max_concurrency` calls per model
/// in flight, grading each answer and recording it as it completes.
///
/// A shell over two pieces: `RunStateMachine` decides (which call each model starts, what the
/// budget holds back, when the run stops and ends) and `CallExecutor` sends (attempts, retries,
/// the limits). Built on Dispatch: HTTP transfers run on the client's curl loop, grading and
/// bookkeeping on a concurrent queue, writes on the store's writer queue. `run()` blocks until
/// every call has ended or the run was cancelled and the calls in flight have finished.
///
/// An answer with judge graders is judged before it is recorded: the judge calls go through the
/// same executor, each in a slot of its judge model's own lane (`JudgePool`), while the answer
/// keeps its candidate slot — so a slow judge slows the candidates down instead of piling up
/// answers, and the answer's row is written once, with its final grade and its judge calls.
public final class Runner: Sendable {
    /// How a run ended, counting the whole run: a resumed run's earlier sessions too.
    public struct Outcome: Sendable, Hashable {
        public var runID: Int64
        public var status: RunStatus
        /// Calls recorded (answered + failed).
        public var calls: Int
        public var answered: Int
        public var failed: Int
        /// Calls not made because the run was cancelled.
        public var skipped: Int
        /// What the run spent on its calls (replayed answers cost nothing), hourly-priced models
        /// included.
        public var costMicros: Int64
        /// What the judges cost (the cost of evaluating, apart from `costMicros`).
        public var judgeCostMicros: Int64 = 0
        /// Graders that could not grade an answer, over all calls.
        public var graderErrors: Int = 0
        /// Models stopped early, by id, with why (a key that does not work, no credits, ...).
        public var stoppedModels: [String: String] = [:]
        /// Set when the budget stopped the run: no call was started that could exceed it.
        public var stoppedByBudget = false
        /// Every reason the run stopped before every call was made, as stored with it.
        public var stopReasons: [StopReason] = []
        /// Answers replayed from the response cache (among `answered`; nothing spent on them).
        public var replayed = 0
        /// Calls answered (or failed) through a provider's batch API, and how many of them were
        /// sent in more than one batch (their requests expired or errored first).
        public var batched = 0
        public var batchRetried = 0
        /// Calls made as ordinary calls after their request expired or failed in a batch (`--batch-fallback`).
        public var batchFallback = 0
        /// Calls left in provider batches the run did not wait for (`--no-wait`): a resume collects them.
        public var pendingInBatches = 0
    }

    /// After this many calls of a model in a row fail with an error that retrying cannot fix
    /// (auth, out of credits, model not found), the model's remaining calls are not made.
    public static let hardFailuresBeforeStopping = RunStateMachine.hardFailuresBeforeStopping

    let plan: RunPlan
    let store: ResultStore
    /// The candidate models, by lane.
    private let lanes: [Lane]
    /// Each task's graders, made once; a case's own are added when it is graded.
    let taskGraders: [[Grader]]
    /// Per task, whether its graders all grade quickly (`GraderType.gradesQuickly`).
    private let quickTasks: [Bool]
    /// Per task, its id and its cases: what a call needs of its task, apart from the task, whose
    /// copy (out of the suite's array, for each call) retained its fourteen fields.
    private let taskIDs: [String]
    private let taskCases: [CaseList]
    let judges: JudgePool?
    private let executor: CallExecutor
    /// The lanes whose calls go through their provider's batch API.
    private let batchLanes: [SubmitAsBatch]
    private let progress: Progress?
    private let budgetMicros: Int64?
    let cache: CacheMode
    /// Each model's cache keys.
    let requestKeys: [RequestKey]
    /// For a resumed run: the run continued.
    private let resumedRunID: Int64?
    /// For a resumed run: what its earlier sessions recorded, per model.
    private let resumedTally: [String: RunTally]
    private let state: Mutex<RunStateMachine>
    let work = DispatchQueue(label: "tradeoff.runner", attributes: .concurrent)
    private let allDone = DispatchSemaphore(value: 0)

    /// Prepares a run of `plan`.
    ///
    /// - Parameters:
    ///   - environment: where API keys are read (by each model's `api_key_env`); check
    ///     `SuiteLoader.missingCredentials` first.
    ///   - retryPolicy: when failed calls are tried again.
    ///   - caBundle: a PEM file of CA certificates to trust instead of the system's.
    ///   - budgetMicros: spend limit in micro-dollars: a call is started only while the spend so
    ///     far plus the worst case of the calls in flight and of this one stays within it. The
    ///     worst case of a call is its estimated input plus `max_tokens` of output at its model's
    ///     prices; unpriced and hourly-priced models cannot be held to it. A resumed run's
    ///     earlier spend counts against it.
    ///   - cache: whether answers recorded for the same requests are replayed, and new ones
    ///     recorded for later.
    ///   - batch: how the models with `batch` set send their calls through their provider's batch
    ///     API (a resumed run's models that did so before do so again).
    /// - Throws: when a grader cannot be built (an invalid regex; loading reports these first),
    ///   or the cache or the run's batches cannot be read.
    public convenience init(plan: RunPlan, store: ResultStore, client: HTTPClient,
                            environment: [String: String] = ProcessInfo.processInfo.environment,
                            retryPolicy: RetryPolicy = .standard, caBundle: String? = nil, budgetMicros: Int64? = nil,
                            cache: CacheMode = .off, resuming: Resumption? = nil,
                            progress: Progress? = nil, batch: BatchSettings = BatchSettings()) throws {
        let send = SendNow(client: client, retryPolicy: retryPolicy, caBundle: caBundle)
        var plan = plan
        let batchedBefore = try resuming.map { Set(try store.batches(ofRun: $0.runID).map(\.modelId)) } ?? []
        for index in plan.models.indices where batchedBefore.contains(plan.models[index].id) {
            plan.models[index].batch = true
        }
        try self.init(plan: plan, store: store, environment: environment, budgetMicros: budgetMicros, cache: cache,
                      resuming: resuming, progress: progress, strategy: { model in
            guard model.batch, BatchSettings.supports(model.provider) else { return send }
            return SubmitAsBatch(model: model, apiKey: model.apiKeyEnv.flatMap { environment[$0] }, client: client,
                                 store: store, settings: batch, caBundle: caBundle, ordinary: send)
        })
    }

    /// Prepares a run of `plan` whose calls `strategy` executes, by model (`SendNow` for every
    /// model is the public initializer's).
    init(plan: RunPlan, store: ResultStore, environment: [String: String], budgetMicros: Int64?, cache: CacheMode,
         resuming: Resumption?, progress: Progress?, strategy: (ModelEntry) -> any ExecutionStrategy) throws {
        self.cache = cache
        requestKeys = plan.models.map(RequestKey.init(model:))
        let cacheHits = cache.reads ? try Self.cacheHits(of: plan, keys: requestKeys, in: store) : [:]
        self.plan = plan
        resumedRunID = resuming?.runID
        resumedTally = resuming?.tally ?? [:]
        self.budgetMicros = budgetMicros
        self.store = store
        self.progress = progress
        lanes = plan.models.map { model in Lane(model, apiKey: model.apiKeyEnv.flatMap { environment[$0] }) }
        taskGraders = try plan.suite.tasks.map { try $0.graders.map(Grader.init) }
        quickTasks = plan.suite.tasks.map { task in task.graders.allSatisfy(\.kind.type.gradesQuickly) }
        taskIDs = plan.suite.tasks.map(\.id)
        taskCases = plan.suite.tasks.map(\.cases)
        let judgeLanes = JudgePool.lanes(for: plan.suite.judgeModels, after: plan.models.count)
        // A judge answers while its candidate waits: never in a batch.
        let judgeModels = judgeLanes.map { lane in
            var model = lane.model
            model.batch = false
            return model
        }
        let strategies = (plan.models + judgeModels).map(strategy)
        batchLanes = strategies.compactMap { $0 as? SubmitAsBatch }
        let lanes: [CallLimits.LaneSpec] = zip(plan.models, strategies).map { model, strategy in
            strategy is SubmitAsBatch ? CallLimits.LaneSpec(batchOf: model) : CallLimits.LaneSpec(model)
        } + judgeLanes.map { CallLimits.LaneSpec($0.model, judge: true) }
        executor = CallExecutor(lanes: lanes, strategies: strategies,
                                note: { [progress] message in progress?.note(message) })
        judges = judgeLanes.isEmpty ? nil : JudgePool(executor: executor, judges: judgeLanes, environment: environment)
        let spentBefore = resumedTally.total.spentMicros
        state = Mutex(RunStateMachine(prices: plan.models.map(\.price), itemCount: plan.items.count,
                                      budgetMicros: budgetMicros.map { max(0, $0 - spentBefore) },
                                      recorded: resuming.map { Self.indexes(of: $0.recorded, in: plan) } ?? [],
                                      cacheHits: cacheHits,
                                      batchLanes: Set(strategies.indices.filter { strategies[$0] is SubmitAsBatch })))
    }

    /// The calls of `plan` among `recorded`, as `model × items + item`.
    private static func indexes(of recorded: Set<CallKey>, in plan: RunPlan) -> Set<Int> {
        guard !recorded.isEmpty else { return [] }
        var indexes = Set<Int>()
        for (modelIndex, model) in plan.models.enumerated() {
            for (itemIndex, item) in plan.items.enumerated() {
                let task = plan.suite.tasks[item.taskIndex]
                let key = CallKey(modelID: model.id, taskID: task.id, caseID: task.cases[item.caseIndex].id,
                                  repeatIndex: item.repeatIndex, variant: plan.variant(of: item))
                if recorded.contains(key) { indexes.insert(modelIndex * plan.items.count + itemIndex) }
            }
        }
        return indexes
    }

    /// Stops starting calls; the ones in flight finish and are recorded. Safe from any thread.
    ///
    /// Calls sent in provider batches are not waited for: their batches are left to a resume.
    public func cancel() {
        state.withLock { $0.cancel() }
        for lane in batchLanes { lane.leaveToResume() }
        work.async { self.finishIfIdle() }
    }

    /// Stops at once: no call starts, the calls in flight are abandoned and never recorded (a
    /// resume makes them), and `run()` returns with what was recorded. Safe from any thread.
    public func abort() {
        if state.withLock({ $0.abort() }) { allDone.signal() }
    }

    /// Records the run, makes every call, and returns when all are recorded.
    ///
    /// - Parameters:
    ///   - context: What the run's reports will need, frozen with the run (a resumed run keeps
    ///     its own).
    ///   - gitCommit: The suite's commit, looked up already; nil to look it up here.
    /// - Throws: `ResultsNotSavedError` when results cannot be written (what was written stays,
    ///   and the run is marked interrupted if that can still be written); `StoreError` when the
    ///   run cannot be begun; `RunBusyError` when another process makes it.
    public func run(toolVersion: String = ToolVersion.current, catalogPath: String,
                    context: RunContext? = nil, gitCommit: GitCommit.Lookup? = nil) throws -> Outcome {
        var record = RunRecord(suite: plan.suite.name, suitePath: plan.suite.path, suiteHash: plan.suite.contentHash,
                               catalogPath: catalogPath, toolVersion: toolVersion, startedAt: Date(), status: .running)
        record.context = context
        record.gitCommit = gitCommit.map(\.commit) ?? GitCommit.of(suitePath: plan.suite.path)
        let runID: Int64
        let owner = RunLease.current
        if let resumedRunID {
            runID = resumedRunID
            try store.takeLease(ofRun: runID, for: owner)
            try store.reopenRun(runID)
        } else {
            runID = try store.beginRun(record, models: plan.models, suite: plan.suite)
            try store.takeLease(ofRun: runID, for: owner)
        }
        let heartbeat = DispatchSource.makeTimerSource(queue: work)
        heartbeat.schedule(deadline: .now() + .seconds(RunLease.heartbeatSeconds),
                           repeating: .seconds(RunLease.heartbeatSeconds))
        // A heartbeat that cannot be written (a full disk) is not a reason to stop: the calls are.
        heartbeat.setEventHandler { [store] in try? store.renewLease(ofRun: runID, for: owner) }
        heartbeat.resume()
        defer { heartbeat.cancel() }
        let writer = BatchWriter(store: store)
        progress?.start(models: plan.models.map(\.id), callsPerModel: plan.items.count,
                        recorded: resumedTally.mapValues { .init(calls: $0.calls, failed: $0.failed, costMicros: $0.spentMicros) })
        for lane in batchLanes { try lane.begin(runID: runID) { self.finishIfIdle() } }
        for lane in plan.models.indices {
            executor.setPuller(lane) { self.pump(lane, runID: runID, writer: writer) }
        }
        for lane in plan.models.indices { executor.drain(lane) }
        finishIfIdle()
        allDone.wait()
        executor.removePullers()
        progress?.finish()
        do {
            return try close(runID, writer: writer)
        } catch {
            // Results can no longer be saved (a full disk): the run is left interrupted, for a
            // resume to make the calls whose rows were lost, if even that can be written.
            let storeError = error as? StoreError ?? StoreError(path: store.path, underlying: error)
            let final = state.withLock { $0 }
            // The causes before the failure are kept with it (the budget, a stopped model, a Ctrl-C).
            let earlier = final.stopReasons(modelIDs: plan.models.map(\.id), callsLeft: true)
            store.markInterrupted(runID, reasons: earlier + [.resultsNotSaved(detail: storeError.message)])
            throw ResultsNotSavedError(runID: runID, underlying: storeError)
        }
    }

    /// Writes what is left, prices the hourly models, and records how the run ended.
    private func close(_ runID: Int64, writer: BatchWriter) throws -> Outcome {
        try writer.close()
        // Self-hosted models priced by the hour are costed once every call is written: a
        // throughput measured in the run needs them all.
        try store.applyHourlyPricing(runID: runID)

        let final = state.withLock { $0 }
        let pending = batchLanes.reduce(0) { $0 + $1.parked }
        let batched = try store.batchedCalls(ofRun: runID)
        // A resumed run is judged and counted by everything it holds, not by this session's calls alone.
        let tally = try store.tally(ofRun: runID).total
        let (recorded, errors) = (tally.calls, tally.failed)
        let status: RunStatus = recorded < plan.callCount ? .interrupted : (errors > 0 ? .incomplete : .completed)
        var stopped: [String: String] = [:]
        for (lane, reason) in final.stopReasons { stopped[plan.models[lane].id] = reason }
        // Every cause is kept: a budget stop does not hide a model stopped for a bad key, nor a Ctrl-C.
        var reasons = final.stopReasons(modelIDs: plan.models.map(\.id), callsLeft: recorded < plan.callCount)
        if pending > 0 { reasons.append(.batchesPending(calls: pending)) }
        try store.finishRun(runID, status: status, stopReason: StopReason.stored(reasons))
        return Outcome(runID: runID, status: status, calls: recorded, answered: tally.answered, failed: tally.failed,
                       skipped: plan.callCount - recorded, costMicros: tally.spentMicros,
                       judgeCostMicros: tally.judgeCostMicros, graderErrors: tally.graderErrors,
                       stoppedModels: stopped, stoppedByBudget: final.stopCauses.contains(.budget),
                       stopReasons: reasons, replayed: tally.replayed,
                       batched: batched.batched, batchRetried: batched.retried, batchFallback: batched.fellBack,
                       pendingInBatches: pending)
    }

    /// Starts calls for one model while the state machine says so; the executor calls this when
    /// the lane has room and no attempt of its own waits.
    private func pump(_ lane: Int, runID: Int64, writer: BatchWriter) {
        // The next call's case and request, made outside the lock: a dataset's case is read from
        // its file, and the lock is shared by every call's completion.
        var prepared: (call: RunStateMachine.Prepared, testCase: TestCase, chat: ChatRequest)?
        loop: while true {
            let now = CallExecutor.now()
            let step = state.withLock { machine in
                // Nothing can be saved any more: stop as if cancelled.
                if writer.failure != nil { machine.cancel() }
                return executor.limits.withLock { machine.next(lane, prepared: prepared?.call, limits: &$0, now: now) }
            }
            switch step {
            case .prepare(let itemIndex):
                let item = plan.items[itemIndex]
                let testCase = taskCases[item.taskIndex][item.caseIndex]
                let chat = plan.chatRequest(for: item, testCase: testCase, modelID: lanes[lane].model.id)
                let input = Usage.estimated(for: chat, answer: "").inputTokens
                prepared = (.init(itemIndex: itemIndex, inputTokens: input, maxTokens: chat.maxTokens), testCase, chat)
            case .start(let ticket):
                guard let (_, testCase, chat) = prepared else { break loop }
                start(ticket, testCase: testCase, chat: chat, runID: runID, writer: writer)
            case .replay(let itemIndex, let origin):
                work.async { self.replay(itemIndex, lane: lane, origin: origin, runID: runID, writer: writer) }
            case .wake(let wake):
                executor.wakeLater(lane, wake)
                break loop
            case .idle:
                break loop
            }
        }
        // Nothing more to start for now: a batch lane sends what it gathered.
        executor.laneIdle(lane)
        finishIfIdle()
    }

    /// Sends a call in the slot its ticket took, grades the answer and records it.
    private func start(_ ticket: RunStateMachine.Ticket, testCase: TestCase, chat: ChatRequest, runID: Int64,
                       writer: BatchWriter) {
        let item = plan.items[ticket.itemIndex]
        let lane = lanes[ticket.lane]
        // The task's id, not the task: the completion would copy the whole task in.
        let taskID = taskIDs[item.taskIndex]
        // Graded where the reply arrives when nothing in grading can take long.
        let quick = quickTasks[item.taskIndex] && testCase.graders.allSatisfy { $0.kind.type.gradesQuickly }
        executor.execute(chat, model: lane.model, apiKey: lane.apiKey, lane: ticket.lane,
                         key: "item-\(ticket.itemIndex)", quick: quick) { execution in
            var call = CallRecord(execution, runID: runID, model: lane.model, taskID: taskID, caseID: testCase.id,
                                  repeatIndex: item.repeatIndex, apiKey: lane.apiKey)
            call.promptVariant = self.plan.variant(of: item)
            if self.cache.writes {
                call.requestHash = self.requestKeys[ticket.lane].hash(chat, repeatIndex: item.repeatIndex)
            }
            guard case .success(let answer) = execution.outcome else {
                return self.finish(GradedCall(call), ticket: ticket, runID: runID, writer: writer)
            }
            self.grade(call, answer: answer.text, logprobs: answer.logprobs, item: item, testCase: testCase,
                       chat: chat) { graded in
                self.finish(graded, ticket: ticket, runID: runID, writer: writer)
            }
        }
    }

    /// Records a call that is over, frees its place under the limits (a replayed answer took
    /// none), and starts what can start next.
    func finish(_ graded: consuming GradedCall, ticket: RunStateMachine.Ticket, runID: Int64, writer: BatchWriter) {
        let lane = lanes[ticket.lane]
        let ended = RunStateMachine.Ended(errorClass: graded.call.errorClass, httpStatus: graded.call.httpStatus,
                                          errorMessage: graded.call.errorMessage, spentMicros: graded.call.spentMicros,
                                          judgeCostMicros: graded.call.judgeCostMicros ?? 0,
                                          graderErrors: graded.call.graderErrors)
        let latencyMs = graded.call.cacheHit ? nil : graded.call.latencyMs
        let now = CallExecutor.now()
        // Moved to the writer: handing it over from inside the lock's closure copied it.
        var row = Optional(graded)
        let stopped: String?? = state.withLock { machine in
            let stopped = executor.limits.withLock { machine.ended(ticket, ended, limits: &$0, now: now) }
            // Abandoned by `abort()`: the run has been closed without it.
            if stopped != nil { writer.add(row.take()!) }
            return stopped
        }
        guard let stopped else { return }
        if let stopped {
            progress?.note("stopping \(lane.model.id): \(stopped); its remaining cases are not run")
        }
        progress?.record(modelID: lane.model.id, failed: ended.errorClass != nil, costMicros: ended.spentMicros,
                         latencyMs: latencyMs)
        // Models sharing limits with this one may have been waiting for its slot.
        for other in executor.limits.withLock({ $0.lanes(sharingWith: ticket.lane) }) { executor.drain(other) }
        finishIfIdle()
    }

    /// A replay found no recorded answer: the call is made after all, in a slot taken now.
    func startAfterAll(_ ticket: RunStateMachine.Ticket, testCase: TestCase, chat: ChatRequest, runID: Int64,
                       writer: BatchWriter) {
        let now = CallExecutor.now()
        state.withLock { machine in executor.limits.withLock { machine.replayMissed(ticket, limits: &$0, now: now) } }
        start(ticket, testCase: testCase, chat: chat, runID: runID, writer: writer)
    }

    private func finishIfIdle() {
        // Calls left in batches the run does not wait for do not hold it open.
        let parked = plan.models.indices.map { executor.parked($0) }
        let done = state.withLock { machine in executor.limits.withLock { machine.finishIfIdle($0, parked: parked) } }
        if done { allDone.signal() }
    }
}
