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
        try withTemporaryDirectory { directory in
            try withServer { server in
                let store = try ResultStore(path: directory.file("r.sqlite"))
                let usual = try run(RunPlan(suite: suite(), models: [model(server, batch: false)]), in: store)
                let batched = try run(RunPlan(suite: suite(), models: [model(server, batch: true)]), in: store)
                #expect(usual.status == .completed && batched.status == .completed)
                #expect(batched.batched == 12 && batched.batchRetried == 0 && usual.batched == 0)
                #expect(server.batchesCreated() == 1)
                // Each request reached the model once: 12 sent one by one, 12 in the batch.
                #expect(server.requestCount(model: "sim/a") == 24)

                let before = try store.calls(ofRun: usual.runID), after = try store.calls(ofRun: batched.runID)
                func grades(_ calls: [CallRecord]) -> [String: Bool?] {
                    Dictionary(uniqueKeysWithValues: calls.map { ($0.caseId, $0.passed) })
                }
                #expect(grades(before) == grades(after))
                #expect(grades(after).values.contains(false) && grades(after).values.contains(true))
                let tokensBefore = before.compactMap(\.outputTokens).reduce(0, +)
                let tokensAfter = after.compactMap(\.outputTokens).reduce(0, +)
                #expect(tokensBefore > 0 && tokensBefore == tokensAfter)
                #expect(usual.costMicros > 0 && batched.costMicros * 2 == usual.costMicros)
                #expect(after.allSatisfy { $0.batched && $0.latencyMs == nil && $0.attempts == 1 })

                let batches = try store.batches(ofRun: batched.runID)
                #expect(batches.map(\.status) == ["collected"])
                #expect(batches.first?.providerBatchId?.hasPrefix("batches/") == true)
            }
        }
    }

    @Test func expiredAndErroredRequestsAreSentAgainInANewBatch() throws {
        try withTemporaryDirectory { directory in
            try withServer(.init(expireRequests: 2, errorRequests: 1)) { server in
                let store = try ResultStore(path: directory.file("r.sqlite"))
                let outcome = try run(RunPlan(suite: suite(), models: [model(server, batch: true)]), in: store)
                #expect(outcome.status == .completed && outcome.answered == 12 && outcome.failed == 0)
                #expect(outcome.batchRetried == 3)
                #expect(server.batchesCreated() == 2)
                #expect(try store.batches(ofRun: outcome.runID).map { [$0.round, $0.requestCount] } == [[1, 12], [2, 3]])
                #expect(try store.calls(ofRun: outcome.runID).filter { $0.attempts == 2 }.count == 3)
            }
        }
    }

    @Test func aBatchWhoseCreationAnswerWasLostIsFoundNotSentAgain() throws {
        try withTemporaryDirectory { directory in
            try withServer(.init(loseCreateReplies: 1)) { server in
                let store = try ResultStore(path: directory.file("r.sqlite"))
                let outcome = try run(RunPlan(suite: suite(), models: [model(server, batch: true)]), in: store)
                #expect(outcome.status == .completed && outcome.answered == 12)
                #expect(server.batchesCreated() == 1 && server.requestCount(model: "sim/a") == 12)
            }
        }
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
                let client = HTTPClient()
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
