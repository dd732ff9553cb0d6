import Foundation
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

/// The lean queries reports use read the same values as the whole-row ones.
struct ReportQueriesTests {
    @Test func reportCallsAndCasesMatchTheFullRows() throws {
        try withTemporaryDirectory { directory in
            let store = try ResultStore(path: directory.file("r.sqlite"))
            let suite = Suite(name: "s", description: nil, path: "s.yaml", contentHash: "h", tasks: [
                SuiteTask(id: "t", system: nil, prompt: Template("{{q}}"), settings: .defaults, graders: [GraderSpec(.jsonValid)],
                          cases: [TestCase(id: "1", variables: ["q": "a"]), TestCase(id: "2", variables: ["q": "b"])]),
            ])
            let run = RunRecord(suite: "s", suitePath: "s.yaml", suiteHash: "h", catalogPath: "c.yaml", toolVersion: "0",
                                startedAt: ReportFixture.start, status: .running)
            let runID = try store.beginRun(run, models: [ReportFixture.entry("m", "x/m", .open, price: ("1", "2"), simulated: true)],
                                           suite: suite)
            var answer = ReportFixture.answer("m", "t", "1", "=1+1, \"x\"", score: 0.5, cost: 12, latency: 33.5, runID: runID)
            answer.ttftMs = 7.25
            answer.outputTokensPerSecond = 91
            answer.judgeCostMicros = 4
            var repeated = ReportFixture.answer("m", "t", "1", "b", score: 1, cost: 3, latency: 9, runID: runID, repeatIndex: 1)
            repeated.graderErrors = 1
            repeated.grades = #"[{"type":"json-valid","score":1,"weight":1,"reason":"ok","metric":"format"}]"#
            try store.record([answer, repeated,
                              ReportFixture.failure("m", "t", "2", .timeout, "slow | <b>", status: nil, runID: runID)])
            let full = try store.calls(ofRun: runID)
            let lean = try store.reportCalls(ofRun: runID)
            #expect(lean.count == 3)
            for (a, b) in zip(full, lean) {
                #expect(a.id == b.id && a.modelId == b.modelId && a.taskId == b.taskId && a.caseId == b.caseId)
                #expect(a.repeatIndex == b.repeatIndex && a.output == b.output && a.score == b.score && a.passed == b.passed)
                #expect(a.inputTokens == b.inputTokens && a.cachedInputTokens == b.cachedInputTokens
                        && a.outputTokens == b.outputTokens && a.usageSource == b.usageSource)
                #expect(a.costMicros == b.costMicros && a.judgeCostMicros == b.judgeCostMicros && a.latencyMs == b.latencyMs
                        && a.ttftMs == b.ttftMs && a.outputTokensPerSecond == b.outputTokensPerSecond)
                #expect(a.httpStatus == b.httpStatus && a.errorClass == b.errorClass && a.errorMessage == b.errorMessage
                        && a.graderErrors == b.graderErrors)
            }
            // Grades come back only where they name a metric or judges, or a grader failed.
            #expect(lean[1].grades == repeated.grades && lean[0].grades == nil)
            #expect(try store.reportCases(ofRun: runID).map { "\($0.taskId)/\($0.caseId)/\($0.position)" }
                    == (try store.cases(ofRun: runID)).map { "\($0.taskId)/\($0.caseId)/\($0.position)" })
        }
    }
}
