import Dispatch
import Synchronization

/// Writes call rows (with their judge calls) as they come, batching the ones that arrive close together into one
/// transaction, so a crash loses at most the last few milliseconds of results.
final class BatchWriter: Sendable {
    private struct State {
        var buffer: [GradedCall] = []
        var failure: StoreError?
    }

    private let store: ResultStore
    private let queue = DispatchQueue(label: "tradeoff.store.writer")
    private let state = Mutex(State())
    private let maxDelay: DispatchTimeInterval
    private let maxBatch: Int

    init(store: ResultStore, maxDelay: DispatchTimeInterval = .milliseconds(50), maxBatch: Int = 256) {
        self.store = store
        self.maxDelay = maxDelay
        self.maxBatch = maxBatch
    }

    /// The first write error, if any: once set, results are no longer being saved.
    var failure: StoreError? { state.withLock { $0.failure } }

    /// Queues `call` for writing.
    func add(_ call: CallRecord) { add(GradedCall(call)) }

    /// Queues a call and its judge calls for writing, together.
    func add(_ call: consuming GradedCall) {
        // Moved into the buffer: appending the parameter from inside the lock's closure copied it.
        var pending = Optional(call)
        let count = state.withLock { state in
            state.buffer.append(pending.take()!)
            return state.buffer.count
        }
        if count == 1 {
            queue.asyncAfter(deadline: .now() + maxDelay) { self.flush() }
        } else if count == maxBatch {
            queue.async { self.flush() }
        }
    }

    /// Writes everything queued and waits for it.
    func close() throws(StoreError) {
        queue.sync { flush() }
        if let failure { throw failure }
    }

    private func flush() {
        let batch = state.withLock { state in
            defer { state.buffer.removeAll(keepingCapacity: true) }
            return state.buffer
        }
        guard !batch.isEmpty else { return }
        do {
            try store.record(batch)
        } catch {
            let storeError = error as? StoreError ?? StoreError(path: store.path, underlying: error)
            state.withLock { state in
                if state.failure == nil { state.failure = storeError }
            }
        }
    }
}
