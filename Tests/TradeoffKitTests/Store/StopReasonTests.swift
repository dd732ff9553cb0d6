import Foundation
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

/// A run keeps every reason it stopped early, in `runs.stop_reason` as it always was: one a line,
/// so the values older versions wrote (one cause) read back unchanged.
struct StopReasonTests {
    private static let all: [StopReason] = [
        .budget(detail: "no call was started that could take the spend past $0.01"),
        .modelStopped(modelID: "bad", reason: "3 calls in a row failed with auth (HTTP 401): invalid key"),
        .modelStopped(modelID: "gone", reason: "3 calls in a row failed with not_found (HTTP 404): no such model"),
        .interrupted,
        .resultsNotSaved(detail: "database or disk is full"),
    ]

    @Test func everyCauseIsStoredAndReadBack() throws {
        let stored = try #require(StopReason.stored(Self.all))
        #expect(stored.split(separator: "\n").count == 5)
        #expect(StopReason.list(stored: stored) == Self.all)
        #expect(StopReason.stored([]) == nil && StopReason.list(stored: nil).isEmpty)
    }

    /// Values written before this change: one cause, read as what it was.
    @Test(arguments: [
        ("cancelled", StopReason.interrupted),
        ("budget: no call was started that could take the spend past $1.00",
         .budget(detail: "no call was started that could take the spend past $1.00")),
        ("keyless stopped: auth (401)", .modelStopped(modelID: "keyless", reason: "auth (401)")),
        ("results could not be written: disk full", .resultsNotSaved(detail: "disk full")),
        ("something else", .other("something else")),
    ])
    func anOlderSingleValueReadsAsItWas(stored: String, expected: StopReason) {
        #expect(StopReason.list(stored: stored) == [expected])
    }

    /// A line break inside a provider's error message cannot split one cause into two.
    @Test func aCauseIsStoredOnOneLine() {
        let reason = StopReason.modelStopped(modelID: "m", reason: "3 calls in a row failed: line one\nline two")
        #expect(StopReason.list(stored: StopReason.stored([reason, .interrupted]))
                == [.modelStopped(modelID: "m", reason: "3 calls in a row failed: line one line two"), .interrupted])
    }

    @Test func theSentenceNamesEveryCauseAndTheStoppedModelsTogether() {
        #expect(StopReason.sentence(Self.all) == "it was stopped by its budget (no call was started that could take the "
                + "spend past $0.01); 2 models were stopped (bad stopped: 3 calls in a row failed with auth (HTTP 401): "
                + "invalid key; gone stopped: 3 calls in a row failed with not_found (HTTP 404): no such model); it was "
                + "interrupted; its results could not be written (database or disk is full)")
        #expect(StopReason.sentence([.interrupted]) == "it was interrupted")
        #expect(StopReason.sentence([]) == nil)
    }

    @Test func theRunsColumnHoldsThemAll() throws {
        try withTemporaryDirectory { directory in
            let store = try ResultStore(path: directory.file("r.sqlite"))
            let run = RunRecord(suite: "s", suitePath: "s.yaml", suiteHash: "abc", catalogPath: "m.yaml", toolVersion: "0.1.0",
                                startedAt: Date(timeIntervalSince1970: 0), status: .running)
            let runID = try store.beginRun(run, models: [], cases: [])
            #expect(store.markInterrupted(runID, reasons: Self.all))
            #expect(try store.run(runID)?.stopReasons == Self.all)
        }
    }
}
