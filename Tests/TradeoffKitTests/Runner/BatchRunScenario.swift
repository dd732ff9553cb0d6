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
        let client = HTTPClient()
        defer { client.shutdown() }
        let runner = try Runner(plan: plan, store: store, client: client, environment: ["TRADEOFF_TEST_KEY": apiKey],
                                budgetMicros: budgetMicros, resuming: resuming, batch: settings ?? self.settings)
        return try runner.run(catalogPath: "models.yaml")
    }
}
