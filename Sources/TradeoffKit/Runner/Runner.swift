import Dispatch
import Foundation
import Synchronization

/// Runs a plan: fans every case across every model over HTTP, at most `max_concurrency`
/// calls per model in flight, grading each answer and recording it as it completes.
///
/// Built on Dispatch: HTTP transfers run on the client's curl loop, grading and bookkeeping on
/// a concurrent queue, writes on the store's writer queue. `run()` blocks until every call has
/// ended or the run was cancelled and the calls in flight have finished.
///
/// An answer with judge graders is judged before it is recorded: the judge calls follow the
/// answer through the same client and retry policy, each in a slot of its judge model's own
/// lane (`JudgePool`), while the answer keeps its candidate slot — so a slow judge slows the
/// candidates down instead of piling up answers, and the answer's row is written once, with its
/// final grade and its judge calls.
public final class Runner: Sendable {
    /// How a run ended.
    public struct Outcome: Sendable, Hashable {
        public var runID: Int64
        public var status: RunStatus
        /// Calls made (answered + failed).
        public var calls: Int
        public var answered: Int
        public var failed: Int
        /// Calls not made because the run was cancelled.
        public var skipped: Int
        public var costMicros: Int64
        /// What the judges cost (the cost of evaluating, apart from `costMicros`).
        public var judgeCostMicros: Int64 = 0
        /// Graders that could not grade an answer, over all calls.
        public var graderErrors: Int = 0
        /// Models stopped early, by id, with why (a key that does not work, no credits, ...).
        public var stoppedModels: [String: String] = [:]
        /// Set when the budget stopped the run: no call was started that could exceed it.
        public var stoppedByBudget = false
        /// Answers replayed from the response cache (among `answered`; nothing spent on them).
        public var replayed = 0
    }

    /// After this many calls of a model in a row fail with an error that retrying cannot fix
    /// (auth, out of credits, model not found), the model's remaining calls are not made.
    public static let hardFailuresBeforeStopping = 3

    /// Answers replayed from the cache at once, per model.
    static let replaysInFlight = 32

    private struct ModelLane {
        var next = 0
        /// The model's own limits: its concurrency (adapting to 429s), requests and tokens per minute.
        var gate: RateGate
        var hardFailuresInARow = 0
        var stopReason: String?
        /// When a pump is already scheduled for (monotonic seconds), while the lane waits on a limit.
        var wakeAt: Double?
        /// When the lane last said it waits on a limit, so a long wait is told once, not every time.
        var waitNotedAt = -Double.infinity
        /// Attempts whose backoff is over, waiting for room under the limits; they go before new calls.
        var retries: [Retry] = []
        /// Answers being replayed from the response cache (read and graded).
        var replaying = 0
        var inFlight: Int { gate.inFlight }
    }

    /// The next attempt of a call whose last one failed.
    private struct Retry: Sendable {
        var request: HTTPRequest
        var item: RunPlan.Item
        var slot: Slot
        var chat: ChatRequest
        var attempts: CallAttempts
        var startedAt: Date
    }

    /// A call's place in the limits: what it was counted for when it started, and its case (read
    /// once: a dataset's case is read from its file).
    private struct Slot: Sendable {
        var modelIndex: Int
        var testCase: TestCase
        var tokens: Int
        var worstCaseMicros: Int64
        /// An answer replayed from the response cache: it took no place under the limits.
        var replayed = false
    }

    private struct State {
        var lanes: [ModelLane]
        /// The limits models share (the catalog's `limits:`), by group name.
        var shared: [String: RateGate]
        var answered = 0
        var failed = 0
        var costMicros: Int64 = 0
        var judgeCostMicros: Int64 = 0
        var graderErrors = 0
        /// Answers replayed from the response cache.
        var replayed = 0
        var cancelled = false
        /// The calls in flight were abandoned: what they return is not recorded.
        var aborted = false
        var finished = false
        /// Worst-case cost of the calls in flight, held against the budget until they end.
        var reservedMicros: Int64 = 0
        var stoppedByBudget = false
    }

    private let plan: RunPlan
    private let store: ResultStore
    private let client: HTTPClient
    private let apiKeys: [String?]
    /// Each task's graders, made once; a case's own are added when it is graded.
    private let taskGraders: [[Grader]]
    private let judges: JudgePool?
    private let progress: Progress?
    private let retryPolicy: RetryPolicy
    private let caBundle: String?
    private let budgetMicros: Int64?
    private let cache: CacheMode
    /// Each model's cache keys.
    private let requestKeys: [RequestKey]
    /// Calls the cache answers: `modelIndex × items + itemIndex` → the recorded call to replay.
    private let cacheHits: [Int: Int64]
    /// For a resumed run: the run, and the calls it has already recorded.
    private let resuming: (runID: Int64, recorded: Set<CallKey>)?
    private let state: Mutex<State>
    private let work = DispatchQueue(label: "tradeoff.runner", attributes: .concurrent)
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
    ///     prices; unpriced and hourly-priced models cannot be held to it.
    ///   - cache: whether answers recorded for the same requests are replayed, and new ones
    ///     recorded for later.
    /// - Throws: when a grader cannot be built (an invalid regex; loading reports these first),
    ///   or the cache cannot be read.
    public init(plan: RunPlan, store: ResultStore, client: HTTPClient,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                retryPolicy: RetryPolicy = .standard, caBundle: String? = nil, budgetMicros: Int64? = nil,
                cache: CacheMode = .off, resuming: (runID: Int64, recorded: Set<CallKey>)? = nil,
                progress: Progress? = nil) throws {
        self.cache = cache
        requestKeys = plan.models.map(RequestKey.init(model:))
        cacheHits = cache.reads ? try Self.cacheHits(of: plan, keys: requestKeys, in: store) : [:]
        self.plan = plan
        self.resuming = resuming
        self.budgetMicros = budgetMicros
        self.retryPolicy = retryPolicy
        self.caBundle = caBundle
        self.store = store
        self.client = client
        self.progress = progress
        apiKeys = plan.models.map { model in model.apiKeyEnv.flatMap { environment[$0] } }
        taskGraders = try plan.suite.tasks.map { try $0.graders.map(Grader.init) }
        let judgeModels = plan.suite.judgeModels
        judges = judgeModels.isEmpty ? nil : JudgePool(client: client, judges: judgeModels, environment: environment,
                                                       retryPolicy: retryPolicy, caBundle: caBundle)
        let now = Self.now()
        var shared: [String: RateGate] = [:]
        for model in plan.models {
            if let group = model.sharedLimits { shared[group.name] = RateGate(group.limits, adaptive: false, now: now) }
        }
        state = Mutex(State(lanes: plan.models.map { model in
            var limits = model.rateLimits
            limits.maxConcurrency = model.maxConcurrency
            return ModelLane(gate: RateGate(limits, adaptive: true, now: now))
        }, shared: shared))
    }

    /// The calls of `plan` whose request has an answer recorded in `store`, looked up a few
    /// thousand items at a time so that only the hits are held.
    private static func cacheHits(of plan: RunPlan, keys: [RequestKey], in store: ResultStore) throws -> [Int: Int64] {
        var hits: [Int: Int64] = [:]
        for first in stride(from: 0, to: plan.items.count, by: 2_000) {
            var calls: [String: [Int]] = [:]
            for itemIndex in first..<min(first + 2_000, plan.items.count) {
                let item = plan.items[itemIndex]
                let chat = plan.chatRequest(for: item)
                for (modelIndex, key) in keys.enumerated() {
                    calls[key.hash(chat, repeatIndex: item.repeatIndex), default: []]
                        .append(modelIndex * plan.items.count + itemIndex)
                }
            }
            for (hash, origin) in try store.cachedCallIDs(for: calls.keys) {
                for index in calls[hash] ?? [] { hits[index] = origin }
            }
        }
        return hits
    }

    /// Stops starting calls; the ones in flight finish and are recorded. Safe from any thread.
    public func cancel() {
        state.withLock { $0.cancelled = true }
        work.async { self.finishIfIdle() }
    }

    /// Stops at once: no call starts, the calls in flight are abandoned and never recorded (a
    /// resume makes them), and `run()` returns with what was recorded. Safe from any thread.
    public func abort() {
        let signal = state.withLock { state -> Bool in
            state.cancelled = true
            state.aborted = true
            guard !state.finished else { return false }
            state.finished = true
            return true
        }
        if signal { allDone.signal() }
    }

    /// Records the run, makes every call, and returns when all are recorded.
    ///
    /// - Throws: `StoreError` when results cannot be written (what was written stays).
    public func run(toolVersion: String = ToolVersion.current, catalogPath: String) throws -> Outcome {
        var record = RunRecord(suite: plan.suite.name, suitePath: plan.suite.path, suiteHash: plan.suite.contentHash,
                               catalogPath: catalogPath, toolVersion: toolVersion, startedAt: Date(), status: .running)
        record.gitCommit = GitCommit.of(directory: (plan.suite.path as NSString).deletingLastPathComponent.isEmpty
                                        ? "." : (plan.suite.path as NSString).deletingLastPathComponent)
        let runID: Int64
        if let resuming {
            runID = resuming.runID
            try store.reopenRun(runID)
        } else {
            runID = try store.beginRun(record, models: plan.models, suite: plan.suite)
        }
        let writer = BatchWriter(store: store)
        progress?.start(models: plan.models.map(\.id), callsPerModel: plan.items.count)

        if plan.callCount == 0 {
            state.withLock { $0.finished = true }
        } else {
            for modelIndex in plan.models.indices { pump(modelIndex, runID: runID, writer: writer) }
            allDone.wait()
        }
        progress?.finish()
        try writer.close()
        // Self-hosted models priced by the hour are costed once the run's span is known.
        let hourlyMicros = try store.applyHourlyPricing(runID: runID)

        let final = state.withLock { $0 }
        let made = final.answered + final.failed
        // A resumed run is judged by everything it holds, not by this session's calls alone.
        let (recorded, errors) = try store.callTally(ofRun: runID)
        let status: RunStatus = recorded < plan.callCount ? .interrupted : (errors > 0 ? .incomplete : .completed)
        var stopped: [String: String] = [:]
        for (model, lane) in zip(plan.models, final.lanes) { if let reason = lane.stopReason { stopped[model.id] = reason } }
        let stopReason: String? = if final.stoppedByBudget {
            "budget: no call was started that could take the spend past \(Money.format(micros: budgetMicros ?? 0))"
        } else if final.cancelled && made < plan.callCount {
            "cancelled"
        } else if !stopped.isEmpty {
            stopped.sorted { $0.key < $1.key }.map { "\($0.key) stopped: \($0.value)" }.joined(separator: "; ")
        } else {
            nil
        }
        try store.finishRun(runID, status: status, stopReason: stopReason)
        return Outcome(runID: runID, status: status, calls: made, answered: final.answered, failed: final.failed,
                       skipped: plan.callCount - recorded, costMicros: final.costMicros + hourlyMicros,
                       judgeCostMicros: final.judgeCostMicros, graderErrors: final.graderErrors,
                       stoppedModels: stopped, stoppedByBudget: final.stoppedByBudget, replayed: final.replayed)
    }

    /// What the pump does next for a lane.
    private enum Step {
        case start(itemIndex: Int, ChatRequest, Slot)
        case retry(Retry)
        /// Read the case of this item and render its request, then look again.
        case prepare(itemIndex: Int)
        /// Answer from the response cache: the answer recorded as call `origin`.
        case replay(itemIndex: Int, origin: Int64)
        /// Nothing to start now (no work, no capacity, stopped, or a pump is already scheduled).
        case idle
        /// A limit holds the next call back for this many seconds; the reason when worth telling.
        case wake(after: Double, note: String?)
    }

    /// Starts calls for one model while it has capacity, work and room in its limits (and the
    /// budget allows); when a limit holds the next call back, schedules itself for when it may go.
    private func pump(_ modelIndex: Int, runID: Int64, writer: BatchWriter) {
        let model = plan.models[modelIndex]
        // The next call's case and request, made outside the lock: a dataset's case is read from
        // its file, and the lock is shared by every call's completion.
        var prepared: (index: Int, testCase: TestCase, chat: ChatRequest, input: Int)?
        while true {
            let step: Step = state.withLock { state in
                // Nothing can be saved any more: stop as if cancelled.
                if writer.failure != nil { state.cancelled = true }
                var lane = state.lanes[modelIndex]
                defer { state.lanes[modelIndex] = lane }
                let now = Self.now()
                // Calls in flight finish, even when the run is stopping: their retries go first.
                if let retry = lane.retries.first {
                    let (decision, reason) = Self.decision(lane.gate, model.sharedLimits.flatMap { state.shared[$0.name] },
                                                           tokens: retry.slot.tokens, now: now, retry: true)
                    switch decision {
                    case .full:
                        return .idle
                    case .wait(let seconds):
                        return Self.wake(&lane, after: seconds, now: now, reason: reason, model: model)
                    case .start:
                        lane.retries.removeFirst()
                        lane.gate.retry(tokens: retry.slot.tokens, now: now)
                        if let group = model.sharedLimits?.name { state.shared[group]?.retry(tokens: retry.slot.tokens, now: now) }
                        return .retry(retry)
                    }
                }
                guard !state.cancelled, !state.stoppedByBudget else { return .idle }
                if let recorded = resuming?.recorded {
                    // Calls the run already holds are not made again.
                    while lane.next < plan.items.count, recorded.contains(key(plan.items[lane.next], model)) {
                        lane.next += 1
                    }
                }
                guard lane.stopReason == nil, lane.next < plan.items.count else { return .idle }
                if let origin = cacheHits[modelIndex * plan.items.count + lane.next] {
                    // A replay takes no place under the limits, and spends nothing; a bounded
                    // number at once keeps a fully cached run's memory flat.
                    guard lane.replaying < Self.replaysInFlight else { return .idle }
                    lane.replaying += 1
                    defer { lane.next += 1 }
                    return .replay(itemIndex: lane.next, origin: origin)
                }
                guard lane.gate.inFlight < lane.gate.allowedInFlight else { return .idle }
                // Another completion may have taken the item prepared: prepare the one now next.
                guard let (index, testCase, chat, input) = prepared, index == lane.next else {
                    return .prepare(itemIndex: lane.next)
                }
                let tokens = input + chat.maxTokens
                let (decision, reason) = Self.decision(lane.gate, model.sharedLimits.flatMap { state.shared[$0.name] },
                                                       tokens: tokens, now: now, retry: false)
                switch decision {
                case .full:
                    return .idle
                case .wait(let seconds):
                    return Self.wake(&lane, after: seconds, now: now, reason: reason, model: model)
                case .start:
                    break
                }
                var worstCase: Int64 = 0
                if let budgetMicros, let price = model.price {
                    worstCase = price.costMicros(of: Usage(uncachedInputTokens: input, outputTokens: chat.maxTokens,
                                                           source: .estimated))
                    guard state.costMicros + state.reservedMicros + worstCase <= budgetMicros else {
                        state.stoppedByBudget = true
                        return .idle
                    }
                }
                lane.gate.begin(tokens: tokens, now: now)
                if let group = model.sharedLimits?.name { state.shared[group]?.begin(tokens: tokens, now: now) }
                state.reservedMicros += worstCase
                defer { lane.next += 1 }
                return .start(itemIndex: lane.next, chat, Slot(modelIndex: modelIndex, testCase: testCase, tokens: tokens,
                                                                        worstCaseMicros: worstCase))
            }
            switch step {
            case .prepare(let itemIndex):
                let item = plan.items[itemIndex]
                let testCase = plan.suite.tasks[item.taskIndex].cases[item.caseIndex]
                let chat = plan.chatRequest(for: item, testCase: testCase)
                prepared = (itemIndex, testCase, chat, Usage.estimated(for: chat, answer: "").inputTokens)
                continue
            case .start(let itemIndex, let chat, let slot):
                start(plan.items[itemIndex], chat: chat, slot: slot, runID: runID, writer: writer)
                continue
            case .replay(let itemIndex, let origin):
                work.async { self.replay(self.plan.items[itemIndex], modelIndex: modelIndex, origin: origin, runID: runID,
                                         writer: writer) }
                continue
            case .retry(let retry):
                attempt(retry.request, item: retry.item, slot: retry.slot, chat: retry.chat, attempts: retry.attempts,
                        startedAt: retry.startedAt, runID: runID, writer: writer)
                continue
            case .wake(let seconds, let note):
                if let note { progress?.note(note) }
                work.asyncAfter(deadline: .now() + seconds) {
                    self.state.withLock { $0.lanes[modelIndex].wakeAt = nil }
                    self.pump(modelIndex, runID: runID, writer: writer)
                }
            case .idle:
                break
            }
            break
        }
        finishIfIdle()
    }

    /// Whether the model's own gate, then its group's, has room for a call (or a retry) of `tokens`.
    private static func decision(_ own: RateGate, _ shared: RateGate?, tokens: Int, now: Double, retry: Bool)
        -> (RateGate.Decision, RateGate.Reason?)
    {
        let decision = own.decision(tokens: tokens, now: now, retry: retry)
        guard decision.0 == .start, let shared else { return decision }
        return shared.decision(tokens: tokens, now: now, retry: retry)
    }

    /// The step for a lane that a limit holds back: a pump scheduled for when it may go (unless
    /// an earlier one is), with a message when the wait is long and was not told lately.
    private static func wake(_ lane: inout ModelLane, after seconds: Double, now: Double, reason: RateGate.Reason?,
                             model: ModelEntry) -> Step {
        if let wakeAt = lane.wakeAt, wakeAt <= now + seconds { return .idle }
        lane.wakeAt = now + seconds
        guard seconds >= 5, now - lane.waitNotedAt >= 60, let reason else { return .wake(after: seconds, note: nil) }
        lane.waitNotedAt = now
        let scope = model.sharedLimits.map { "\($0.name)'s" } ?? "its"
        return .wake(after: seconds, note: "\(model.id): waiting \(Int(seconds.rounded(.up))) s for \(scope) \(reason.rawValue)")
    }

    private func start(_ item: RunPlan.Item, chat: ChatRequest, slot: Slot, runID: Int64, writer: BatchWriter) {
        let model = plan.models[slot.modelIndex]
        let request = Provider.request(for: chat, model: model, apiKey: apiKeys[slot.modelIndex], caBundle: caBundle)
        attempt(request, item: item, slot: slot, chat: chat, attempts: CallAttempts(policy: retryPolicy),
                startedAt: Date(), runID: runID, writer: writer)
    }

    /// Monotonic seconds, for the limits.
    private static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// Tells the limits how an attempt went: a 429 or overload cuts the model's concurrency and a
    /// `retry-after` pauses it; rate-limit headers set what is left.
    private func noteAttempt(_ result: Result<HTTPResponse, TransportError>, error: CallError?, slot: Slot,
                             startedAt: Double) {
        let model = plan.models[slot.modelIndex]
        let response = (try? result.get()) ?? result.failure?.partial
        let headers = response.flatMap { RateLimitHeaders($0.headers) }
        let throttled = error.map { $0.kind == .rateLimited || $0.kind == .overloaded } ?? false
        let now = Self.now()
        let cut = state.withLock { state in
            let cut = state.lanes[slot.modelIndex].gate.attemptEnded(startedAt: startedAt, throttled: throttled,
                                                                     retryAfter: throttled ? error?.retryAfter : nil,
                                                                     headers: headers, now: now)
            if let group = model.sharedLimits?.name {
                // A shared gate keeps its limits: one model's 429 does not pause the others.
                state.shared[group]?.attemptEnded(startedAt: startedAt, throttled: false, retryAfter: nil, headers: nil,
                                                  now: now)
            }
            return cut
        }
        if let cut, let error {
            let status = error.httpStatus.map { "HTTP \($0)" } ?? error.kind.rawValue
            progress?.note("\(model.id): \(status) from the provider; at most \(cut) calls in flight until answers come back")
        }
    }

    /// Sends one attempt of a call; on a retryable failure schedules the next one, otherwise
    /// records the call and frees its slot.
    private func attempt(_ request: HTTPRequest, item: RunPlan.Item, slot: Slot, chat: ChatRequest,
                         attempts: CallAttempts, startedAt: Date, runID: Int64, writer: BatchWriter) {
        var started = attempts
        started.start()
        let modelIndex = slot.modelIndex
        let model = plan.models[modelIndex]
        let attemptStarted = Self.now()
        client.send(request) { [started] result in
            self.work.async {
                var attempts = started
                let outcome = Provider.interpret(result, for: chat, model: model)
                self.noteAttempt(result, error: outcome.failure, slot: slot, startedAt: attemptStarted)
                if case .failure(let error) = outcome,
                   case .retry(let delay) = attempts.fail(error, jitter: Double.random(in: 0..<1)) {
                    // After the backoff the retry queues for room under the limits (it is a
                    // request too, and the window may have been cut meanwhile).
                    let retry = Retry(request: request, item: item, slot: slot, chat: chat, attempts: attempts,
                                      startedAt: startedAt)
                    self.work.asyncAfter(deadline: .now() + delay) {
                        self.state.withLock { $0.lanes[modelIndex].retries.append(retry) }
                        self.pump(modelIndex, runID: runID, writer: writer)
                    }
                    return
                }
                let timings = (try? result.get().timings) ?? (result.failure?.timings ?? TransferTimings())
                var call = self.record(item, testCase: slot.testCase, modelIndex: modelIndex, outcome: outcome, timings: timings,
                                       attempts: attempts, runID: runID, startedAt: startedAt)
                if self.cache.writes { call.requestHash = self.requestKeys[modelIndex].hash(chat, repeatIndex: item.repeatIndex) }
                guard case .success(let answer) = outcome else {
                    return self.finish(GradedCall(call), slot: slot, runID: runID, writer: writer)
                }
                self.grade(call, answer: answer.text, item: item, testCase: slot.testCase, chat: chat) { graded in
                    self.finish(graded, slot: slot, runID: runID, writer: writer)
                }
            }
        }
    }

    /// Grades an answer, then hands the graded row to `done`. Judges answer on the pool's queue;
    /// the candidate's slot is held until they have.
    private func grade(_ call: CallRecord, answer: String, item: RunPlan.Item, testCase: TestCase, chat: ChatRequest,
                       reusable: [JudgeCallRecord] = [], done: @escaping @Sendable (GradedCall) -> Void) {
        let task = plan.suite.tasks[item.taskIndex]
        let context = GradingContext(taskID: task.id, caseID: testCase.id, modelID: call.modelId,
                                     system: chat.messages.first { $0.role == .system }?.content,
                                     prompt: chat.messages.last { $0.role == .user }?.content ?? "")
        let grader: CaseGrader
        do {
            grader = try CaseGrader(taskGraders: taskGraders[item.taskIndex], task: task, testCase: testCase)
        } catch {
            // Loading compiles every case's regexes first, so this cannot happen; if it does, the
            // answer is kept, ungraded, with the reason.
            var call = call
            call.graderErrors = 1
            call.grades = Self.encode([GraderOutcome(type: "grader", score: 0, passed: false, weight: 1,
                                                     reason: "a grader of this case could not be built: \(error)")])
            return done(GradedCall(call))
        }
        let grade: @Sendable () -> Void = {
            grader.grade(answer, variables: testCase.variables, context: context, runID: call.runId, pool: self.judges,
                         reusable: reusable) {
                var call = call
                call.apply($0)
                done(GradedCall(call, judgeCalls: $0.judgeCalls))
            }
        }
        if grader.usesCommands { Thread.detachNewThread(grade) } else { grade() }
    }

    /// Records a call that is over, frees its place under the limits (a replayed answer took
    /// none), and starts what can start next.
    private func finish(_ graded: GradedCall, slot: Slot, runID: Int64, writer: BatchWriter) {
        let call = graded.call
        let modelIndex = slot.modelIndex
        let model = plan.models[modelIndex]
        let used = call.inputTokens.flatMap { input in call.outputTokens.map { input + $0 } }
        let now = Self.now()
        let stopped: String?? = state.withLock { state in
            // Abandoned by `abort()`: the run has been closed without it.
            guard !state.aborted else { return .none }
            writer.add(graded)
            if slot.replayed {
                state.lanes[modelIndex].replaying -= 1
                state.replayed += 1
            } else {
                state.lanes[modelIndex].gate.end(estimatedTokens: slot.tokens, usedTokens: used, now: now)
                if let group = model.sharedLimits?.name {
                    state.shared[group]?.end(estimatedTokens: slot.tokens, usedTokens: used, now: now)
                }
            }
            state.reservedMicros -= slot.worstCaseMicros
            if call.errorClass == nil { state.answered += 1 } else { state.failed += 1 }
            state.costMicros += call.spentMicros
            state.judgeCostMicros += call.judgeCostMicros ?? 0
            state.graderErrors += call.graderErrors
            return .some(Self.noteHardFailure(call, in: &state.lanes[modelIndex]))
        }
        guard let stopped else { return }
        if let stopped {
            progress?.note("stopping \(model.id): \(stopped); its remaining cases are not run")
        }
        progress?.record(modelID: model.id, failed: call.errorClass != nil, costMicros: call.spentMicros,
                         latencyMs: call.cacheHit ? nil : call.latencyMs)
        pump(modelIndex, runID: runID, writer: writer)
        // Models sharing limits with this one may have been waiting for its slot.
        if let group = model.sharedLimits?.name {
            for other in plan.models.indices where other != modelIndex && plan.models[other].sharedLimits?.name == group {
                pump(other, runID: runID, writer: writer)
            }
        }
    }

    /// Answers a call from the response cache: the answer recorded as call `origin` for the same
    /// request, graded again by today's graders (reusing the origin's judge verdicts where the
    /// judge and its prompt are the same). Its usage and cost are the origin's (what the
    /// answer costs), but nothing is spent and its timings stay out of latency. When the origin
    /// is gone (deleted since the run began), the call is made after all.
    private func replay(_ item: RunPlan.Item, modelIndex: Int, origin: Int64, runID: Int64, writer: BatchWriter) {
        let model = plan.models[modelIndex]
        let testCase = plan.suite.tasks[item.taskIndex].cases[item.caseIndex]
        let chat = plan.chatRequest(for: item, testCase: testCase)
        guard let cached = try? store.call(id: origin), let answer = cached.output else {
            let tokens = Usage.estimated(for: chat, answer: "").inputTokens + chat.maxTokens
            let now = Self.now()
            state.withLock { state in
                state.lanes[modelIndex].replaying -= 1
                state.lanes[modelIndex].gate.begin(tokens: tokens, now: now)
                if let group = model.sharedLimits?.name { state.shared[group]?.begin(tokens: tokens, now: now) }
            }
            return start(item, chat: chat,
                         slot: Slot(modelIndex: modelIndex, testCase: testCase, tokens: tokens, worstCaseMicros: 0),
                         runID: runID, writer: writer)
        }
        let task = plan.suite.tasks[item.taskIndex]
        var call = cached
        call.id = nil
        call.runId = runID
        call.modelId = model.id
        call.taskId = task.id
        call.caseId = testCase.id
        call.repeatIndex = item.repeatIndex
        (call.score, call.passed, call.grades, call.graderErrors, call.judgeCostMicros) = (nil, nil, nil, 0, nil)
        call.attempts = 0
        call.backoffMs = 0
        call.cachedFrom = origin
        call.startedAt = Date()
        call.finishedAt = call.startedAt
        // A judge asked the same about the same answer before is not asked (nor paid) again.
        let verdicts = (try? store.judgeCalls(ofCall: origin)) ?? []
        grade(call, answer: answer, item: item, testCase: testCase, chat: chat, reusable: verdicts) { graded in
            self.finish(graded, slot: Slot(modelIndex: modelIndex, testCase: testCase, tokens: 0, worstCaseMicros: 0,
                                           replayed: true),
                        runID: runID, writer: writer)
        }
    }

    /// The row for a finished call: the answer (graded after), or the error, with what every attempt cost.
    private func record(_ item: RunPlan.Item, testCase: TestCase, modelIndex: Int,
                        outcome: Result<ProviderReply, CallError>, timings: TransferTimings, attempts: CallAttempts,
                        runID: Int64, startedAt: Date) -> CallRecord {
        let model = plan.models[modelIndex]
        let task = plan.suite.tasks[item.taskIndex]
        var call = CallRecord(runId: runID, modelId: model.id, taskId: task.id, caseId: testCase.id,
                              startedAt: startedAt, finishedAt: Date())
        call.repeatIndex = item.repeatIndex
        call.streamed = model.stream
        call.attempts = attempts.count
        call.backoffMs = attempts.backoff * 1000
        // Latency is the last attempt's alone: retry waits have their own column.
        call.latencyMs = timings.total * 1000
        call.connectMs = timings.connect * 1000
        call.tlsMs = timings.tlsHandshake * 1000
        call.firstByteMs = timings.firstByte * 1000
        switch outcome {
        case .success(let answer):
            call.output = answer.text
            call.httpStatus = 200
            call.finishReason = answer.finish?.rawValue
            call.finishReasonRaw = answer.finishReasonRaw
            call.truncated = answer.finish == .length
            call.refused = answer.finish == .contentFilter
            call.servedModel = answer.servedModel
            call.servingProvider = answer.servingProvider
            call.requestId = answer.requestID
            call.reportedCostMicros = answer.reportedCostMicros
            if let first = answer.firstContentSeconds { call.ttftMs = first * 1000 }
            call.outputTokensPerSecond = answer.outputTokensPerSecond
        case .failure(let error):
            call.errorClass = error.kind
            call.errorMessage = Secrets.redact(error.message, apiKeys[modelIndex].map { [$0] } ?? [])
            call.httpStatus = error.httpStatus
            call.requestId = error.requestID
        }
        // Failed attempts that reported usage were billed: their cost counts.
        call.settleCost(usage: (try? outcome.get().usage) ?? outcome.failure?.billedUsage, billedUsage: attempts.billedUsage,
                        lastAttemptFailed: outcome.failure != nil, price: model.price)
        return call
    }

    private func key(_ item: RunPlan.Item, _ model: ModelEntry) -> CallKey {
        let task = plan.suite.tasks[item.taskIndex]
        return CallKey(modelID: model.id, taskID: task.id, caseID: task.cases[item.caseIndex].id,
                       repeatIndex: item.repeatIndex)
    }

    /// Counts errors that retrying cannot fix; after `hardFailuresBeforeStopping` in a row the
    /// lane stops, and the reason is returned (once).
    private static func noteHardFailure(_ call: CallRecord, in lane: inout ModelLane) -> String? {
        guard let kind = call.errorClass else {
            lane.hardFailuresInARow = 0
            return nil
        }
        guard [.auth, .outOfCredits, .notFound].contains(kind) else { return nil }
        lane.hardFailuresInARow += 1
        guard lane.hardFailuresInARow >= hardFailuresBeforeStopping, lane.stopReason == nil else { return nil }
        let status = call.httpStatus.map { " (HTTP \($0))" } ?? ""
        let reason = "\(lane.hardFailuresInARow) calls in a row failed with \(kind.rawValue)\(status): \(call.errorMessage ?? "")"
        lane.stopReason = reason
        return reason
    }

    private func finishIfIdle() {
        let done = state.withLock { state -> Bool in
            guard !state.finished else { return false }
            let idle = state.lanes.allSatisfy { $0.inFlight == 0 && $0.replaying == 0 }
            let exhausted = state.lanes.allSatisfy { $0.next >= plan.items.count || $0.stopReason != nil }
            guard idle && (exhausted || state.cancelled || state.stoppedByBudget) else { return false }
            state.finished = true
            return true
        }
        if done { allDone.signal() }
    }

    static func encode(_ outcomes: [GraderOutcome]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(outcomes)) ?? Data("[]".utf8), as: UTF8.self)
    }
}
