import Foundation
import Synchronization
import Testing
@testable import TradeoffKit

/// A cascade escalating on `not-refusal`: the cheap model's answers are graded by the real
/// grader from their stored rows (finish reason and text, as the runner and `tradeoff grade`
/// pass them), and exactly the refused ones escalate.
struct RefusalCascadeTests {
    /// Grades `call` with an exact grader and an online `not-refusal` check, reading the finish
    /// reason off the row as `Runner` and `Regrader` do.
    private static func graded(_ call: CallRecord, expected: String) throws -> CallRecord {
        var check = GraderSpec(.notRefusal())
        check.online = true
        let grader = try CaseGrader(taskGraders: [try Grader(GraderSpec(.exact(expected: Template(expected), normalize: []))),
                                                  try Grader(check)],
                                    caseGraders: [], threshold: nil)
        let context = GradingContext(taskID: call.taskId, caseID: call.caseId, modelID: call.modelId, system: nil,
                                     prompt: "q", finishReason: call.finish, finishReasonRaw: call.finishReasonRaw)
        let result = Mutex<CallRecord?>(nil)
        grader.grade(call.output ?? "", variables: [:], context: context, runID: call.runId, pool: nil) { graded in
            var call = call
            call.apply(graded)
            result.withLock { $0 = call }
        }
        return try #require(result.withLock { $0 })
    }

    @Test func refusedAnswersEscalateAndTheRestAreKept() throws {
        var record = RunRecord(id: 5, suite: "r", suitePath: "r.yaml", suiteHash: "h", catalogPath: "m.yaml",
                               toolVersion: "0", startedAt: ReportFixture.start, status: .completed)
        record.context = RunContext(reference: "strong", margin: 0.1, gates: [], volume: nil,
                                    tasks: [RunContext.Task(id: "t", threshold: nil, repeats: 1)],
                                    models: ["weak", "strong"],
                                    cascades: [CascadeSpec(models: ["weak", "strong"], escalateWhen: ["not-refusal"])])
        let models = [
            ReportFixture.model("weak", "x/weak", .open, price: ("1", "1"), simulated: false, runID: 5),
            ReportFixture.model("strong", "x/strong", .frontier, price: ("1", "1"), simulated: false, runID: 5),
        ]
        var cases: [CaseRecord] = [], calls: [CallRecord] = []
        var refusedReasons: [String] = []
        for index in 0..<12 {
            let id = "c\(index)"
            cases.append(CaseRecord(runId: 5, taskId: "t", caseId: id, position: index, variables: [:]))
            var weak = ReportFixture.answer("weak", "t", id, "ok", score: 0, cost: 10, latency: 100, runID: 5)
            switch index % 3 {
            case 0:
                // Anthropic's refusal stop reason, stored normalized as the runner stores it.
                weak.output = "I would rather"
                weak.finishReason = FinishReason(raw: "refusal").rawValue
                weak.finishReasonRaw = "refusal"
            case 1:
                weak.output = "I'm sorry, but I can't help with that."
                weak.finishReason = "stop"
            default:
                weak.finishReason = "stop"
            }
            weak = try Self.graded(weak, expected: "ok")
            let outcomes = weak.graderOutcomes
            try #require(outcomes.count == 2)
            #expect(outcomes[1].online && outcomes[1].type == "not-refusal")
            if !outcomes[1].passed { refusedReasons.append(outcomes[1].reason) }
            let strong = try Self.graded(ReportFixture.answer("strong", "t", id, "ok", score: 0, cost: 300, latency: 500,
                                                              runID: 5), expected: "ok")
            calls += [weak, strong]
        }
        #expect(refusedReasons.count == 8)
        #expect(refusedReasons.filter { $0.contains("finish reason 'refusal'") }.count == 4)
        #expect(refusedReasons.filter { $0.contains("phrasing 'I'm sorry, I can't help with'") }.count == 4)

        let summary = RunSummary(run: record, models: models, cases: cases, calls: calls,
                                 settings: AnalysisSettings(reference: "strong", margin: 0.1))
        let cascade = try #require(summary.cascades.first { !$0.automatic })
        #expect(cascade.escalationRate == 8.0 / 12)
        // The weak model's kept answers are its right ones; the refused ones get the strong answer.
        #expect(cascade.quality == 1)
        #expect(try #require(summary.model("weak")).quality == 4.0 / 12)
    }
}
