import Foundation
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

/// `readReportCallsAhead` hands over exactly what `readReportCalls` does, in the same order,
/// across batch boundaries; a body that throws stops the reader and its error comes out as is.
struct ReadAheadTests {
    private struct Stop: Error, Equatable {}

    private static func store(in directory: TemporaryDirectory, calls count: Int) throws -> (ResultStore, Int64) {
        let store = try ResultStore(path: directory.file("r.sqlite"))
        let runID = try CallRecordRowTests.beginRun(in: store)
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        try store.record((0..<count).map { index in
            var call = CallRecord(runId: runID, modelId: "m", taskId: "t", caseId: "1", startedAt: start,
                                  finishedAt: start.addingTimeInterval(1))
            call.repeatIndex = index
            call.output = "answer \(index)"
            call.score = Double(index % 3) / 2
            return call
        })
        return (store, runID)
    }

    @Test(arguments: [(1, 1), (7, 2), (4096, 4), (10_000, 1)])
    func handsOverWhatTheReaderReadsInOrder(batchSize: Int, depth: Int) throws {
        try withTemporaryDirectory { directory in
            let (store, runID) = try Self.store(in: directory, calls: 1_001)
            var expected: [ReportCall] = []
            let plain = try store.readReportCalls(ofRun: runID) { expected.append($0) }
            var got: [ReportCall] = []
            let ahead = try store.readReportCallsAhead(ofRun: runID, batchSize: batchSize, depth: depth) { got.append($0) }
            #expect(got.count == 1_001)
            #expect(got == expected)
            // The source reads the same calls again by position.
            #expect(try ahead.calls(at: [0, 500, 1_000]) == plain.calls(at: [0, 500, 1_000]))
        }
    }

    @Test func aBodyThatThrowsStopsTheReaderWithItsOwnError() throws {
        try withTemporaryDirectory { directory in
            let (store, runID) = try Self.store(in: directory, calls: 50_000)
            var taken = 0
            #expect(throws: Stop.self) {
                _ = try store.readReportCallsAhead(ofRun: runID, batchSize: 16, depth: 2) { _ in
                    taken += 1
                    if taken == 100 { throw Stop() }
                }
            }
            #expect(taken == 100)
            // The reader let go: the store reads (and writes) on.
            var count = 0
            _ = try store.readReportCallsAhead(ofRun: runID) { _ in count += 1 }
            #expect(count == 50_000)
            try store.finishRun(runID, status: .completed)
        }
    }

    /// The reader runs ahead by up to `startDepth` batches while `meanwhile` works, then by
    /// `depth`: every call still comes once, in order, and the room kept back is no trouble
    /// when the hand-off is freed (libdispatch stopped the process on a semaphore freed below
    /// the value it was created with).
    @Test(arguments: [(1, 8), (2, 32), (4, 4)])
    func meanwhileRunsFirstWhileTheReaderRunsAhead(depth: Int, startDepth: Int) throws {
        try withTemporaryDirectory { directory in
            let (store, runID) = try Self.store(in: directory, calls: 1_001)
            var expected: [ReportCall] = []
            _ = try store.readReportCalls(ofRun: runID) { expected.append($0) }
            var order: [String] = []
            var got: [ReportCall] = []
            _ = try store.readReportCallsAhead(ofRun: runID, batchSize: 16, depth: depth, startDepth: startDepth,
                                               meanwhile: { order.append("meanwhile") }) { call in
                if got.isEmpty { order.append("first call") }
                got.append(call)
            }
            #expect(order == ["meanwhile", "first call"])
            #expect(got == expected)
        }
    }

    @Test func anErrorMeanwhileStopsTheReaderWithThatError() throws {
        try withTemporaryDirectory { directory in
            let (store, runID) = try Self.store(in: directory, calls: 50_000)
            var taken = 0
            #expect(throws: Stop.self) {
                _ = try store.readReportCallsAhead(ofRun: runID, batchSize: 16, depth: 2, startDepth: 8,
                                                   meanwhile: { throw Stop() }) { _ in taken += 1 }
            }
            #expect(taken == 0)
            // The reader let go.
            try store.finishRun(runID, status: .completed)
        }
    }

    @Test func anEmptyRunHandsOverNothing() throws {
        try withTemporaryDirectory { directory in
            let (store, runID) = try Self.store(in: directory, calls: 0)
            var count = 0
            let source = try store.readReportCallsAhead(ofRun: runID) { _ in count += 1 }
            #expect(count == 0)
            #expect(try source.calls(at: []).isEmpty)
        }
    }
}
