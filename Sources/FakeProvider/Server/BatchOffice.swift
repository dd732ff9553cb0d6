import Synchronization

/// The files and batches of the OpenAI Batch API the server keeps, in memory.
///
/// A batch's requests are answered when it is created (by the same responder as single
/// calls); each `GET` of it then moves it one step on — `validating`, `in_progress`,
/// `finalizing`, then `completed` (or `expired` when requests were expired) — unless batches
/// are held. The output file lists the answers in an order of its own, not the input's.
final class BatchOffice: Sendable {
    struct Batch: Sendable {
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
            let lose = state.loseCreateLeft > 0
            if lose { state.loseCreateLeft -= 1 }
            return (batch, lose)
        }
    }

    /// The batch, moved one step on.
    func poll(_ id: String) -> Batch? {
        state.withLock { state in
            guard var batch = state.batches[id] else { return nil }
            switch batch.status {
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

    /// The newest `limit` batches, newest first.
    func list(limit: Int) -> [Batch] {
        state.withLock { state in
            Array(state.batches.values.sorted { $0.sequence > $1.sequence }.prefix(limit))
        }
    }

    /// Lets held batches finish.
    func release() {
        state.withLock { $0.held = false }
    }

    /// Batches created so far.
    var createdCount: Int { state.withLock { $0.created } }
}
