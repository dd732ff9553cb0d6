import FakeProvider
import Foundation
import Testing
import TradeoffTestSupport
@testable import TradeoffKit

/// Judges in a run, with the fake provider acting as judge: their rows, costs and verdicts.
struct JudgeRunTests {
    static let judgePrice = Price(inputPerMillion: 3, outputPerMillion: 15)

    /// Ten sums, graded exactly and by `judges` on a pass/fail rubric.
    private func suite(judges: [ModelEntry], scale: JudgeScale = .passFail, cases count: Int = 10) -> Suite {
        let cases = (1...count).map { index in
            TestCase(id: "c\(index)", variables: ["a": "\(index)", "b": "\(index * 3)", "sum": "\(index * 4)"])
        }
        let judge = JudgeSpec(judges: judges.map { JudgeSpec.Judge(id: $0.id, entry: $0) },
                              rubric: Template("The answer must be the sum, {{sum}}."), scale: scale)
        let task = SuiteTask(id: "sums", system: Template("You add numbers."),
                             prompt: Template("Compute: {{a}} + {{b}}\nAnswer with the number only."),
                             settings: TaskSettings(temperature: 0, maxTokens: 16, threshold: 1),
                             graders: [GraderSpec(.exact(expected: Template("{{sum}}"), normalize: [.trim]), metric: "exact"),
                                       GraderSpec(.judge(judge), metric: "judged")],
                             cases: cases)
        return Suite(name: "sums", description: nil, path: "sums.yaml", contentHash: "abc", tasks: [task])
    }

    private func run(_ suite: Suite, models: [ModelEntry], in directory: TemporaryDirectory) throws
        -> (ResultStore, Runner.Outcome) {
        let store = try ResultStore(path: directory.file("run.sqlite"))
        let client = try HTTPClient()
        defer { client.shutdown() }
        let runner = try Runner(plan: RunPlan(suite: suite, models: models), store: store, client: client,
                                environment: ["TRADEOFF_TEST_KEY": "test-key"])
        return (store, try runner.run(catalogPath: "models.yaml"))
    }

    @Test func judgeCallsAreRecordedWithTheirCostAndLinkedToTheGradedCall() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(models: [.init(name: "sim/good"), .init(name: "sim/bad", accuracy: 0),
                                          .init(name: "sim/judge", unparseableVerdicts: 0.3)]) { server in
                let judge = fakeModelEntry(id: "judge", served: "sim/judge", server: server, price: Self.judgePrice,
                                           maxConcurrency: 2)
                let models = [fakeModelEntry(id: "good", served: "sim/good", server: server),
                              fakeModelEntry(id: "bad", served: "sim/bad", server: server)]
                let (store, outcome) = try run(suite(judges: [judge]), models: models, in: directory)
                #expect(outcome.status == .completed)
                let calls = try store.calls(ofRun: outcome.runID)
                let judgeCalls = try store.judgeCalls(ofRun: outcome.runID)
                #expect(calls.count == 20)
                #expect(judgeCalls.count >= 20)

                for call in calls {
                    let mine = judgeCalls.filter { $0.callId == call.id }
                    try #require(!mine.isEmpty)
                    #expect(mine.allSatisfy { $0.judgeModelId == "judge" && $0.model == "sim/judge" && $0.graderIndex == 1 })
                    // Each row is priced from its own tokens; the call carries their sum, apart from its own cost.
                    for row in mine {
                        let usage = Usage(inputTokens: row.inputTokens!, outputTokens: row.outputTokens!, source: .reported)
                        #expect(row.costMicros == Self.judgePrice.costMicros(of: usage))
                        #expect(row.latencyMs != nil && row.httpStatus == 200)
                    }
                    #expect(call.judgeCostMicros == mine.reduce(0) { $0 + $1.costMicros! })
                    #expect(call.costMicros != call.judgeCostMicros)

                    // An unreadable verdict is asked again once; twice unreadable is a grader error.
                    #expect(mine.map(\.verdictAttempt) == Array(1...mine.count) && mine.count <= 2)
                    if mine.count == 2 { #expect(mine[0].parseError == "no JSON verdict in the reply") }
                    let judged = try #require(call.graderOutcomes.last)
                    #expect(judged.type == "judge" && judged.metric == "judged")
                    if mine.last?.parseError != nil {
                        #expect(judged.isError && call.graderErrors == 1)
                        #expect(judged.reason.hasPrefix("judge: no verdict after a retry: "))
                    } else {
                        // A perfect judge passes the right sums and fails the wrong ones.
                        #expect(!judged.isError && call.graderErrors == 0)
                        #expect(judged.passed == (call.modelId == "good"))
                        #expect(judged.judges?.first?.verdict == (call.modelId == "good" ? "pass" : "fail"))
                        #expect(judged.judges?.first?.calls == mine.count)
                        #expect(mine.last?.score == (call.modelId == "good" ? 1 : 0))
                    }
                }
                #expect(judgeCalls.contains { $0.verdictAttempt == 2 })
                #expect(outcome.judgeCostMicros == judgeCalls.reduce(0) { $0 + $1.costMicros! })
                #expect(outcome.graderErrors == calls.reduce(0) { $0 + $1.graderErrors })
                // The candidates' own cost leaves the judges out.
                #expect(outcome.costMicros == calls.reduce(0) { $0 + ($1.costMicros ?? 0) })
            }
        }
    }

    @Test func aJudgeThatNeverAnswersIsAGraderErrorAtItsTimeoutNotAStall() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(models: [.init(name: "sim/good"),
                                          .init(name: "sim/silent", faults: .init(hang: 1))]) { server in
                var judge = fakeModelEntry(id: "silent", served: "sim/silent", server: server, price: Self.judgePrice)
                judge.timeoutSeconds = 0.5
                let store = try ResultStore(path: directory.file("run.sqlite"))
                let client = try HTTPClient()
                defer { client.shutdown() }
                let runner = try Runner(plan: RunPlan(suite: suite(judges: [judge], cases: 2),
                                                      models: [fakeModelEntry(id: "good", served: "sim/good", server: server)]),
                                        store: store, client: client, environment: ["TRADEOFF_TEST_KEY": "test-key"],
                                        retryPolicy: RetryPolicy(maxRetries: 1, maxBackoff: 0.1))
                let outcome = try runner.run(catalogPath: "models.yaml")
                #expect(outcome.status == .completed)
                let calls = try store.calls(ofRun: outcome.runID)
                #expect(calls.count == 2)
                for call in calls {
                    // The exact grader still grades; the judge is an error with the reason, not a 0.
                    #expect(call.graderOutcomes.first?.passed == true)
                    let judged = try #require(call.graderOutcomes.last)
                    #expect(judged.isError && call.graderErrors == 1)
                    // curl's own words follow, with the milliseconds it waited.
                    #expect(judged.reason.hasPrefix("silent: judge call failed (timeout): Timeout was reached: "
                                                    + "Operation timed out after "))
                }
                // Both attempts of each verdict are recorded, each ended by the timeout.
                let rows = try store.judgeCalls(ofRun: outcome.runID)
                #expect(rows.count == 2 && rows.allSatisfy { $0.errorClass == .timeout && $0.attempts == 2 })
            }
        }
    }

    @Test func severalJudgesAreAveragedAndAFailingJudgeIsNotASilentZero() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(models: [.init(name: "sim/good"), .init(name: "sim/strict", accuracy: 0),
                                          .init(name: "sim/fair")]) { server in
                let judges = [fakeModelEntry(id: "fair", served: "sim/fair", server: server, price: Self.judgePrice),
                              fakeModelEntry(id: "strict", served: "sim/strict", server: server, price: nil),
                              fakeModelEntry(id: "gone", served: "sim/gone", server: server)]
                let (store, outcome) = try run(suite(judges: judges, scale: .range(low: 1, high: 5)),
                                               models: [fakeModelEntry(id: "good", served: "sim/good", server: server)],
                                               in: directory)
                #expect(outcome.status == .completed)
                for call in try store.calls(ofRun: outcome.runID) {
                    let judged = try #require(call.graderOutcomes.last)
                    // fair says 5/5, strict (always wrong) 1/5, gone never answers: mean of the two.
                    #expect(judged.score == 0.5 && judged.passed)
                    #expect(judged.reason == "mean 0.50 of 2 judges (fair: 5/5, strict: 1/5); no verdict from gone")
                    #expect(judged.judges?.map(\.model) == ["fair", "strict", "gone"])
                    #expect(judged.judges?[2].isError == true)
                    #expect(judged.judges?[2].reason.hasPrefix("judge call failed (not_found): ") == true)
                    // The unpriced judge's cost is unknown, not zero: only fair's is counted.
                    #expect(judged.judges?[1].costMicros == nil)
                    #expect(call.judgeCostMicros == judged.judges?[0].costMicros)
                    #expect(call.graderErrors == 0)
                }
                let rows = try store.judgeCalls(ofRun: outcome.runID)
                #expect(rows.filter { $0.judgeModelId == "gone" }.allSatisfy { $0.errorClass == .notFound && $0.output == nil })
            }
        }
    }

    @Test func whenNoJudgeAnswersTheGraderIsAnErrorAndTheOtherGradersDecide() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(models: [.init(name: "sim/good")]) { server in
                let judges = [fakeModelEntry(id: "gone", served: "sim/gone", server: server)]
                let (store, outcome) = try run(suite(judges: judges),
                                               models: [fakeModelEntry(id: "good", served: "sim/good", server: server)],
                                               in: directory)
                #expect(outcome.status == .completed && outcome.graderErrors == 10)
                for call in try store.calls(ofRun: outcome.runID) {
                    #expect(call.graderErrors == 1)
                    #expect(call.score == 1 && call.passed == true)
                    #expect(call.graderOutcomes.last?.isError == true)
                    #expect(call.judgeCostMicros == nil)
                }
            }
        }
    }

    /// A judge is held to its own limits like a candidate: a server taking 2 judge calls at once
    /// answers the rest 429, and the judge's window shrinks until every verdict comes back.
    @Test func judgesAreHeldToTheirLimits() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(models: [.init(name: "sim/good"),
                                          .init(name: "sim/judge", latencyMs: 20, limits: .init(maxConcurrency: 2))]) { server in
                let judge = fakeModelEntry(id: "judge", served: "sim/judge", server: server, maxConcurrency: 8)
                let models = [fakeModelEntry(id: "good", served: "sim/good", server: server, maxConcurrency: 10)]
                let (store, outcome) = try run(suite(judges: [judge], cases: 40), models: models, in: directory)
                #expect(outcome.status == .completed)
                #expect(outcome.graderErrors == 0)
                let judgeCalls = try store.judgeCalls(ofRun: outcome.runID)
                #expect(judgeCalls.allSatisfy { $0.errorClass == nil })
                #expect(server.peakInFlight(model: "sim/judge") == 2)
                // With the window at 8, six of every eight would be refused, round after round (over 100
                // refusals for 40 verdicts); shrunk, about one a round as it probes for more.
                let refused = server.faultCounts()["sim/judge"]?["limited"] ?? 0
                #expect(refused < 40, "got \(refused) refusals")
            }
        }
    }
}
