import FakeProvider
import Foundation
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

/// What the batch run tests of every provider share: a suite of sums, the fake provider with
/// its batch endpoints, one model on it (sent one by one or in batches) and a run.
protocol BatchRunScenario {
    /// The key the fake provider checks, and the run hands over as `TRADEOFF_TEST_KEY`.
    var apiKey: String { get }
    /// The provider's model `sim/a` on `server`, keyed by `TRADEOFF_TEST_KEY`, priced at `price`.
    func entry(on server: FakeProviderServer) -> ModelEntry
}

extension BatchRunScenario {
    /// Whole micro-dollars per token, so half the price is exactly half the cost.
    var price: Price { Price(inputPerMillion: 2, outputPerMillion: 4) }
    /// Looks again at once: the fake's batches move a step at every look.
    var settings: BatchSettings { BatchSettings(pollSeconds: 0, maxPollSeconds: 0) }

    func suite(cases: Int = 12) -> Suite {
        let list = (1...cases).map { index in
            TestCase(id: "c\(index)", variables: ["a": "\(index)", "b": "\(index * 3)", "answer": "\(index * 4)"])
        }
        let task = SuiteTask(id: "sums", system: Template("You add numbers."),
                             prompt: Template("Compute: {{a}} + {{b}}. Answer with the number only."),
                             settings: TaskSettings(temperature: 0, maxTokens: 16, threshold: 1),
                             graders: [GraderSpec(.exact(expected: Template("{{answer}}"), normalize: [.trim]))],
                             cases: list)
        return Suite(name: "sums", description: nil, path: "sums.yaml", contentHash: "abc", tasks: [task])
    }

    func withServer<T>(_ batches: FakeProviderConfig.Batches = .init(),
                       _ body: (FakeProviderServer) throws -> T) throws -> T {
        var config = FakeProviderConfig(apiKey: apiKey, models: [.init(name: "sim/a", accuracy: 0.6)])
        config.batches = batches
        let server = try FakeProviderServer.start(config: config)
        defer { server.shutdown() }
        return try body(server)
    }

    func model(_ server: FakeProviderServer, batch: Bool) -> ModelEntry {
        var entry = entry(on: server)
        entry.batch = batch
        return entry
    }

    func run(_ plan: RunPlan, in store: ResultStore, settings: BatchSettings? = nil, budgetMicros: Int64? = nil,
             resuming: Resumption? = nil) throws -> Runner.Outcome {
        let client = try HTTPClient()
        defer { client.shutdown() }
        let runner = try Runner(plan: plan, store: store, client: client, environment: ["TRADEOFF_TEST_KEY": apiKey],
                                budgetMicros: budgetMicros, resuming: resuming, batch: settings ?? self.settings)
        return try runner.run(catalogPath: "models.yaml")
    }

    // MARK: Checks each batch API passes the same way

    /// The same run with and without batch mode: the same grades and tokens, half the cost, no
    /// latency, one batch whose provider id starts with `batchIDPrefix`.
    func checkGradesAsTheUsualRunAtHalfTheCost(batchIDPrefix: String) throws {
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
                #expect(batches.first?.providerBatchId?.hasPrefix(batchIDPrefix) == true)
            }
        }
    }

    /// Two expired and one errored request are sent again in a second batch, and all answered.
    func checkExpiredAndErroredRequestsAreSentAgainInANewBatch() throws {
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

    /// A batch whose creation answer was lost is found in the provider's listing, not sent again.
    func checkABatchWhoseCreationAnswerWasLostIsFound() throws {
        try withTemporaryDirectory { directory in
            try withServer(.init(loseCreateReplies: 1)) { server in
                let store = try ResultStore(path: directory.file("r.sqlite"))
                let outcome = try run(RunPlan(suite: suite(), models: [model(server, batch: true)]), in: store)
                #expect(outcome.status == .completed && outcome.answered == 12)
                #expect(server.batchesCreated() == 1 && server.requestCount(model: "sim/a") == 12)
            }
        }
    }
}
