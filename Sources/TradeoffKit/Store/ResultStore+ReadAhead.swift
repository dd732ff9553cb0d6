import Dispatch
import Foundation
import Synchronization

extension ResultStore {
    /// `readReportCalls(ofRun:_:)` with the reading on a thread of its own: SQLite steps through
    /// the rows there and each row's columns are copied (`CopiedRows`), while on the caller's
    /// thread the copies are decoded into calls and `body` takes them in, in the same order. A
    /// report of a million calls spends a third of its CPU in SQLite, so the two halves run side
    /// by side on two cores instead of one after the other. The reading thread only copies: when
    /// it decoded the calls too it was the report's critical path, at 100% of a core, while the
    /// other core had time to spare.
    ///
    /// At most `depth` batches of `batchSize` rows wait between the two (a few megabytes).
    /// When `body` throws, reading stops and the error is rethrown once the reader has let go
    /// of the database.
    ///
    /// - Parameters:
    ///   - meanwhile: Run on the caller's thread once reading has begun, before the first call
    ///     is taken: what `body` needs that is read too (a report's cases, 0.3 s of a million
    ///     calls' report, no longer before SQLite starts). An error it throws stops the reader as
    ///     `body`'s does. Up to `startDepth` batches wait meanwhile.
    public func readReportCallsAhead(ofRun runID: Int64, batchSize: Int = 4096, depth: Int = 4, startDepth: Int = 4,
                                     meanwhile: () throws -> Void = {},
                                     _ body: (ReportCall) throws -> Void) throws -> StoredCalls {
        let handOff = RowHandOff(depth: depth, startDepth: startDepth)
        let thread = Thread { [self] in
            var batch = CopiedRows(kinds: ReportCallRow.kinds, reservingRows: batchSize)
            let result = Result {
                try scanReportRows(ofRun: runID) { row in
                    row.copy(to: &batch)
                    guard batch.count == batchSize else { return }
                    let textBytes = batch.textBytes
                    try handOff.send(batch)
                    batch = CopiedRows(kinds: ReportCallRow.kinds, reservingRows: batchSize,
                                       textBytes: textBytes + textBytes / 16)
                }
            }
            if case .success = result, batch.count > 0 { try? handOff.send(batch) }
            handOff.finish(result)
        }
        thread.name = "tradeoff.read-ahead"
        thread.start()
        var decoder = ReportCallRow(runID: runID)
        var rowIDs: [Int64] = []
        do {
            try meanwhile()
            handOff.started()
            while let batch = handOff.receive() {
                try batch.forEach { row in
                    let call = decoder.call(from: row)
                    rowIDs.append(call.id ?? -1)
                    try body(call)
                }
            }
        } catch {
            handOff.cancel()
            _ = handOff.waitForResult()
            throw error
        }
        try handOff.waitForResult().get()
        return StoredCalls(store: self, runID: runID, rowIDs: rowIDs)
    }
}

/// Batches of copied rows passed from one reading thread to one taking thread, in order, with a
/// bounded number waiting; the reader's outcome at the end.
private final class RowHandOff: Sendable {
    private struct State {
        var batches: [CopiedRows] = []
        var result: Result<Void, any Error>?
        var cancelled = false
        /// Slots of room not given back when a batch is taken (`started()`).
        var owedRoom = 0
    }

    private struct Cancelled: Error {}

    private let state = Mutex(State())
    /// Signalled for each batch sent and once at the end.
    private let available = DispatchSemaphore(value: 0)
    /// Room for batches not yet taken.
    private let room: DispatchSemaphore
    /// Signalled when the reader has finished.
    private let done = DispatchSemaphore(value: 0)
    /// The room given before the taker starts beyond `depth`, taken back as it starts.
    private let extra: Int

    init(depth: Int, startDepth: Int) {
        let depth = max(1, depth)
        extra = max(0, startDepth - depth)
        // Counted up from 0, not created at `depth + extra`: libdispatch stops the process when a
        // semaphore is freed below the value it was created with, as the room kept back is.
        room = DispatchSemaphore(value: 0)
        for _ in 0..<(depth + extra) { room.signal() }
    }

    /// The taker begins taking: the room beyond `depth` is taken back, each slot as soon as a
    /// batch frees it (so at most `depth` wait from then on, once the start's backlog is taken).
    func started() {
        guard extra > 0 else { return }
        state.withLock { $0.owedRoom = extra }
    }

    /// Waits for room, then passes `batch` on; throws once the taker has given up.
    func send(_ batch: CopiedRows) throws {
        room.wait()
        let cancelled = state.withLock { state in
            if !state.cancelled { state.batches.append(batch) }
            return state.cancelled
        }
        if cancelled { throw Cancelled() }
        available.signal()
    }

    /// Records how reading ended and wakes the taker.
    func finish(_ result: Result<Void, any Error>) {
        state.withLock { $0.result = result }
        available.signal()
        done.signal()
    }

    /// The next batch, or nil once the reader has finished and every batch was taken.
    func receive() -> CopiedRows? {
        while true {
            available.wait()
            let (batch, owed): (CopiedRows?, Bool) = state.withLock { state in
                guard !state.batches.isEmpty else { return (nil, false) }
                let owed = state.owedRoom > 0
                if owed { state.owedRoom -= 1 }
                return (state.batches.removeFirst(), owed)
            }
            if let batch {
                if !owed { room.signal() }
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
    func waitForResult() -> Result<Void, any Error> {
        done.wait()
        return state.withLock { $0.result! }
    }
}
