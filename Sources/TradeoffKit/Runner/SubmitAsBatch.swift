import Dispatch
import Foundation
import Synchronization

/// Sends one model's calls through its provider's batch API (`BatchAPI`: OpenAI's, Anthropic's):
/// gathers the calls its lane hands over, and once the lane has nothing more to start, submits
/// them in batches within the provider's limits, polls each batch with backoff, and hands each
/// call its answer from the batch's results, matched by `custom_id` (the call's `Order.key`).
///
/// A batch outlives the process. Before anything is sent, the batch is recorded (`batches`: the
/// run, the model, the custom ids, a unique tag); then the input file's id, then the provider's
/// batch id. `begin` reconciles what an earlier process left: a batch with a provider id is
/// polled and collected, never sent again; an intent without one is looked for among the
/// provider's newest batches (`BatchAPI.find`: by the tag in its metadata on OpenAI) — found,
/// it is adopted; not found, the provider never got it, so it is marked `abandoned` and its
/// calls are submitted anew. (The listing is read page by page, 100 a page, up to 50 pages: a
/// batch created and lost must be resumed before 5,000 newer ones are made on the account.)
///
/// Requests that expired or failed in a way a retry may fix go into a new batch, up to
/// `maxRounds` batches per call; the call's `attempts` counts its batches. With
/// `settings.fallback` they are sent at once as ordinary calls instead (`fallback`).
final class SubmitAsBatch: ExecutionStrategy {
    private struct Call: Sendable {
        var order: CallExecutor.Order
        var key: String { order.key }
        var chat: ChatRequest { order.chat }
        var entry: Data
        var round: Int
        var startedAt: Date
        var completion: @Sendable (CallExecutor.Execution) -> Void
    }

    private struct State: Sendable {
        var runID: Int64?
        var onParked: (@Sendable () -> Void)?
        /// Calls handed over and not yet in a batch.
        var gathered: [Call] = []
        /// Calls in each batch sent (or being sent), by batch row, by custom id.
        var inBatch: [Int64: [String: Call]] = [:]
        /// Each batch row's provider id.
        var providerIDs: [Int64: String] = [:]
        /// Batch rows an earlier process sent, by the custom ids they hold.
        var earlier: [String: BatchRecord] = [:]
        /// Batch rows being polled.
        var polling: Set<Int64> = []
        /// Batches this process will not wait for: their calls are left to a resume.
        var parkedBatches: Set<Int64> = []
        /// What progress last said of each batch.
        var told: [Int64: String] = [:]
        /// The run was cancelled: its batches are left to a resume, as with `--no-wait`.
        var leaving = false
    }

    let model: ModelEntry
    let settings: BatchSettings
    private let api: any BatchAPI
    /// The provider's limits on a batch, lowered to the settings'.
    private let limits: BatchLimits
    private let client: HTTPClient
    private let store: ResultStore
    private let secrets: [String]
    /// How a call is sent as an ordinary call, for `settings.fallback`.
    private let ordinary: any ExecutionStrategy
    private let state = Mutex(State())
    /// Where batches are recorded, submitted, polled and collected, one step at a time.
    private let queue = DispatchQueue(label: "tradeoff.batches")

    init(model: ModelEntry, apiKey: String?, client: HTTPClient, store: ResultStore, settings: BatchSettings,
         caBundle: String?, ordinary: any ExecutionStrategy) {
        self.ordinary = ordinary
        self.model = model
        self.settings = settings
        self.client = client
        self.store = store
        api = Self.api(for: model, apiKey: apiKey, caBundle: caBundle)
        limits = api.limits.lowered(requests: settings.maxRequests, bytes: settings.maxBytes)
        secrets = [apiKey].compactMap { $0 } + model.baseURLSecrets
    }

    /// The batch API of `model`'s provider.
    static func api(for model: ModelEntry, apiKey: String?, caBundle: String?) -> any BatchAPI {
        switch model.provider {
        case .anthropic: AnthropicBatch(model: model, apiKey: apiKey, caBundle: caBundle)
        case .gemini: GeminiBatch(model: model, apiKey: apiKey, caBundle: caBundle)
        default: OpenAIBatch(model: model, apiKey: apiKey, caBundle: caBundle)
        }
    }

    /// Whether the run waits for its batches now.
    private var waits: Bool { settings.wait && !state.withLock { $0.leaving } }

    /// Stops waiting for the batches (the run was cancelled): those sent are left to a resume,
    /// and those being sent will be once they are. On the batches' queue, so no batch is half
    /// collected when it is left.
    func leaveToResume() {
        queue.async {
            let onParked = self.state.withLock { state in
                state.leaving = true
                state.parkedBatches.formUnion(state.polling)
                state.polling.removeAll()
                return state.onParked
            }
            onParked?()
        }
    }

    var parked: Int {
        state.withLock { state in state.parkedBatches.reduce(0) { $0 + (state.inBatch[$1]?.count ?? 0) } }
    }

    /// Takes up run `runID`'s batches of this model that an earlier process sent.
    ///
    /// - Parameter onParked: called when calls are left in batches the run will not wait for.
    /// - Throws: `StoreError`; `CallError` when an intent must be looked for and the provider's
    ///   batches cannot be listed (sending it again could send its calls twice).
    func begin(runID: Int64, onParked: @escaping @Sendable () -> Void) throws {
        var earlier: [String: BatchRecord] = [:]
        var providerIDs: [Int64: String] = [:]
        // Every model's rows: a batch found for one model's intent is not another's.
        let all = try store.batches(ofRun: runID)
        let known = Set(all.compactMap(\.providerBatchId))
        // Only the intents of models on the same API and host could have made this listing's
        // batches (Anthropic's match counts the rivals of an intent).
        let record = RunModelRecord(runId: runID, entry: model)
        let peers = Set(try store.models(ofRun: runID).filter { $0.provider == record.provider && $0.baseUrl == record.baseUrl }
            .map(\.modelId))
        let unresolved = all.filter { $0.providerBatchId == nil && $0.status != "abandoned" && peers.contains($0.modelId) }
        for var batch in all where batch.modelId == model.id && batch.status != "abandoned" {
            guard let id = batch.id else { continue }
            if batch.providerBatchId == nil {
                guard let found = try api.find(batch, among: unresolved, excluding: known, via: client).get() else {
                    try store.updateBatch(id, status: "abandoned")
                    continue
                }
                try store.updateBatch(id, providerBatchID: found.id, status: "submitted")
                batch.providerBatchId = found.id
            }
            providerIDs[id] = batch.providerBatchId
            // A later batch of the same call (a retry) supersedes the earlier.
            for key in batch.customIDs { earlier[key] = batch }
        }
        state.withLock {
            $0.runID = runID
            $0.onParked = onParked
            $0.earlier = earlier
            $0.providerIDs.merge(providerIDs) { $1 }
        }
    }

    func execute(_ order: consuming CallExecutor.Order, on executor: CallExecutor,
                 completion: @escaping @Sendable (CallExecutor.Execution) -> Void) {
        var call = Call(order: copy order, entry: Data(), round: 1, startedAt: Date(), completion: completion)
        enum Next { case gathered(full: Bool), poll(Int64), parked((@Sendable () -> Void)?), nothing }
        let next = state.withLock { state -> Next in
            if let batch = state.earlier.removeValue(forKey: order.key), let id = batch.id {
                // Sent by an earlier process: the call waits for that batch.
                call.round = batch.round
                state.inBatch[id, default: [:]][order.key] = call
                if state.parkedBatches.contains(id) { return .parked(state.onParked) }
                return state.polling.insert(id).inserted ? .poll(id) : .nothing
            }
            call.entry = api.entry(customID: order.key, chat: order.chat)
            state.gathered.append(call)
            return .gathered(full: state.gathered.count >= limits.maxRequests)
        }
        switch next {
        case .gathered(let full): if full { flush(on: executor) }
        case .poll(let id): queue.async { self.poll(id, after: self.settings.pollSeconds, on: executor) }
        case .parked(let onParked): onParked?()
        case .nothing: break
        }
    }

    func laneIdle(_ lane: Int, on executor: CallExecutor) {
        flush(on: executor)
    }

    /// Submits the calls gathered, in batches within the limits.
    private func flush(on executor: CallExecutor) {
        let (calls, runID) = state.withLock { state in
            defer { state.gathered = [] }
            return (state.gathered, state.runID)
        }
        guard !calls.isEmpty, let runID else { return }
        for chunk in limits.chunks(calls, size: { $0.entry.count }) {
            queue.async { self.submit(chunk, runID: runID, on: executor) }
        }
    }

    /// Records the batch, uploads its file, creates it, and starts looking at it.
    private func submit(_ calls: [Call], runID: Int64, on executor: CallExecutor) {
        let tag = "tradeoff-\(runID)-" + UUID().uuidString.lowercased()
        let intent: BatchRecord
        do {
            intent = try store.recordBatchIntent(BatchRecord(runId: runID, modelId: model.id, tag: tag,
                                                             round: calls.map(\.round).max() ?? 1, customIDs: calls.map(\.key)))
        } catch {
            return fail(calls, CallError(.connection, "the batch could not be recorded before sending it: \(error)"),
                        on: executor)
        }
        guard let id = intent.id else { return }
        state.withLock { state in
            for call in calls { state.inBatch[id, default: [:]][call.key] = call }
        }
        let known = Set(((try? store.batches(ofRun: runID)) ?? []).compactMap(\.providerBatchId))
        let created = api.submit(calls.map(\.entry), tag: tag, intentAt: intent.createdAt, excluding: known,
                                 via: client) { fileID in
            try? store.updateBatch(id, inputFileID: fileID, status: "uploaded")
        }
        switch created {
        case .failure(let error):
            abandon(id, error, on: executor)
        case .success(let batch):
            // Not written (a full disk): a resume finds the batch (`BatchAPI.find`).
            try? store.updateBatch(id, providerBatchID: batch.id, status: "submitted")
            state.withLock { $0.providerIDs[id] = batch.id }
            executor.note?("\(model.id): batch \(batch.id) submitted, \(calls.count) requests")
            if waits {
                state.withLock { _ = $0.polling.insert(id) }
                queue.asyncAfter(deadline: .now() + settings.pollSeconds) {
                    self.poll(id, after: self.settings.pollSeconds, on: executor)
                }
            } else {
                park(id)
            }
        }
    }

    /// Looks at a batch: collects it when it is over, else looks again after `interval` (or,
    /// when the run does not wait, leaves it to a resume).
    private func poll(_ id: Int64, after interval: Double, on executor: CallExecutor) {
        guard !state.withLock({ $0.leaving }) else { return }
        guard let providerID = state.withLock({ $0.providerIDs[id] }) else { return }
        let next = min(settings.maxPollSeconds, max(interval * 1.5, 0.001))
        switch api.status(of: providerID, via: client) {
        case .failure(let error):
            let said = Secrets.redact(error.description, secrets)
            executor.note?("\(model.id): \(said); looking again in \(Int(next.rounded(.up)))s")
        case .success(let batch):
            let text = batch.progressText
            if state.withLock({ $0.told.updateValue(text, forKey: id) }) != text {
                executor.note?("\(model.id): batch \(providerID) \(text)")
                try? store.updateBatch(id, status: batch.status)
            }
            if batch.isOver, collect(id, batch, on: executor) { return }
            if !waits && !batch.isOver { return park(id) }
        }
        queue.asyncAfter(deadline: .now() + interval) { self.poll(id, after: next, on: executor) }
    }

    /// Reads a finished batch's files and hands each call its outcome; requests that a retry may
    /// fix go into a new batch. Returns false when the files could not be read (look again).
    private func collect(_ id: Int64, _ batch: BatchState, on executor: CallExecutor) -> Bool {
        var again: [Call] = []
        var finished: [(Call, Result<ProviderReply, CallError>)] = []
        // Calls of a batch an earlier process sent may still be handed over while its results
        // are read: each round takes those handed over so far, until none is left.
        while true {
            let calls = state.withLock { state in
                let calls = state.inBatch.removeValue(forKey: id) ?? [:]
                if calls.isEmpty { state.polling.remove(id) }
                return calls
            }
            if calls.isEmpty { break }
            let outcomes: [String: Result<ProviderReply, CallError>]
            switch api.outcomes(of: batch, chats: calls.mapValues(\.chat), secrets: secrets, via: client) {
            case .success(let read): outcomes = read
            case .failure:
                state.withLock { $0.inBatch[id, default: [:]].merge(calls) { old, _ in old } }
                return false
            }
            for call in calls.values {
                // A batch cancelled on purpose: its unanswered requests are not sent again.
                let cancelled = ["cancelled", "cancelling"].contains(batch.status)
                let outcome = outcomes[call.key]
                    ?? .failure(CallError(.timeout, "batch \(batch.id) ended \(batch.status) without an answer to this request",
                                          shouldRetry: cancelled ? false : nil))
                if case .failure(let error) = outcome, RetryPolicy.isRetryable(error), call.round < settings.maxRounds {
                    again.append(call)
                } else {
                    finished.append((call, outcome))
                }
            }
        }
        // Recorded before the calls are handed their outcomes: a run that ends with its last call
        // finds the batch collected.
        try? store.updateBatch(id, status: "collected")
        for (call, outcome) in finished { complete(call, outcome, on: executor) }
        retry(again, from: batch, on: executor)
        return true
    }

    /// Sends again the calls whose requests expired or failed in a way a retry may fix: in a new
    /// batch, or with `settings.fallback` at once as ordinary calls (each keeps the slot its
    /// batched call took).
    private func retry(_ calls: [Call], from batch: BatchState, on executor: CallExecutor) {
        guard !calls.isEmpty else { return }
        if settings.fallback {
            executor.note?("\(model.id): \(calls.count) requests of batch \(batch.id) expired or failed; "
                           + "sending them as ordinary calls (--batch-fallback)")
            for call in calls {
                executor.queue.async {
                    self.ordinary.execute(call.order, on: executor) { execution in
                        var execution = execution
                        execution.batchFallback = true
                        call.completion(execution)
                    }
                }
            }
            return
        }
        let retries = calls.map { call in
            var retry = call
            retry.round += 1
            if retry.entry.isEmpty { retry.entry = api.entry(customID: call.key, chat: call.chat) }
            return retry
        }
        executor.note?("\(model.id): \(calls.count) requests of batch \(batch.id) expired or failed; sending them in a new batch")
        state.withLock { $0.gathered.append(contentsOf: retries) }
        flush(on: executor)
    }

    /// The batch could not be submitted: its calls end with `error`.
    private func abandon(_ id: Int64, _ error: CallError, on executor: CallExecutor) {
        try? store.updateBatch(id, status: "abandoned")
        let calls = state.withLock { $0.inBatch.removeValue(forKey: id) ?? [:] }
        fail(Array(calls.values), error, on: executor)
    }

    private func fail(_ calls: [Call], _ error: CallError, on executor: CallExecutor) {
        var error = error
        error.message = Secrets.redact(error.message, secrets)
        for call in calls { complete(call, .failure(error), on: executor) }
    }

    /// The batch's calls are left to a resume.
    private func park(_ id: Int64) {
        let onParked = state.withLock { state in
            state.polling.remove(id)
            state.parkedBatches.insert(id)
            return state.onParked
        }
        onParked?()
    }

    /// Hands a call its outcome, on the executor's queue; its `attempts` are its batches.
    private func complete(_ call: Call, _ outcome: Result<ProviderReply, CallError>, on executor: CallExecutor) {
        var attempts = CallAttempts(policy: .standard)
        for _ in 0..<call.round { attempts.start() }
        let execution = CallExecutor.Execution(outcome: outcome, timings: TransferTimings(), attempts: attempts,
                                               startedAt: call.startedAt, batched: true)
        executor.queue.async { call.completion(execution) }
    }
}
