import FakeProvider
import Foundation
import Testing
import TradeoffKit
import TradeoffTestSupport

/// The response cache end to end: a second run of the same requests replays the recorded answers.
struct ResponseCacheTests {
    private func suite(prompt: String = "Compute: {{a}} + {{b}}. Answer with the number only.", repeats: Int = 1,
                       cases count: Int = 6) -> Suite {
        let cases = (1...count).map { TestCase(id: "c\($0)", variables: ["a": "\($0)", "b": "\($0 * 2)", "sum": "\($0 * 3)"]) }
        var settings = TaskSettings(temperature: 0, maxTokens: 16, threshold: 1)
        settings.repeats = repeats
        let task = SuiteTask(id: "sums", system: nil, prompt: Template(prompt), settings: settings,
                             graders: [GraderSpec(.exact(expected: Template("{{sum}}"), normalize: [.trim]))], cases: cases)
        return Suite(name: "sums", description: nil, path: "sums.yaml", contentHash: "h", tasks: [task])
    }

    private func run(_ suite: Suite, on server: FakeProviderServer, cache: CacheMode, store: ResultStore,
                     hourly: HourlyPrice? = nil) throws -> (Runner.Outcome, [CallRecord])
    {
        let client = try HTTPClient()
        defer { client.shutdown() }
        var model = fakeModelEntry(id: "good", served: "sim/good", server: server)
        if let hourly { (model.price, model.hourlyPrice) = (nil, hourly) }
        let models = [model]
        let runner = try Runner(plan: RunPlan(suite: suite, models: models), store: store, client: client,
                                environment: ["TRADEOFF_TEST_KEY": "test-key"], cache: cache)
        let outcome = try runner.run(catalogPath: "models.yaml")
        return (outcome, try store.calls(ofRun: outcome.runID))
    }

    @Test func aSecondRunReplaysEveryAnswerAndSpendsNothing() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(models: [.init(name: "sim/good", latencyMs: 5)]) { server in
                let store = try ResultStore(path: directory.file("r.sqlite"))
                let (first, made) = try run(suite(), on: server, cache: .on, store: store)
                #expect(first.replayed == 0 && first.answered == 6)
                #expect(made.allSatisfy { $0.requestHash?.count == 64 && !$0.cacheHit })
                #expect(server.requestCount(model: "sim/good") == 6)

                let (second, replayed) = try run(suite(), on: server, cache: .on, store: store)
                #expect(server.requestCount(model: "sim/good") == 6, "no call was made")
                #expect(second.status == .completed)
                #expect(second.replayed == 6 && second.answered == 6)
                #expect(second.costMicros == 0, "nothing was spent")
                let origins = Dictionary(uniqueKeysWithValues: made.map { ($0.caseId, $0) })
                for call in replayed {
                    let origin = try #require(origins[call.caseId])
                    #expect(call.cachedFrom == origin.id)
                    #expect(call.output == origin.output)
                    // Graded again, and it keeps what the answer cost when it was made.
                    #expect(call.passed == true && call.score == 1)
                    #expect(call.costMicros == origin.costMicros && call.costMicros! > 0)
                    #expect(call.spentMicros == 0)
                    #expect(call.attempts == 0)
                }
                let summary = try RunSummary.load(from: store, runID: second.runID)
                let model = try #require(summary.models.first)
                #expect(model.replayed == 6)
                #expect(model.latency == nil, "replayed answers are not latency samples")
                #expect(model.totalCostMicros == made.reduce(0) { $0 + $1.costMicros! })
            }
        }
    }

    /// A self-hosted model is costed from the time it served the run; a replay has none, so a
    /// fully cached run priced it at $0 and recommended it as free. A replay keeps its cost.
    @Test func aReplayedAnswerOfAnHourlyPricedModelKeepsWhatItCost() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(models: [.init(name: "sim/good", latencyMs: 20)]) { server in
                let store = try ResultStore(path: directory.file("r.sqlite"))
                let gpu = HourlyPrice(perHour: 36, replicas: 1)
                let (first, made) = try run(suite(), on: server, cache: .on, store: store, hourly: gpu)
                #expect(made.allSatisfy { ($0.costMicros ?? 0) > 0 })
                #expect(first.costMicros == made.reduce(0) { $0 + $1.costMicros! })

                let (second, replayed) = try run(suite(), on: server, cache: .on, store: store, hourly: gpu)
                #expect(second.replayed == 6 && second.costMicros == 0, "nothing was spent")
                let origins = Dictionary(uniqueKeysWithValues: made.map { ($0.caseId, $0.costMicros) })
                for call in replayed { #expect(call.costMicros == origins[call.caseId] ?? nil, "\(call.caseId)") }
                let summary = try RunSummary.load(from: store, runID: second.runID)
                #expect(summary.models.first?.totalCostMicros == first.costMicros)
                // Repriced at the same hourly price, the replays keep their cost; at twice it, double.
                var model = fakeModelEntry(id: "good", served: "sim/good", server: server)
                (model.price, model.hourlyPrice) = (nil, gpu)
                try store.withRepricedCopy(ofRun: second.runID, catalog: Catalog(path: "m.yaml", models: [model])) {
                    _, repricing in
                    #expect(repricing.changes.map(\.after) == [first.costMicros])
                }
                model.hourlyPrice = HourlyPrice(perHour: 72, replicas: 1)
                try store.withRepricedCopy(ofRun: second.runID, catalog: Catalog(path: "m.yaml", models: [model])) {
                    _, repricing in
                    #expect(repricing.changes.map(\.after) == [first.costMicros * 2])
                }
            }
        }
    }

    @Test func theRepeatIndexIsPartOfTheKey() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(models: [.init(name: "sim/good")]) { server in
                let store = try ResultStore(path: directory.file("r.sqlite"))
                let (_, made) = try run(suite(repeats: 2), on: server, cache: .on, store: store)
                #expect(Set(made.compactMap(\.requestHash)).count == 12)
                let (_, replayed) = try run(suite(repeats: 2), on: server, cache: .on, store: store)
                let origin = Dictionary(uniqueKeysWithValues: made.map { ("\($0.caseId)/\($0.repeatIndex)", $0.id!) })
                #expect(replayed.allSatisfy { $0.cachedFrom == origin["\($0.caseId)/\($0.repeatIndex)"] })
                // Three repeats: the third has no recorded answer and is made.
                let (third, calls) = try run(suite(repeats: 3), on: server, cache: .on, store: store)
                #expect(third.replayed == 12)
                #expect(calls.filter { !$0.cacheHit }.map(\.repeatIndex) == Array(repeating: 2, count: 6))
                #expect(server.requestCount(model: "sim/good") == 18)
            }
        }
    }

    @Test func modesReadWriteAndOff() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(models: [.init(name: "sim/good")]) { server in
                let store = try ResultStore(path: directory.file("r.sqlite"))
                // off records nothing for later; read then finds nothing and records no keys either.
                let (_, off) = try run(suite(), on: server, cache: .off, store: store)
                #expect(off.allSatisfy { $0.requestHash == nil })
                let (read, readCalls) = try run(suite(), on: server, cache: .read, store: store)
                #expect(read.replayed == 0 && readCalls.allSatisfy { $0.requestHash == nil })
                // write makes every call and records it; a later read replays it.
                let (write, _) = try run(suite(), on: server, cache: .write, store: store)
                #expect(write.replayed == 0)
                let (write2, _) = try run(suite(), on: server, cache: .write, store: store)
                #expect(write2.replayed == 0)
                #expect(server.requestCount(model: "sim/good") == 24)
                let (replay, _) = try run(suite(), on: server, cache: .read, store: store)
                #expect(replay.replayed == 6)
                // A changed prompt is another question.
                let (changed, _) = try run(suite(prompt: "Compute: {{a}} + {{b}}."), on: server, cache: .on, store: store)
                #expect(changed.replayed == 0)
                #expect(server.requestCount(model: "sim/good") == 30)
            }
        }
    }

    @Test func failedCallsAreNotReplayed() throws {
        try withTemporaryDirectory { directory in
            let broken = FakeProviderConfig.Model(name: "sim/good", faults: .init(serverError: 1))
            try withFakeProvider(models: [broken]) { server in
                let store = try ResultStore(path: directory.file("r.sqlite"))
                let client = try HTTPClient()
                defer { client.shutdown() }
                let models = [fakeModelEntry(id: "good", served: "sim/good", server: server)]
                let runner = try Runner(plan: RunPlan(suite: suite(), models: models), store: store, client: client,
                                        environment: ["TRADEOFF_TEST_KEY": "test-key"],
                                        retryPolicy: RetryPolicy(maxRetries: 0), cache: .on)
                let outcome = try runner.run(catalogPath: "models.yaml")
                #expect(outcome.failed == 6)
                let again = try Runner(plan: RunPlan(suite: suite(), models: models), store: store, client: client,
                                       environment: ["TRADEOFF_TEST_KEY": "test-key"],
                                       retryPolicy: RetryPolicy(maxRetries: 0), cache: .on)
                #expect(try again.run(catalogPath: "models.yaml").replayed == 0)
            }
        }
    }

    /// A replayed answer reuses its judges' verdicts: the judge is not asked, nor paid, again.
    @Test func aReplayReusesTheJudgesVerdicts() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(models: [.init(name: "sim/good"), .init(name: "sim/judge")]) { server in
                let judge = fakeModelEntry(id: "judge", served: "sim/judge", server: server)
                var suite = suite()
                suite.tasks[0].graders.append(GraderSpec(.judge(JudgeSpec(
                    judges: [JudgeSpec.Judge(id: judge.id, entry: judge)],
                    rubric: Template("The answer must be {{sum}}."), scale: .passFail))))
                let store = try ResultStore(path: directory.file("r.sqlite"))
                let (first, _) = try run(suite, on: server, cache: .on, store: store)
                #expect(first.judgeCostMicros > 0)
                let asked = server.requestCount(model: "sim/judge")
                #expect(asked == 6)

                let (second, calls) = try run(suite, on: server, cache: .on, store: store)
                #expect(second.replayed == 6)
                #expect(server.requestCount(model: "sim/judge") == asked, "the judge was not asked again")
                #expect(second.judgeCostMicros == 0)
                #expect(calls.allSatisfy { $0.passed == true })
                let verdicts = try store.judgeCalls(ofRun: second.runID)
                #expect(verdicts.count == 6 && verdicts.allSatisfy(\.isReused))
            }
        }
    }

    /// More answers than are replayed at once: every one is replayed, a bounded number at a time.
    @Test func manyReplaysAllComeBack() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(models: [.init(name: "sim/good")]) { server in
                let store = try ResultStore(path: directory.file("r.sqlite"))
                _ = try run(suite(cases: 150), on: server, cache: .on, store: store)
                let (second, calls) = try run(suite(cases: 150), on: server, cache: .on, store: store)
                #expect(second.replayed == 150 && second.status == .completed)
                #expect(Set(calls.map(\.caseId)).count == 150)
                #expect(server.requestCount(model: "sim/good") == 150)
            }
        }
    }
}
