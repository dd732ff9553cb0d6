import Dispatch
import Foundation
import Synchronization

extension ResultStore {
    /// `readReportCalls(ofRun:_:)` with the reading on a thread of its own: SQLite steps through
    /// the rows and decodes them there while `body` takes them in, in the same order, on the
    /// caller's thread. A report of a million calls spends a third of its CPU in SQLite, so the
    /// two halves run side by side on two cores instead of one after the other.
    ///
    /// At most `depth` batches of `batchSize` calls wait between the two (a few megabytes).
    /// When `body` throws, reading stops and the error is rethrown once the reader has let go
    /// of the database.
    public func readReportCallsAhead(ofRun runID: Int64, batchSize: Int = 4096, depth: Int = 4,
                                     _ body: (ReportCall) throws -> Void) throws -> StoredCalls {
        let handOff = CallHandOff(depth: depth)
        let thread = Thread { [self] in
            var batch: [ReportCall] = []
            batch.reserveCapacity(batchSize)
            let result = Result {
                try readReportCalls(ofRun: runID) { call in
                    batch.append(call)
                    guard batch.count == batchSize else { return }
                    try handOff.send(batch)
                    batch = []
                    batch.reserveCapacity(batchSize)
                }
            }
            if case .success = result, !batch.isEmpty { try? handOff.send(batch) }
            handOff.finish(result)
        }
        thread.name = "tradeoff.read-ahead"
        thread.start()
        do {
            while let batch = handOff.receive() {
                for call in batch { try body(call) }
            }
        } catch {
            handOff.cancel()
            _ = handOff.waitForResult()
            throw error
        }
        return try handOff.waitForResult().get()
    }
}

/// Batches of calls passed from one reading thread to one taking thread, in order, with a
/// bounded number waiting; the reader's outcome at the end.
private final class CallHandOff: Sendable {
    private struct State {
        var batches: [[ReportCall]] = []
        var result: Result<StoredCalls, any Error>?
        var cancelled = false
    }

    private struct Cancelled: Error {}

    private let state = Mutex(State())
    /// Signalled for each batch sent and once at the end.
    private let available = DispatchSemaphore(value: 0)
    /// Room for batches not yet taken.
    private let room: DispatchSemaphore
    /// Signalled when the reader has finished.
    private let done = DispatchSemaphore(value: 0)

    init(depth: Int) {
        room = DispatchSemaphore(value: max(1, depth))
    }

    /// Waits for room, then passes `batch` on; throws once the taker has given up.
    func send(_ batch: [ReportCall]) throws {
        room.wait()
        let cancelled = state.withLock { state in
            if !state.cancelled { state.batches.append(batch) }
            return state.cancelled
        }
        if cancelled { throw Cancelled() }
        available.signal()
    }

    /// Records how reading ended and wakes the taker.
    func finish(_ result: Result<StoredCalls, any Error>) {
        state.withLock { $0.result = result }
        available.signal()
        done.signal()
    }

    /// The next batch, or nil once the reader has finished and every batch was taken.
    func receive() -> [ReportCall]? {
        while true {
            available.wait()
            let batch: [ReportCall]? = state.withLock { state in
                state.batches.isEmpty ? nil : state.batches.removeFirst()
            }
            if let batch {
                room.signal()
                return batch
            }
            // The end's signal: every batch sent before it has been taken.
            if state.withLock({ $0.result != nil }) { return nil }
        }
    }

    /// Stops the reader: its next send throws (a send waiting for room is let through).
    func cancel() {
        state.withLock { $0.cancelled = true }
        room.signal()
    }

    /// Waits for the reader to finish and returns how it ended.
    func waitForResult() -> Result<StoredCalls, any Error> {
        done.wait()
        return state.withLock { $0.result! }
    }
}
