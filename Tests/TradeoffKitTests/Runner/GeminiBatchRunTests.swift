import FakeProvider
import Foundation
import GRDB
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

/// Batch mode through Gemini's batch mode, end to end against the fake provider: the
/// same grades as sending each call at half the price, expired and errored requests sent again,
/// a batch whose creation answer was lost found by its name, and a cancel.
struct GeminiBatchRunTests: BatchRunScenario {
    let apiKey = "goog-batch"

    func entry(on server: FakeProviderServer) -> ModelEntry {
        ModelEntry(id: "a", provider: .gemini, baseURL: server.rootURL, model: "sim/a", modelClass: .open,
                   price: price, apiKeyEnv: "TRADEOFF_TEST_KEY", timeoutSeconds: 10, simulated: true)
    }

    @Test func aBatchRunGradesAsTheUsualRunAtHalfTheCost() throws {
        try checkGradesAsTheUsualRunAtHalfTheCost(batchIDPrefix: "batches/")
    }

    @Test func expiredAndErroredRequestsAreSentAgainInANewBatch() throws {
        try checkExpiredAndErroredRequestsAreSentAgainInANewBatch()
    }

    @Test func aBatchWhoseCreationAnswerWasLostIsFoundNotSentAgain() throws {
        try checkABatchWhoseCreationAnswerWasLostIsFound()
    }

    /// `batch cancel` on a Gemini batch: the operation is cancelled, and what it had not answered
    /// is recorded as failed, not sent again.
    @Test func aCancelledBatchIsNotSentAgain() throws {
        try withTemporaryDirectory { directory in
            try withServer(.init(held: true)) { server in
                let store = try ResultStore(path: directory.file("r.sqlite"))
                var noWait = settings
                noWait.wait = false
                let plan = RunPlan(suite: suite(), models: [model(server, batch: true)])
                let submitted = try run(plan, in: store, settings: noWait)
                let client = try HTTPClient()
                defer { client.shutdown() }
                let cancel = try BatchCancellation.cancel(runID: submitted.runID, store: store, models: plan.models,
                                                          environment: ["TRADEOFF_TEST_KEY": "goog-batch"], client: client)
                #expect(cancel.cancelled.map(\.status) == ["cancelled"] && cancel.failures.isEmpty)
                #expect(server.batchesCancelled() == 1)
                let resumed = try run(plan, in: store, resuming: Resumption.find("latest", for: plan, in: store,
                                                                                 retryingErrors: false))
                #expect(resumed.status == .incomplete && resumed.failed == 12)
                #expect(server.batchesCreated() == 1)
            }
        }
    }
}
