import FakeProvider
import Foundation
import Testing
import TradeoffKit
import TradeoffTestSupport

struct RunnerTests {
    /// Ten arithmetic cases graded by exact match on the sum.
    private func arithmeticSuite() -> Suite {
        let cases = (1...10).map { index in
            TestCase(id: "c\(index)", variables: ["a": "\(index)", "b": "\(index * 3)", "answer": "\(index * 4)"])
        }
        let task = SuiteTask(id: "sums", system: Template("You add numbers."),
                             prompt: Template("Compute: {{a}} + {{b}}. Answer with the number only."),
                             settings: TaskSettings(temperature: 0, maxTokens: 16, threshold: 1),
                             graders: [GraderSpec(.exact(expected: Template("{{answer}}"), normalize: [.trim]))],
                             cases: cases)
        return Suite(name: "sums", description: nil, path: "sums.yaml", contentHash: "abc", tasks: [task])
    }

    @Test func recordsOneGradedRowPerModelAndCase() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: "sk-test-secret-123", models: [.init(name: "sim/good", accuracy: 1),
                                                                        .init(name: "sim/bad", accuracy: 0)]) { server in
                let models = [
                    fakeModelEntry(id: "good", served: "sim/good", server: server, modelClass: .frontier,
                                   price: Price(inputPerMillion: Decimal(string: "2.50")!, outputPerMillion: 10)),
                    fakeModelEntry(id: "bad", served: "sim/bad", server: server, price: nil),
                ]
                let store = try ResultStore(path: directory.file("results/run.sqlite"))
                let client = HTTPClient()
                defer { client.shutdown() }
                let runner = try Runner(plan: RunPlan(suite: arithmeticSuite(), models: models), store: store,
                                        client: client, environment: ["TRADEOFF_TEST_KEY": "sk-test-secret-123"])
                let outcome = try runner.run(catalogPath: "models.yaml")

                #expect(outcome.status == .completed)
                #expect(outcome.answered == 20)
                #expect(outcome.failed == 0)
                let calls = try store.calls(ofRun: outcome.runID)
                #expect(calls.count == 20)
                #expect(Set(calls.map { "\($0.modelId)/\($0.caseId)" }).count == 20)

                let good = calls.filter { $0.modelId == "good" }
                #expect(good.allSatisfy { $0.passed == true && $0.score == 1 })
                #expect(good.allSatisfy { $0.usageSource == .reported && $0.httpStatus == 200 })
                for call in good {
                    let expected = Price(inputPerMillion: Decimal(string: "2.50")!, outputPerMillion: 10).costMicros(
                        of: Usage(inputTokens: call.inputTokens!, outputTokens: call.outputTokens!, source: .reported))
                    #expect(call.costMicros == expected)
                    #expect(call.costMicros! > 0)
                }
                #expect(outcome.costMicros == good.reduce(0) { $0 + $1.costMicros! })

                let bad = calls.filter { $0.modelId == "bad" }
                #expect(bad.allSatisfy { $0.passed == false && $0.output != nil })
                // Unpriced: the cost is unknown, never zero.
                #expect(bad.allSatisfy { $0.costMicros == nil })
                #expect(bad.first?.graderOutcomes.first?.reason.hasPrefix("expected '") == true)

                let run = try #require(try store.run(outcome.runID))
                #expect(run.status == .completed)
                #expect(run.finishedAt != nil)
                #expect(try store.cases(ofRun: outcome.runID).count == 10)
                #expect(try store.models(ofRun: outcome.runID).map(\.modelId) == ["good", "bad"])
            }
        }
    }

    @Test func failedCallsAreRecordedWithTheirClassAndTheRunGoesOn() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: "sk-test-secret-123", models: [.init(name: "sim/good")]) { server in
                let models = [
                    fakeModelEntry(id: "good", served: "sim/good", server: server),
                    fakeModelEntry(id: "missing", served: "sim/missing", server: server),
                    fakeModelEntry(id: "wrong-key", served: "sim/good", server: server, apiKeyEnv: "WRONG_KEY"),
                ]
                let path = directory.file("run.sqlite")
                let store = try ResultStore(path: path)
                let client = HTTPClient()
                defer { client.shutdown() }
                let runner = try Runner(plan: RunPlan(suite: arithmeticSuite(), models: models), store: store, client: client,
                                        environment: ["TRADEOFF_TEST_KEY": "sk-test-secret-123", "WRONG_KEY": "sk-wrong-key-456"])
                let outcome = try runner.run(catalogPath: "models.yaml")

                #expect(outcome.status == .incomplete)
                #expect(outcome.answered == 10)
                #expect(outcome.failed == 20)
                let calls = try store.calls(ofRun: outcome.runID)
                #expect(calls.count == 30)
                let missing = calls.filter { $0.modelId == "missing" }
                #expect(missing.allSatisfy { $0.errorClass == .notFound && $0.httpStatus == 404 && $0.output == nil })
                #expect(missing.first?.errorMessage?.contains("sim/missing") == true)
                let wrongKey = calls.filter { $0.modelId == "wrong-key" }
                #expect(wrongKey.allSatisfy { $0.errorClass == .auth && $0.httpStatus == 401 })
                #expect(try store.run(outcome.runID)?.status == .incomplete)

                // Keys never reach the database.
                try store.close()
                for file in [path, path + "-wal"] where FileManager.default.fileExists(atPath: file) {
                    let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
                    #expect(bytes.range(of: Data("sk-test-secret-123".utf8)) == nil)
                    #expect(bytes.range(of: Data("sk-wrong-key-456".utf8)) == nil)
                }
            }
        }
    }

    @Test func concurrencyPerModelIsRespectedAndCancelStopsScheduling() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: nil, models: [.init(name: "sim/slow", latencyMs: 100)]) { server in
                let models = [fakeModelEntry(id: "slow", served: "sim/slow", server: server, apiKeyEnv: nil, maxConcurrency: 2)]
                let store = try ResultStore(path: directory.file("run.sqlite"))
                let client = HTTPClient()
                defer { client.shutdown() }
                let runner = try Runner(plan: RunPlan(suite: arithmeticSuite(), models: models), store: store,
                                        client: client, environment: [:])
                DispatchQueue.global().asyncAfter(deadline: .now() + 0.15) { runner.cancel() }
                let outcome = try runner.run(catalogPath: "models.yaml")
                #expect(outcome.status == .interrupted)
                // Two in flight at a time, 100 ms each: about 4 calls started before the cancel.
                #expect(outcome.calls >= 2 && outcome.calls < 10)
                #expect(outcome.skipped == 10 - outcome.calls)
                #expect(try store.calls(ofRun: outcome.runID).count == outcome.calls)
                #expect(try store.run(outcome.runID)?.status == .interrupted)
            }
        }
    }
}
