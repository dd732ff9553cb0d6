import Foundation
import Synchronization

/// The files and batches of the OpenAI Batch API and Anthropic's Message Batches the server
/// keeps, in memory.
///
/// A batch's requests are answered when it is created (by the same responder as single
/// calls); each `GET` of it then moves it one step on — OpenAI's `validating`, `in_progress`,
/// `finalizing`, then `completed` (or `expired` when requests were expired); Anthropic's
/// `in_progress` then `ended` — unless batches are held. A cancel moves it to `cancelling`
/// (`canceling`), and the next look to `cancelled` (`ended`) with none of its requests answered.
/// The output file (results) lists the answers in an order of its own, not the input's.
final class BatchOffice: Sendable {
    /// Whose batch API a batch was made through.
    enum API: Sendable {
        case openAI, anthropic, gemini
    }

    struct Batch: Sendable {
        var api: API = .openAI
        var id: String
        var inputFileID: String
        var status: String
        var metadata: [(String, String)]
        var total: Int
        var failed: Int
        var output: [UInt8]
        var errors: [UInt8]
        var outputFileID: String?
        var errorFileID: String?
        var expired: Bool
        /// Creation order, newest highest, for the listing.
        var sequence: Int
        /// The custom ids of its requests, in the order they were sent.
        var customIDs: [String] = []
        /// Anthropic: each request's result type (`succeeded`, `errored`, `expired`, `canceled`), by custom id.
        var resultTypes: [String: String] = [:]
        /// Whether it was cancelled before it ended: none of its requests is answered.
        var cancelled = false
        var createdAt = Date()
        /// The model its requests name, for counting each request's submissions.
        var model = ""
    }

    private struct State: Sendable {
        var files: [String: [UInt8]] = [:]
        var batches: [String: Batch] = [:]
        var created = 0
        var uploads = 0
        var held: Bool
        var expireLeft: Int
        var errorLeft: Int
        var loseCreateLeft: Int
        var cancels = 0
        /// Batches each request was submitted in, by `model custom_id`.
        var submissions: [String: Int] = [:]
        /// Where replies are withheld, and whether the request is acted on first.
        var gate: (step: BatchStep, acting: Bool)?
        var withheld = 0
    }

    private let state: Mutex<State>

    init(_ config: FakeProviderConfig.Batches) {
        state = Mutex(State(held: config.held, expireLeft: config.expireRequests, errorLeft: config.errorRequests,
                            loseCreateLeft: config.loseCreateReplies))
    }

    /// Keeps an uploaded file; returns its id.
    func store(file: [UInt8]) -> String {
        let id = "file-" + RandomID.alphanumeric(count: 24)
        state.withLock {
            $0.files[id] = file
            $0.uploads += 1
        }
        return id
    }

    func file(_ id: String) -> [UInt8]? {
        state.withLock { $0.files[id] }
    }

    /// What happens to each request of a new batch, drawn from the faults left.
    enum Fate: Sendable {
        case run, expire, fail
    }

    /// Takes the fates of `count` new requests from the faults left.
    func fates(count: Int) -> [Fate] {
        state.withLock { state in
            (0..<count).map { _ in
                if state.expireLeft > 0 {
                    state.expireLeft -= 1
                    return .expire
                }
                if state.errorLeft > 0 {
                    state.errorLeft -= 1
                    return .fail
                }
                return .run
            }
        }
    }

    /// Records a new batch; returns it, and whether its reply is to be lost.
    func create(_ batch: Batch) -> (Batch, loseReply: Bool) {
        state.withLock { state in
            var batch = batch
            state.created += 1
            batch.sequence = state.created
            state.batches[batch.id] = batch
            for customID in batch.customIDs { state.submissions[batch.model + " " + customID, default: 0] += 1 }
            let lose = state.loseCreateLeft > 0
            if lose { state.loseCreateLeft -= 1 }
            return (batch, lose)
        }
    }

    /// The batch, moved one step on.
    func poll(_ id: String) -> Batch? {
        state.withLock { state in
            guard var batch = state.batches[id] else { return nil }
            if batch.api == .gemini {
                switch batch.status {
                case "BATCH_STATE_PENDING": batch.status = "BATCH_STATE_RUNNING"
                case "BATCH_STATE_RUNNING" where !state.held: batch.status = "BATCH_STATE_SUCCEEDED"
                default: break
                }
                state.batches[id] = batch
                return batch
            }
            if batch.api == .anthropic {
                switch batch.status {
                case "in_progress" where !state.held, "canceling": batch.status = "ended"
                default: break
                }
                state.batches[id] = batch
                return batch
            }
            switch batch.status {
            case "cancelling": batch.status = "cancelled"
            case "validating": batch.status = "in_progress"
            case "in_progress" where !state.held: batch.status = "finalizing"
            case "finalizing":
                batch.status = batch.expired ? "expired" : "completed"
                if !batch.output.isEmpty {
                    let fileID = "file-" + RandomID.alphanumeric(count: 24)
                    state.files[fileID] = batch.output
                    batch.outputFileID = fileID
                }
                if !batch.errors.isEmpty {
                    let fileID = "file-" + RandomID.alphanumeric(count: 24)
                    state.files[fileID] = batch.errors
                    batch.errorFileID = fileID
                }
            default: break
            }
            state.batches[id] = batch
            return batch
        }
    }

    /// A page of the batches of `api`, newest first: the `limit` newest, or with `after` (a
    /// batch's id, the cursor) the `limit` made before that one; and whether older ones remain.
    func list(limit: Int, api: API = .openAI, after: String? = nil) -> (page: [Batch], hasMore: Bool) {
        state.withLock { state in
            let below = after.flatMap { state.batches[$0]?.sequence } ?? Int.max
            let older = state.batches.values.filter { $0.api == api && $0.sequence < below }.sorted { $0.sequence > $1.sequence }
            return (Array(older.prefix(limit)), older.count > limit)
        }
    }

    /// Cancels a batch that has not ended: it is `cancelling` (OpenAI) or `canceling`
    /// (Anthropic) until the next look, then over with none of its requests answered. A batch
    /// already over is returned as it is. Nil for an unknown id.
    func cancel(_ id: String) -> Batch? {
        state.withLock { state in
            guard var batch = state.batches[id] else { return nil }
            let open = switch batch.api {
            case .anthropic: batch.status == "in_progress"
            case .gemini: ["BATCH_STATE_PENDING", "BATCH_STATE_RUNNING"].contains(batch.status)
            case .openAI: ["validating", "in_progress", "finalizing"].contains(batch.status)
            }
            guard open else { return batch }
            state.cancels += 1
            batch.cancelled = true
            batch.status = switch batch.api {
            case .anthropic: "canceling"
            case .gemini: "BATCH_STATE_CANCELLED"
            case .openAI: "cancelling"
            }
            batch.output = []
            batch.errors = []
            batch.failed = 0
            for key in batch.customIDs { batch.resultTypes[key] = "canceled" }
            state.batches[id] = batch
            return batch
        }
    }

    /// A batch as it is, without moving it on.
    func batch(_ id: String) -> Batch? {
        state.withLock { $0.batches[id] }
    }

    /// Lets held batches finish.
    func release() {
        state.withLock { $0.held = false }
    }

    /// How many batches each request was submitted in, by `model custom_id`.
    var submissions: [String: Int] { state.withLock { $0.submissions } }

    /// Withholds every reply at `step` from now on; with `acting`, the request takes effect first.
    func withhold(at step: BatchStep?, acting: Bool) {
        state.withLock {
            $0.gate = step.map { ($0, acting) }
            $0.withheld = 0
        }
    }

    /// Requests whose reply was withheld since `withhold(at:acting:)`.
    var withheldCount: Int { state.withLock { $0.withheld } }

    /// The reply `make` gives, or none at all (the request hangs) when replies at `step` are
    /// withheld; `make` is still called first when the gate acts.
    func gated(_ step: BatchStep, _ make: () -> Reply) -> Reply {
        guard let acting = state.withLock({ state in state.gate.flatMap { $0.step == step ? $0.acting : nil } }) else {
            return make()
        }
        if acting { _ = make() }
        state.withLock { $0.withheld += 1 }
        return Reply(status: .ok, headers: [], body: .hang)
    }

    /// Batches created so far.
    var createdCount: Int { state.withLock { $0.created } }

    /// Batches of `api` created so far.
    func createdCount(api: API) -> Int {
        state.withLock { $0.batches.values.filter { $0.api == api }.count }
    }

    /// Batches cancelled so far (before they ended).
    var cancelledCount: Int { state.withLock { $0.cancels } }
}
