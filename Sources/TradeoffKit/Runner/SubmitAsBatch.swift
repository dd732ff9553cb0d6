import Dispatch
import Foundation
import Synchronization

/// Sends one model's calls through its provider's batch API (OpenAI's): gathers the calls its
/// lane hands over, and once the lane has nothing more to start, submits them in batches within
/// the provider's limits, polls each batch with backoff, and hands each call its answer from
/// the output or error file, matched by `custom_id` (the call's `Order.key`).
///
/// A batch outlives the process. Before anything is sent, the batch is recorded (`batches`: the
/// run, the model, the custom ids, a unique tag); then the input file's id, then the provider's
/// batch id. `begin` reconciles what an earlier process left: a batch with a provider id is
/// polled and collected, never sent again; an intent without one is looked for among the
/// provider's newest batches by the tag in its metadata — found, it is adopted; not found, the
/// provider never got it, so it is marked `abandoned` and its calls are submitted anew. (The
/// listing read is the newest 100 batches: a batch created and lost must be resumed before
/// 100 newer ones are made on the account.)
///
/// Requests that expired or failed in a way a retry may fix go into a new batch, up to
/// `maxRounds` batches per call; the call's `attempts` counts its batches.
final class SubmitAsBatch: ExecutionStrategy {
    private struct Call: Sendable {
        var key: String
        var chat: ChatRequest
        var line: Data
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
    private let api: OpenAIBatch
    private let client: HTTPClient
    private let store: ResultStore
    private let secrets: [String]
    private let state = Mutex(State())
    /// Where batches are recorded, submitted, polled and collected, one step at a time.
    private let queue = DispatchQueue(label: "tradeoff.batches")

    init(model: ModelEntry, apiKey: String?, client: HTTPClient, store: ResultStore, settings: BatchSettings,
         caBundle: String?) {
        self.model = model
        self.settings = settings
        self.client = client
        self.store = store
        api = OpenAIBatch(model: model, apiKey: apiKey, caBundle: caBundle)
        secrets = [apiKey].compactMap { $0 } + model.baseURLSecrets
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
        var listing: [OpenAIBatch.Status]?
        for var batch in try store.batches(ofRun: runID, model: model.id) where batch.status != "abandoned" {
            guard let id = batch.id else { continue }
            if batch.providerBatchId == nil {
                if listing == nil {
                    listing = try OpenAIBatch.decoded(OpenAIBatch.Listing.self, from: client.sendAndWait(api.list()),
                                                      doing: "listing the batches to resume", model: model).get().data
                }
                guard let found = listing?.first(where: { $0.metadata?[OpenAIBatch.tagKey] == batch.tag }) else {
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

    func execute(_ order: CallExecutor.Order, on executor: CallExecutor,
                 completion: @escaping @Sendable (CallExecutor.Execution) -> Void) {
        var call = Call(key: order.key, chat: order.chat, line: Data(), round: 1, startedAt: Date(), completion: completion)
        enum Next { case gathered(full: Bool), poll(Int64), parked((@Sendable () -> Void)?), nothing }
        let next = state.withLock { state -> Next in
            if let batch = state.earlier.removeValue(forKey: order.key), let id = batch.id {
                // Sent by an earlier process: the call waits for that batch.
                call.round = batch.round
                state.inBatch[id, default: [:]][order.key] = call
                if state.parkedBatches.contains(id) { return .parked(state.onParked) }
                return state.polling.insert(id).inserted ? .poll(id) : .nothing
            }
            call.line = OpenAIBatch.line(customID: order.key, chat: order.chat, model: model)
            state.gathered.append(call)
            return .gathered(full: state.gathered.count >= settings.maxRequests)
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
        let limits = OpenAIBatch.Limits(maxRequests: settings.maxRequests, maxBytes: settings.maxBytes)
        for chunk in OpenAIBatch.chunks(calls, size: { $0.line.count }, within: limits) {
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
        let jsonl = calls.reduce(into: Data()) { $0.append($1.line) }
        let file: OpenAIBatch.File
        switch OpenAIBatch.decoded(OpenAIBatch.File.self, from: client.sendAndWait(api.upload(jsonl)),
                                   doing: "uploading the batch's input file", model: model) {
        case .failure(let error): return abandon(id, error, on: executor)
        case .success(let uploaded): file = uploaded
        }
        try? store.updateBatch(id, inputFileID: file.id, status: "uploaded")
        var created = OpenAIBatch.decoded(OpenAIBatch.Status.self, from: client.sendAndWait(api.create(inputFileID: file.id, tag: tag)),
                                          doing: "creating the batch", model: model)
        if case .failure = created {
            // The provider may have made the batch and its answer been lost: look before sending again.
            let listed = OpenAIBatch.decoded(OpenAIBatch.Listing.self, from: client.sendAndWait(api.list()),
                                             doing: "listing the batches", model: model)
            if case .success(let listing) = listed {
                if let found = listing.data.first(where: { $0.metadata?[OpenAIBatch.tagKey] == tag }) {
                    created = .success(found)
                } else {
                    created = OpenAIBatch.decoded(OpenAIBatch.Status.self,
                                                  from: client.sendAndWait(api.create(inputFileID: file.id, tag: tag)),
                                                  doing: "creating the batch", model: model)
                }
            }
        }
        switch created {
        case .failure(let error):
            abandon(id, error, on: executor)
        case .success(let batch):
            // Not written (a full disk): a resume finds the batch by its tag.
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
        switch OpenAIBatch.decoded(OpenAIBatch.Status.self, from: client.sendAndWait(api.status(of: providerID)),
                                   doing: "reading batch \(providerID)", model: model) {
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
    private func collect(_ id: Int64, _ batch: OpenAIBatch.Status, on executor: CallExecutor) -> Bool {
        var lines: [String: OpenAIBatch.ResultLine] = [:]
        for fileID in [batch.outputFileID, batch.errorFileID].compactMap({ $0 }) {
            guard case .success(let response) = client.sendAndWait(api.content(of: fileID)),
                  (200..<300).contains(response.status) else { return false }
            for line in OpenAIBatch.results(in: response.body) { lines[line.customID] = line }
        }
        let calls = state.withLock { state in
            state.polling.remove(id)
            return state.inBatch.removeValue(forKey: id) ?? [:]
        }
        var again: [Call] = []
        for call in calls.values {
            let outcome = lines[call.key].map { OpenAIBatch.outcome(of: $0, for: call.chat, model: model, secrets: secrets) }
                ?? .failure(CallError(.timeout, "batch \(batch.id) ended \(batch.status) without an answer to this request"))
            if case .failure(let error) = outcome, RetryPolicy.isRetryable(error), call.round < settings.maxRounds {
                var retry = call
                retry.round += 1
                if retry.line.isEmpty { retry.line = OpenAIBatch.line(customID: call.key, chat: call.chat, model: model) }
                again.append(retry)
            } else {
                complete(call, outcome, on: executor)
            }
        }
        try? store.updateBatch(id, status: "collected")
        if !again.isEmpty {
            executor.note?("\(model.id): \(again.count) requests of batch \(batch.id) expired or failed; sending them in a new batch")
            state.withLock { $0.gathered.append(contentsOf: again) }
            flush(on: executor)
        }
        return true
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
