import Dispatch
import Foundation
import Synchronization

/// Runs a plan: fans every case across every model over HTTP, at most `max_concurrency`
/// calls per model in flight, grading each answer and recording it as it completes.
///
/// Built on Dispatch: HTTP transfers run on the client's curl loop, grading and bookkeeping on
/// a concurrent queue, writes on the store's writer queue. `run()` blocks until every call has
/// ended or the run was cancelled and the calls in flight have finished.
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
    }

    private struct ModelLane {
        var next = 0
        var inFlight = 0
    }

    private struct State {
        var lanes: [ModelLane]
        var answered = 0
        var failed = 0
        var costMicros: Int64 = 0
        var cancelled = false
        var finished = false
    }

    private let plan: RunPlan
    private let store: ResultStore
    private let client: HTTPClient
    private let apiKeys: [String?]
    private let graders: [[CaseGrader]]
    private let progress: Progress?
    private let state: Mutex<State>
    private let work = DispatchQueue(label: "tradeoff.runner", attributes: .concurrent)
    private let allDone = DispatchSemaphore(value: 0)

    /// Prepares a run of `plan`.
    ///
    /// - Parameters:
    ///   - environment: where API keys are read (by each model's `api_key_env`); check
    ///     `SuiteLoader.missingCredentials` first.
    /// - Throws: when a grader cannot be built (an invalid regex; loading reports these first).
    public init(plan: RunPlan, store: ResultStore, client: HTTPClient,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                progress: Progress? = nil) throws {
        self.plan = plan
        self.store = store
        self.client = client
        self.progress = progress
        apiKeys = plan.models.map { model in model.apiKeyEnv.flatMap { environment[$0] } }
        graders = try plan.suite.tasks.map { task in
            try task.cases.map { try CaseGrader(task: task, testCase: $0) }
        }
        state = Mutex(State(lanes: Array(repeating: ModelLane(), count: plan.models.count)))
    }

    /// Stops starting calls; the ones in flight finish and are recorded. Safe from any thread.
    public func cancel() {
        state.withLock { $0.cancelled = true }
        work.async { self.finishIfIdle() }
    }

    /// Records the run, makes every call, and returns when all are recorded.
    ///
    /// - Throws: `StoreError` when results cannot be written (what was written stays).
    public func run(toolVersion: String = ToolVersion.current, catalogPath: String) throws -> Outcome {
        let record = RunRecord(suite: plan.suite.name, suitePath: plan.suite.path, suiteHash: plan.suite.contentHash,
                               catalogPath: catalogPath, toolVersion: toolVersion, startedAt: Date(), status: .running)
        let runID = try store.beginRun(record, models: plan.models, suite: plan.suite)
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

        let final = state.withLock { $0 }
        let made = final.answered + final.failed
        let status: RunStatus = made < plan.callCount ? .interrupted : (final.failed > 0 ? .incomplete : .completed)
        try store.finishRun(runID, status: status)
        return Outcome(runID: runID, status: status, calls: made, answered: final.answered, failed: final.failed,
                       skipped: plan.callCount - made, costMicros: final.costMicros)
    }

    /// Starts calls for one model while it has capacity and work.
    private func pump(_ modelIndex: Int, runID: Int64, writer: BatchWriter) {
        let limit = max(1, plan.models[modelIndex].maxConcurrency)
        while true {
            let next: Int? = state.withLock { state in
                // Nothing can be saved any more: stop as if cancelled.
                if writer.failure != nil { state.cancelled = true }
                guard !state.cancelled else { return nil }
                var lane = state.lanes[modelIndex]
                guard lane.inFlight < limit, lane.next < plan.items.count else { return nil }
                defer {
                    lane.next += 1
                    lane.inFlight += 1
                    state.lanes[modelIndex] = lane
                }
                return lane.next
            }
            guard let itemIndex = next else { break }
            start(plan.items[itemIndex], modelIndex: modelIndex, runID: runID, writer: writer)
        }
        finishIfIdle()
    }

    private func start(_ item: RunPlan.Item, modelIndex: Int, runID: Int64, writer: BatchWriter) {
        let model = plan.models[modelIndex]
        let chat = plan.chatRequest(for: item)
        let request = OpenAIChatCompletions.request(for: chat, model: model, apiKey: apiKeys[modelIndex])
        let startedAt = Date()
        client.send(request) { result in
            self.work.async {
                let call = self.complete(item, modelIndex: modelIndex, chat: chat, result: result, runID: runID,
                                         startedAt: startedAt)
                writer.add(call)
                self.state.withLock { state in
                    state.lanes[modelIndex].inFlight -= 1
                    if call.errorClass == nil { state.answered += 1 } else { state.failed += 1 }
                    state.costMicros += call.costMicros ?? 0
                }
                self.progress?.record(modelID: model.id, failed: call.errorClass != nil, costMicros: call.costMicros ?? 0,
                                      latencyMs: call.latencyMs)
                self.pump(modelIndex, runID: runID, writer: writer)
            }
        }
    }

    /// Turns a transfer's result into a graded (or failed) call row.
    private func complete(_ item: RunPlan.Item, modelIndex: Int, chat: ChatRequest,
                          result: Result<HTTPResponse, TransportError>, runID: Int64, startedAt: Date) -> CallRecord {
        let model = plan.models[modelIndex]
        let task = plan.suite.tasks[item.taskIndex]
        let testCase = task.cases[item.caseIndex]
        var call = CallRecord(runId: runID, modelId: model.id, taskId: task.id, caseId: testCase.id,
                              startedAt: startedAt, finishedAt: Date())
        let secrets = apiKeys[modelIndex].map { [$0] } ?? []

        let reply: Result<ProviderReply, CallError>
        switch result {
        case .failure(let error):
            call.latencyMs = error.timings.total * 1000
            reply = .failure(CallError(error.isTimeout ? .timeout : .connection, error.message))
        case .success(let response):
            call.httpStatus = response.status
            call.latencyMs = response.timings.total * 1000
            call.connectMs = response.timings.connect * 1000
            call.tlsMs = response.timings.tlsHandshake * 1000
            call.firstByteMs = response.timings.firstByte * 1000
            reply = OpenAIChatCompletions.reply(to: chat, from: response)
        }

        switch reply {
        case .success(let answer):
            let grade = graders[item.taskIndex][item.caseIndex].grade(answer.text, variables: testCase.variables)
            call.output = answer.text
            call.score = grade.score
            call.passed = grade.passed
            call.grades = Self.encode(grade.outcomes)
            call.inputTokens = answer.usage.inputTokens
            call.cachedInputTokens = answer.usage.cacheReadTokens
            call.cacheWriteTokens = answer.usage.cacheWriteTokens
            call.reasoningTokens = answer.usage.reasoningTokens
            call.outputTokens = answer.usage.outputTokens
            call.usageSource = answer.usage.source
            call.computedCostMicros = model.price?.costMicros(of: answer.usage)
            call.costMicros = call.computedCostMicros
            call.costSource = call.costMicros == nil ? nil : .computed
            call.finishReason = answer.finishReason
            call.servedModel = answer.servedModel
            call.requestId = answer.requestID
        case .failure(let error):
            call.errorClass = error.kind
            call.errorMessage = Secrets.redact(error.message, secrets)
            call.requestId = error.requestID
        }
        return call
    }

    private func finishIfIdle() {
        let done = state.withLock { state -> Bool in
            guard !state.finished else { return false }
            let idle = state.lanes.allSatisfy { $0.inFlight == 0 }
            let exhausted = state.lanes.allSatisfy { $0.next >= plan.items.count }
            guard idle && (exhausted || state.cancelled) else { return false }
            state.finished = true
            return true
        }
        if done { allDone.signal() }
    }

    private static func encode(_ outcomes: [GraderOutcome]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(outcomes)) ?? Data("[]".utf8), as: UTF8.self)
    }
}
