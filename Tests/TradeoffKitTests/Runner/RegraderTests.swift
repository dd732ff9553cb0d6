import FakeProvider
import Foundation
import Testing
import TradeoffTestSupport
@testable import TradeoffKit

/// `tradeoff grade`'s engine: stored answers graded again into a new run, no candidate called.
struct RegraderTests {
    private func suite(expected: [String: String], judge: ModelEntry? = nil) -> Suite {
        let cases = expected.keys.sorted().map { id in
            TestCase(id: id, variables: ["a": id, "b": "1", "sum": expected[id]!])
        }
        var graders = [GraderSpec(.exact(expected: Template("{{sum}}"), normalize: [.trim]))]
        if let judge {
            graders.append(GraderSpec(.judge(JudgeSpec(judges: [.init(id: judge.id, entry: judge)],
                                                       rubric: Template("Must be {{sum}}.")))))
        }
        let task = SuiteTask(id: "sums", system: nil, prompt: Template("Compute: {{a}} + {{b}}"),
                             settings: TaskSettings(temperature: 0, maxTokens: 16, threshold: 1), graders: graders,
                             cases: cases)
        return Suite(name: "sums", description: nil, path: "sums.yaml", contentHash: "abc", tasks: [task])
    }

    @Test func answersAreGradedAgainWithTheCurrentGradersAndVariables() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(models: [.init(name: "sim/good"), .init(name: "sim/judge")]) { server in
                let environment = ["TRADEOFF_TEST_KEY": "test-key"]
                let judge = fakeModelEntry(id: "judge", served: "sim/judge", server: server)
                let model = fakeModelEntry(id: "good", served: "sim/good", server: server)
                let store = try ResultStore(path: directory.file("r.sqlite"))
                let client = try HTTPClient()
                defer { client.shutdown() }
                // "3" holds a wrong label: 3 + 1 is not 5.
                let original = suite(expected: ["1": "2", "2": "3", "3": "5"], judge: judge)
                let run = try Runner(plan: RunPlan(suite: original, models: [model]), store: store, client: client,
                                     environment: environment).run(catalogPath: "models.yaml")
                let requests = server.requestCount(model: "sim/good")
                #expect(try store.calls(ofRun: run.runID).sorted { $0.caseId < $1.caseId }.map(\.passed) == [true, true, false])

                // The label fixed, case "1" gone: two answers graded again, one now passes.
                let fixed = suite(expected: ["2": "3", "3": "4"], judge: judge)
                let outcome = try Regrader(store: store, suite: fixed, client: client, environment: environment)
                    .regrade(runID: run.runID)
                #expect(outcome.graded == 2 && outcome.leftOut == 1 && outcome.changed == 1)
                #expect(outcome.judgeCalls == 1 && outcome.judgeVerdictsReused == 1)
                #expect(server.requestCount(model: "sim/good") == requests)

                let new = try store.calls(ofRun: outcome.runID)
                #expect(new.map(\.caseId).sorted() == ["2", "3"])
                #expect(new.allSatisfy { $0.passed == true })
                let old = try store.calls(ofRun: run.runID)
                for call in new {
                    let before = try #require(old.first { $0.caseId == call.caseId })
                    #expect(call.output == before.output && call.costMicros == before.costMicros)
                    #expect(call.latencyMs == before.latencyMs && call.inputTokens == before.inputTokens)
                }
                #expect(try store.run(outcome.runID)?.gradedFrom == run.runID)
                #expect(try store.cases(ofRun: outcome.runID).map(\.variables).contains(#"{"a":"3","b":"1","sum":"4"}"#))
                // The unchanged case's verdict is reused (not paid again); the fixed one's prompt changed.
                let judgeCalls = try store.judgeCalls(ofRun: outcome.runID)
                #expect(judgeCalls.filter(\.isReused).count == 1)
                #expect(new.first { $0.caseId == "2" }?.judgeCostMicros == nil)
                #expect(new.first { $0.caseId == "3" }?.judgeCostMicros ?? 0 > 0)
            }
        }
    }
}
