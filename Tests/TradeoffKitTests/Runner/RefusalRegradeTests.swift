import FakeProvider
import Foundation
import GRDB
import Testing
import TradeoffTestSupport
@testable import TradeoffKit

/// `not-refusal` in a run against the fake provider and again in `tradeoff grade`: the grader
/// reads the finish reason the runner recorded, and re-grading reads it back from the row.
struct RefusalRegradeTests {
    private func suite() -> Suite {
        var check = GraderSpec(.notRefusal(patterns: ["je ne peux pas"]))
        check.online = true
        let cases = ["1", "2", "3", "4"].map { TestCase(id: $0, variables: ["a": $0, "b": "1"]) }
        let task = SuiteTask(id: "sums", system: nil, prompt: Template("Compute: {{a}} + {{b}}"),
                             settings: TaskSettings(temperature: 0, maxTokens: 16, threshold: 1), graders: [check],
                             cases: cases)
        return Suite(name: "sums", description: nil, path: "sums.yaml", contentHash: "abc", tasks: [task])
    }

    @Test func theRecordedFinishReasonAndTheTextAreReadInARunAndWhenRegraded() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(models: [.init(name: "sim/good")]) { server in
                let environment = ["TRADEOFF_TEST_KEY": "test-key"]
                let model = fakeModelEntry(id: "good", served: "sim/good", server: server)
                let store = try ResultStore(path: directory.file("r.sqlite"))
                let client = try HTTPClient()
                defer { client.shutdown() }
                let run = try Runner(plan: RunPlan(suite: suite(), models: [model]), store: store, client: client,
                                     environment: environment).run(catalogPath: "models.yaml")
                let first = try store.calls(ofRun: run.runID)
                #expect(first.count == 4)
                // The fake answers plainly and ends with `stop`: no refusal, and the finish reason is stored.
                for call in first {
                    #expect(call.passed == true && call.finishReason == "stop", "\(call.grades ?? "")")
                    #expect(call.graderOutcomes.first?.reason == "not a refusal")
                }

                // As a provider's refusals would be stored: a Gemini SAFETY stop, an answer that opens
                // by declining, and one matching the suite's pattern.
                let database = try DatabaseQueue(path: directory.file("r.sqlite"))
                try database.write { db in
                    try db.execute(sql: """
                        UPDATE calls SET finish_reason = 'content_filter', finish_reason_raw = 'SAFETY'
                        WHERE run_id = ? AND case_id = '1'
                        """, arguments: [run.runID])
                    try db.execute(sql: "UPDATE calls SET output = ? WHERE run_id = ? AND case_id = '2'",
                                   arguments: ["I cannot assist with arithmetic.", run.runID])
                    try db.execute(sql: "UPDATE calls SET output = ? WHERE run_id = ? AND case_id = '3'",
                                   arguments: ["Je ne peux pas.", run.runID])
                }
                let outcome = try Regrader(store: store, suite: suite(), client: client, environment: environment)
                    .regrade(runID: run.runID)
                #expect(outcome.graded == 4)
                let reasons = Dictionary(uniqueKeysWithValues: try store.calls(ofRun: outcome.runID).map {
                    ($0.caseId, $0.graderOutcomes.first?.reason ?? "")
                })
                #expect(reasons == [
                    "1": "refused: the provider ended the answer with finish reason 'SAFETY' (refused or filtered)",
                    "2": "refused: the answer opens with the refusal phrasing 'I cannot assist'",
                    "3": "refused: the answer opens with the suite's refusal pattern 'je ne peux pas'",
                    "4": "not a refusal",
                ])
                #expect(try store.calls(ofRun: outcome.runID).allSatisfy { $0.graderOutcomes.first?.online == true })
            }
        }
    }
}
