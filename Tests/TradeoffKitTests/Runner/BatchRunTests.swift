import FakeProvider
import Foundation
import GRDB
import Synchronization
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

/// Batch mode end to end against the fake provider's Batch API: the same grades as sending each
/// call, at half the price, split by the limits, retried when requests expire or fail, and
/// never submitted twice across a process that stops after submitting.
struct BatchRunTests: BatchRunScenario {
    let apiKey = "sk-batch"

    func entry(on server: FakeProviderServer) -> ModelEntry {
        fakeModelEntry(id: "a", served: "sim/a", server: server, price: price)
    }

    @Test func aBatchRunGradesAsTheUsualRunAtHalfTheCostWithoutLatency() throws {
        try withTemporaryDirectory { directory in
            try withServer { server in
                let store = try ResultStore(path: directory.file("r.sqlite"))
                let usual = try run(RunPlan(suite: suite(), models: [model(server, batch: false)]), in: store)
                let batched = try run(RunPlan(suite: suite(), models: [model(server, batch: true)]), in: store)
                #expect(usual.status == .completed && batched.status == .completed)
                #expect(batched.batched == 12 && batched.batchRetried == 0 && usual.batched == 0)
                #expect(server.batchesCreated() == 1)

                let before = try store.calls(ofRun: usual.runID), after = try store.calls(ofRun: batched.runID)
                func grades(_ calls: [CallRecord]) -> [String: Bool?] {
                    Dictionary(uniqueKeysWithValues: calls.map { ($0.caseId, $0.passed) })
                }
                #expect(grades(before) == grades(after))
                #expect(grades(after).values.contains(false) && grades(after).values.contains(true))
                #expect(usual.costMicros > 0 && batched.costMicros * 2 == usual.costMicros)
                #expect(after.allSatisfy { $0.batched && $0.latencyMs == nil && $0.attempts == 1 && $0.requestId != nil })
                #expect(before.allSatisfy { !$0.batched && $0.latencyMs != nil })
                // Out of latency statistics, not out of the run.
                let summary = try #require(try store.reportCalls(ofRun: batched.runID).first)
                #expect(summary.batched && !CallSelection.isLatencySample(summary))
                let report = MarkdownReport(try RunSummary.load(from: store, runID: batched.runID)).render()
                #expect(report.contains("12 calls went through the providers' batch APIs: they cost the batch prices (half "
                                        + "the price unless the catalog gives batch prices) and are left out of latency"))
                #expect(try RunSummary.load(from: store, runID: batched.runID).model("a")?.latency == nil)

                let batches = try store.batches(ofRun: batched.runID)
                #expect(batches.count == 1)
                #expect(batches.first?.status == "collected" && batches.first?.providerBatchId?.hasPrefix("batch_") == true)
                #expect(Set(batches.first?.customIDs ?? []) == Set((0..<12).map { "item-\($0)" }))
            }
        }
    }

    @Test func callsAreSplitIntoBatchesByTheLimit() throws {
        try withTemporaryDirectory { directory in
            try withServer { server in
                let store = try ResultStore(path: directory.file("r.sqlite"))
                var small = settings
                small.maxRequests = 5
                let outcome = try run(RunPlan(suite: suite(), models: [model(server, batch: true)]), in: store, settings: small)
                #expect(outcome.status == .completed && outcome.answered == 12)
                #expect(server.batchesCreated() == 3)
                #expect(try store.batches(ofRun: outcome.runID).map(\.requestCount).sorted() == [2, 5, 5])
            }
        }
    }

    @Test func expiredAndErroredRequestsAreSentAgainAndCounted() throws {
        try withTemporaryDirectory { directory in
            try withServer(.init(expireRequests: 2, errorRequests: 1)) { server in
                let store = try ResultStore(path: directory.file("r.sqlite"))
                let outcome = try run(RunPlan(suite: suite(), models: [model(server, batch: true)]), in: store)
                #expect(outcome.status == .completed && outcome.answered == 12 && outcome.failed == 0)
                #expect(outcome.batchRetried == 3)
                #expect(server.batchesCreated() == 2)
                let rounds = try store.batches(ofRun: outcome.runID).map { [$0.round, $0.requestCount] }
                #expect(rounds == [[1, 12], [2, 3]])
                #expect(try store.calls(ofRun: outcome.runID).filter { $0.attempts == 2 }.count == 3)
            }
        }
    }

    @Test func aBatchWhoseCreationReplyWasLostIsFoundNotSubmittedAgain() throws {
        try withTemporaryDirectory { directory in
            try withServer(.init(loseCreateReplies: 1)) { server in
                let store = try ResultStore(path: directory.file("r.sqlite"))
                let outcome = try run(RunPlan(suite: suite(), models: [model(server, batch: true)]), in: store)
                #expect(outcome.status == .completed && outcome.answered == 12)
                #expect(server.batchesCreated() == 1)
            }
        }
    }

    @Test func noWaitLeavesTheBatchesAndAResumeCollectsThem() throws {
        try withTemporaryDirectory { directory in
            try withServer(.init(held: true)) { server in
                let store = try ResultStore(path: directory.file("r.sqlite"))
                let plan = RunPlan(suite: suite(), models: [model(server, batch: true)])
                var noWait = settings
                noWait.wait = false
                let submitted = try run(plan, in: store, settings: noWait)
                #expect(submitted.status == .interrupted && submitted.calls == 0 && submitted.pendingInBatches == 12)
                #expect(try store.run(submitted.runID)?.stopReason
                        == "12 calls are in provider batches not collected yet; a resume collects them")

                // Still in progress: a resume without waiting collects nothing and submits nothing.
                let early = try run(plan, in: store, settings: noWait,
                                    resuming: Resumption.find("latest", for: plan, in: store, retryingErrors: false))
                #expect(early.calls == 0 && early.pendingInBatches == 12)

                server.releaseBatches()
                var resumedPlan = plan
                resumedPlan.models[0].batch = false  // a resume knows the model's batches from the database
                let collected = try run(resumedPlan, in: store, resuming: Resumption.find("latest", for: plan, in: store,
                                                                                           retryingErrors: false))
                #expect(collected.status == .completed && collected.answered == 12 && collected.batched == 12)
                #expect(server.batchesCreated() == 1)
            }
        }
    }

    /// A cancel (Ctrl-C) does not wait hours for a batch: the batches are left to a resume.
    @Test func aCancelLeavesTheBatchesToAResume() throws {
        try withTemporaryDirectory { directory in
            try withServer(.init(held: true)) { server in
                let store = try ResultStore(path: directory.file("r.sqlite"))
                let plan = RunPlan(suite: suite(), models: [model(server, batch: true)])
                let client = try HTTPClient()
                defer { client.shutdown() }
                let runner = try Runner(plan: plan, store: store, client: client,
                                        environment: ["TRADEOFF_TEST_KEY": "sk-batch"], batch: settings)
                let outcome = Mutex<Runner.Outcome?>(nil)
                let thread = Thread { outcome.withLock { $0 = try? runner.run(catalogPath: "models.yaml") } }
                thread.start()
                #expect(waitUntil { (try? store.batches(ofRun: 1).first?.providerBatchId) != nil })
                runner.cancel()
                #expect(waitUntil { outcome.withLock { $0 } != nil })
                let cancelled = try #require(outcome.withLock { $0 })
                #expect(cancelled.status == .interrupted && cancelled.calls == 0 && cancelled.pendingInBatches == 12)

                server.releaseBatches()
                let resumed = try run(plan, in: store, resuming: Resumption.find("latest", for: plan, in: store,
                                                                                 retryingErrors: false))
                #expect(resumed.status == .completed && resumed.answered == 12)
                #expect(server.batchesCreated() == 1)
            }
        }
    }

    /// The process died after the provider made the batch and before its id was written: the
    /// resume finds it by the tag in its metadata. An intent the provider never got is sent.
    @Test func aResumeReconcilesIntentsWithTheProvidersBatches() throws {
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
                    // The first: made at the provider, its id never recorded.
                    try db.execute(sql: "UPDATE batches SET provider_batch_id = NULL, status = 'uploaded' WHERE id = ?",
                                   arguments: [rows[0].id])
                    // The second: recorded, never sent (the process died before the upload).
                    try db.execute(sql: "UPDATE batches SET provider_batch_id = NULL, input_file_id = NULL, tag = 'lost', "
                                   + "status = 'intent' WHERE id = ?", arguments: [rows[1].id])
                }
                server.releaseBatches()
                let resumed = try run(plan, in: store, resuming: Resumption.find("latest", for: plan, in: store,
                                                                                 retryingErrors: false))
                #expect(resumed.status == .completed && resumed.answered == 12)
                #expect(server.batchesCreated() == 3)
                let after = try store.batches(ofRun: submitted.runID)
                #expect(after.map(\.status) == ["collected", "abandoned", "collected"])
                #expect(after[0].providerBatchId == rows[0].providerBatchId)
            }
        }
    }
}
