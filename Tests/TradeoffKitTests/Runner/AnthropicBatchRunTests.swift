import FakeProvider
import Foundation
import GRDB
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

/// Batch mode through Anthropic's Message Batches, end to end against the fake provider: the
/// same grades as sending each call at half the price, expired and errored requests sent again,
/// the budget held, and a batch whose creation answer was lost found instead of sent twice.
struct AnthropicBatchRunTests: BatchRunScenario {
    let apiKey = "sk-ant-batch"

    func entry(on server: FakeProviderServer) -> ModelEntry {
        ModelEntry(id: "a", provider: .anthropic, baseURL: server.rootURL, model: "sim/a", modelClass: .open,
                   price: price, apiKeyEnv: "TRADEOFF_TEST_KEY", timeoutSeconds: 10, simulated: true)
    }

    @Test func aBatchRunGradesAsTheUsualRunAtHalfTheCost() throws {
        try checkGradesAsTheUsualRunAtHalfTheCost(batchIDPrefix: "msgbatch_")
    }

    @Test func expiredAndErroredRequestsAreSentAgainInANewBatch() throws {
        try checkExpiredAndErroredRequestsAreSentAgainInANewBatch()
    }

    /// `--batch-fallback`: expired and errored requests are made at once as ordinary calls, at
    /// the usual price, and the reports say how many were retried and how.
    @Test func withFallbackFailedRequestsAreRetriedAsOrdinaryCallsAndReported() throws {
        try withTemporaryDirectory { directory in
            try withServer(.init(expireRequests: 2, errorRequests: 1)) { server in
                let store = try ResultStore(path: directory.file("r.sqlite"))
                var fallback = settings
                fallback.fallback = true
                let outcome = try run(RunPlan(suite: suite(), models: [model(server, batch: true)]), in: store, settings: fallback)
                #expect(outcome.status == .completed && outcome.answered == 12 && outcome.failed == 0)
                #expect(outcome.batched == 9 && outcome.batchRetried == 0 && outcome.batchFallback == 3)
                #expect(server.batchesCreated() == 1 && server.requestCount(model: "sim/a") == 12 + 3 - 3)
                let calls = try store.calls(ofRun: outcome.runID)
                let fellBack = calls.filter(\.batchFallback)
                #expect(fellBack.count == 3 && fellBack.allSatisfy { !$0.batched && $0.latencyMs != nil })

                let summary = try RunSummary.load(from: store, runID: outcome.runID)
                let markdown = MarkdownReport(summary).render()
                #expect(markdown.contains("Requests that expired or failed in their batch were retried: 0 calls in a new "
                                          + "batch, 3 calls as ordinary calls (--batch-fallback, at the usual price)."),
                        "\(markdown)")
                let json = try #require(try JSONSerialization.jsonObject(with: Data(JSONReport(summary).render().utf8))
                    as? [String: Any])
                let entry = (json["models"] as? [[String: Any]])?.first?["batch"] as? [String: Int]
                #expect(entry?.filter { !$0.key.hasSuffix("_micros") }
                        == ["calls": 9, "retried_in_batch": 0, "retried_as_ordinary_calls": 3])
                // Whole micro-dollars a token: the batched calls cost exactly half their ordinary price.
                let batchCost = try #require(entry?["cost_at_batch_prices_micros"])
                #expect(entry?["cost_at_ordinary_prices_micros"] == 2 * batchCost && entry?["saved_micros"] == batchCost)
            }
        }
    }

    /// Without the fallback the JSON report counts the requests retried in a new batch.
    @Test func theJSONReportCountsRequestsRetriedInANewBatch() throws {
        try withTemporaryDirectory { directory in
            try withServer(.init(expireRequests: 2)) { server in
                let store = try ResultStore(path: directory.file("r.sqlite"))
                let outcome = try run(RunPlan(suite: suite(), models: [model(server, batch: true)]), in: store)
                let summary = try RunSummary.load(from: store, runID: outcome.runID)
                let json = try #require(try JSONSerialization.jsonObject(with: Data(JSONReport(summary).render().utf8))
                    as? [String: Any])
                let entry = (json["models"] as? [[String: Any]])?.first?["batch"] as? [String: Int]
                #expect(entry?.filter { !$0.key.hasSuffix("_micros") }
                        == ["calls": 12, "retried_in_batch": 2, "retried_as_ordinary_calls": 0])
                // Whole micro-dollars a token: the batched calls cost exactly half their ordinary price.
                let batchCost = try #require(entry?["cost_at_batch_prices_micros"])
                #expect(entry?["cost_at_ordinary_prices_micros"] == 2 * batchCost && entry?["saved_micros"] == batchCost)
                #expect(MarkdownReport(summary).render().contains("retried: 2 calls in a new batch, 0 calls as ordinary calls"))
            }
        }
    }

    /// After the last batch they may be sent in, an expired request is a failed call that says why.
    @Test func requestsStillExpiredAfterTheLastRoundFailWithTheReason() throws {
        try withTemporaryDirectory { directory in
            try withServer(.init(expireRequests: 2)) { server in
                let store = try ResultStore(path: directory.file("r.sqlite"))
                var once = settings
                once.maxRounds = 1
                let outcome = try run(RunPlan(suite: suite(), models: [model(server, batch: true)]), in: store, settings: once)
                #expect(outcome.status == .incomplete && outcome.answered == 10 && outcome.failed == 2)
                let failed = try store.calls(ofRun: outcome.runID).filter { $0.errorClass != nil }
                #expect(failed.map(\.errorClass) == [.timeout, .timeout])
                #expect(failed.allSatisfy { $0.errorMessage?.hasPrefix("expired in the batch") == true })
            }
        }
    }

    /// The budget is held at batch prices: no request goes into a batch past it.
    @Test func theBudgetHoldsForAnthropicBatches() throws {
        try withTemporaryDirectory { directory in
            try withServer { server in
                let store = try ResultStore(path: directory.file("r.sqlite"))
                let outcome = try run(RunPlan(suite: suite(), models: [model(server, batch: true)]), in: store,
                                      budgetMicros: 200)
                #expect(outcome.stoppedByBudget)
                #expect(outcome.calls > 0 && outcome.calls < 12)
                #expect(outcome.costMicros <= 200)
                let sent = try store.batches(ofRun: outcome.runID).map(\.requestCount).reduce(0, +)
                #expect(sent == outcome.calls && server.requestCount(model: "sim/a") == outcome.calls)
            }
        }
    }

    @Test func aBatchWhoseCreationAnswerWasLostIsFoundNotSentAgain() throws {
        try checkABatchWhoseCreationAnswerWasLostIsFound()
    }

    /// The process died after Anthropic made the batches and before their ids were written: a
    /// resume recognizes them (made after their intents, as many requests) and sends nothing again.
    @Test func aResumeFindsBatchesWhoseIdsWereNeverWritten() throws {
        try withTemporaryDirectory { directory in
            try withServer(.init(held: true)) { server in
                let store = try ResultStore(path: directory.file("r.sqlite"))
                var small = settings
                small.wait = false
                small.maxRequests = 6
                let plan = RunPlan(suite: suite(), models: [model(server, batch: true)])
                let submitted = try run(plan, in: store, settings: small)
                #expect(server.batchesCreated() == 2)
                let rows = try store.batches(ofRun: submitted.runID)
                try DatabaseQueue(path: directory.file("r.sqlite")).write { db in
                    try db.execute(sql: "UPDATE batches SET provider_batch_id = NULL, status = 'intent'")
                }
                server.releaseBatches()
                let resumed = try run(plan, in: store, resuming: Resumption.find("latest", for: plan, in: store,
                                                                                 retryingErrors: false))
                #expect(resumed.status == .completed && resumed.answered == 12)
                #expect(server.batchesCreated() == 2 && server.requestCount(model: "sim/a") == 12)
                let after = try store.batches(ofRun: submitted.runID)
                #expect(after.map(\.providerBatchId) == rows.map(\.providerBatchId))
                #expect(after.map(\.status) == ["collected", "collected"])
            }
        }
    }
}
