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
                let client = try HTTPClient()
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
                let client = try HTTPClient()
                defer { client.shutdown() }
                let runner = try Runner(plan: RunPlan(suite: arithmeticSuite(), models: models), store: store, client: client,
                                        environment: ["TRADEOFF_TEST_KEY": "sk-test-secret-123", "WRONG_KEY": "sk-wrong-key-456"])
                let outcome = try runner.run(catalogPath: "models.yaml")

                // Both failing models stop after three failures in a row (a few more may already be
                // in flight), and the good model answers everything.
                #expect(outcome.status == .interrupted)
                #expect(outcome.answered == 10)
                #expect((6...12).contains(outcome.failed))
                #expect(Set(outcome.stoppedModels.keys) == ["missing", "wrong-key"])
                let calls = try store.calls(ofRun: outcome.runID)
                #expect(calls.count == 10 + outcome.failed)
                let missing = calls.filter { $0.modelId == "missing" }
                #expect(missing.allSatisfy { $0.errorClass == .notFound && $0.httpStatus == 404 && $0.output == nil })
                #expect(missing.first?.errorMessage?.contains("sim/missing") == true)
                let wrongKey = calls.filter { $0.modelId == "wrong-key" }
                #expect(wrongKey.allSatisfy { $0.errorClass == .auth && $0.httpStatus == 401 })
                #expect(try store.run(outcome.runID)?.status == .interrupted)

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
            try withFakeProvider(apiKey: nil, models: [.init(name: "sim/slow", latencyMs: 1_000)]) { server in
                let models = [fakeModelEntry(id: "slow", served: "sim/slow", server: server, apiKeyEnv: nil, maxConcurrency: 2)]
                let store = try ResultStore(path: directory.file("run.sqlite"))
                let client = try HTTPClient()
                defer { client.shutdown() }
                let runner = try Runner(plan: RunPlan(suite: arithmeticSuite(), models: models), store: store,
                                        client: client, environment: [:])
                // Cancelled once the first two calls are on the server: they take 1 s, so no
                // other can have started.
                DispatchQueue.global().async {
                    waitUntil { server.requestCount(model: "sim/slow") >= 2 }
                    runner.cancel()
                }
                let outcome = try runner.run(catalogPath: "models.yaml")
                #expect(outcome.status == .interrupted)
                // Two in flight at a time; they finish and are recorded, and nothing else starts.
                #expect(outcome.calls == 2)
                #expect(server.requestCount(model: "sim/slow") == 2)
                #expect(outcome.skipped == 10 - outcome.calls)
                #expect(try store.calls(ofRun: outcome.runID).count == outcome.calls)
                #expect(try store.run(outcome.runID)?.status == .interrupted)
            }
        }
    }
}

/// Stopping early: a model whose calls cannot succeed, and the spend limit.
struct RunnerStopTests {
    private func suite(cases: Int, maxTokens: Int = 16) -> Suite {
        let task = SuiteTask(id: "sums", system: nil, prompt: Template("Compute: {{a}} + 1"),
                             settings: TaskSettings(temperature: 0, maxTokens: maxTokens, threshold: 1),
                             graders: [GraderSpec(.contains(value: Template("1"), ignoreCase: false))],
                             cases: (1...cases).map { TestCase(id: "\($0)", variables: ["a": "\($0)"]) })
        return Suite(name: "s", description: nil, path: "s.yaml", contentHash: "h", tasks: [task])
    }

    @Test func aModelThatKeepsFailingAuthIsStoppedAndTheOthersGoOn() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: "right-key", models: [.init(name: "sim/a")]) { server in
                let models = [fakeModelEntry(id: "good", served: "sim/a", server: server, apiKeyEnv: "GOOD", maxConcurrency: 1),
                              fakeModelEntry(id: "bad", served: "sim/a", server: server, apiKeyEnv: "BAD", maxConcurrency: 1)]
                let notes = Locked<[String]>([])
                let progress = Progress(mode: .plain(interval: 1_000)) { text in notes.mutate { $0.append(text) } }
                let store = try ResultStore(path: directory.file("r.sqlite"))
                let client = try HTTPClient()
                defer { client.shutdown() }
                let runner = try Runner(plan: RunPlan(suite: suite(cases: 10), models: models), store: store, client: client,
                                        environment: ["GOOD": "right-key", "BAD": "wrong-key"], progress: progress)
                let outcome = try runner.run(catalogPath: "m.yaml")
                #expect(outcome.answered == 10)
                #expect(outcome.failed == Runner.hardFailuresBeforeStopping)
                #expect(outcome.skipped == 10 - Runner.hardFailuresBeforeStopping)
                #expect(outcome.status == .interrupted)
                let reason = try #require(outcome.stoppedModels["bad"])
                #expect(reason.hasPrefix("3 calls in a row failed with auth (HTTP 401): "))
                #expect(notes.value.contains { $0.hasPrefix("stopping bad: 3 calls in a row failed with auth") })
                #expect(try store.run(outcome.runID)?.stopReason?.hasPrefix("bad stopped: 3 calls in a row") == true)
            }
        }
    }

    @Test func theBudgetIsNeverExceededEvenByTheCallsInFlight() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: nil, models: [.init(name: "sim/a", latencyMs: 20)]) { server in
                // The worst case (all 16 max_tokens) is ten times what an answer costs here, so the
                // limit is reached by what calls in flight could spend, not by what was spent.
                let price = Price(inputPerMillion: 1, outputPerMillion: 10)
                let model = fakeModelEntry(id: "a", served: "sim/a", server: server, price: price, apiKeyEnv: nil,
                                           maxConcurrency: 4)
                let plan = RunPlan(suite: suite(cases: 20), models: [model])
                let input = Usage.estimated(for: plan.chatRequest(for: plan.items[0]), answer: "").inputTokens
                let worstCase = price.costMicros(of: Usage(uncachedInputTokens: input, outputTokens: 16, source: .estimated))
                let budget = worstCase * 3
                let store = try ResultStore(path: directory.file("r.sqlite"))
                let client = try HTTPClient()
                defer { client.shutdown() }
                let runner = try Runner(plan: plan, store: store, client: client, environment: [:], budgetMicros: budget)
                let outcome = try runner.run(catalogPath: "m.yaml")
                #expect(outcome.stoppedByBudget)
                #expect(outcome.costMicros <= budget)
                // Three worst cases fit; the fourth call would have risked going over, so none started.
                #expect(outcome.calls == 3)
                #expect(outcome.skipped == 17)
                #expect(outcome.status == .interrupted)
                #expect(try store.run(outcome.runID)?.stopReason?.hasPrefix("budget: ") == true)
            }
        }
    }

    /// The budget is the whole run's: a resume with the same `--budget-usd` (the printed resume
    /// command carries it) spends only what is left of it, and its outcome counts the whole run.
    @Test func aResumedRunSpendsOnlyWhatIsLeftOfTheBudget() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: nil, models: [.init(name: "sim/a")]) { server in
                let price = Price(inputPerMillion: 1, outputPerMillion: 10)
                let model = fakeModelEntry(id: "a", served: "sim/a", server: server, price: price, apiKeyEnv: nil,
                                           maxConcurrency: 1)
                let plan = RunPlan(suite: suite(cases: 20), models: [model])
                let input = Usage.estimated(for: plan.chatRequest(for: plan.items[0]), answer: "").inputTokens
                let worstCase = price.costMicros(of: Usage(uncachedInputTokens: input, outputTokens: 16, source: .estimated))
                let budget = worstCase * 2
                let store = try ResultStore(path: directory.file("r.sqlite"))
                let client = try HTTPClient()
                defer { client.shutdown() }
                let first = try Runner(plan: plan, store: store, client: client, environment: [:], budgetMicros: budget)
                    .run(catalogPath: "m.yaml")
                #expect(first.stoppedByBudget && first.costMicros > budget - worstCase)
                let made = server.requestCount(model: "sim/a")
                let resuming = try Resumption.find("latest", for: plan, in: store, retryingErrors: false)
                let second = try Runner(plan: plan, store: store, client: client, environment: [:], budgetMicros: budget,
                                        resuming: resuming).run(catalogPath: "m.yaml")
                // Less than a worst case is left: no call starts, and nothing more is spent.
                #expect(server.requestCount(model: "sim/a") == made)
                #expect(second.stoppedByBudget)
                #expect(second.costMicros == first.costMicros && second.answered == first.answered)
                #expect(second.skipped == first.skipped)
            }
        }
    }
}

struct RepeatsTests {
    @Test func eachCaseIsSampledRepeatsTimesWithItsIndex() throws {
        try withTemporaryDirectory { directory in
            try directory.write("suites/s.yaml", """
                suite: s
                models: models.yaml
                defaults: {repeats: 2}
                tasks:
                  - id: sums
                    prompt: "Compute: {{a}} + 1"
                    repeats: 3
                    graders: [{type: contains, value: "1"}]
                    cases: [{vars: {a: "1"}}, {vars: {a: "10"}}]
                  - id: once
                    prompt: "Compute: {{a}} + 2"
                    repeats: 1
                    graders: [{type: contains, value: "3"}]
                    cases: [{vars: {a: "1"}}]
                """)
            try withFakeProvider(apiKey: nil, models: [.init(name: "sim/a")]) { server in
                try directory.write("suites/models.yaml",
                                    "models:\n  - {id: a, base_url: \"\(server.baseURL)\", model: sim/a, class: open}\n")
                let loaded = try SuiteLoader(environment: [:]).load(suitePath: directory.file("suites/s.yaml"))
                let plan = RunPlan(suite: loaded.suite, models: loaded.models)
                #expect(plan.summary == "3 cases (7 with repeats) × 1 model = 7 calls")
                let store = try ResultStore(path: directory.file("r.sqlite"))
                let client = try HTTPClient()
                defer { client.shutdown() }
                let outcome = try Runner(plan: plan, store: store, client: client, environment: [:]).run(catalogPath: "m")
                #expect(outcome.status == .completed)
                let calls = try store.calls(ofRun: outcome.runID)
                #expect(calls.map { "\($0.taskId)/\($0.caseId)/\($0.repeatIndex)" }.sorted()
                        == ["once/1/0", "sums/1/0", "sums/1/1", "sums/1/2", "sums/2/0", "sums/2/1", "sums/2/2"])
            }
        }
    }
}
