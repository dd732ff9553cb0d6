import Foundation
import Testing
@testable import TradeoffKit

/// The Grading section's metrics, judges, agreements and error examples follow the suite, not
/// the order calls were recorded in (the order they finished; merged shards, shard by shard).
struct GradingOrderTests {
    private static let start = Date(timeIntervalSince1970: 1_746_100_800)

    private func call(_ model: String, _ task: String, _ caseID: String, graderErrors: Int = 0,
                      _ outcomes: [GraderOutcome]) -> CallRecord {
        var call = CallRecord(runId: 7, modelId: model, taskId: task, caseId: caseID, startedAt: Self.start,
                              finishedAt: Self.start)
        call.output = "x"
        call.score = 1
        call.passed = true
        call.graderErrors = graderErrors
        call.grades = GraderOutcome.encoded(outcomes)
        return call
    }

    private func graded(_ metric: String) -> GraderOutcome {
        GraderOutcome(type: "exact", score: 1, weight: 1, reason: "", metric: metric)
    }

    private func judged(_ judges: [String]) -> GraderOutcome {
        GraderOutcome(type: "judge", score: 1, passed: true, weight: 1, reason: "mean", metric: "judged",
                      judges: judges.map {
                          JudgeOpinion(model: $0, score: 1, passed: true, verdict: "pass", reason: "ok", costMicros: 1)
                      })
    }

    @Test func theSummaryIsTheSameInEveryRecordedOrder() {
        let run = RunRecord(id: 7, suite: "s", suitePath: "s.yaml", suiteHash: "abc", catalogPath: "m.yaml",
                            toolVersion: "0.1.0", startedAt: Self.start, finishedAt: Self.start, status: .completed)
        let models = ["a", "b"].map {
            RunModelRecord(runId: 7, entry: ModelEntry(id: $0, baseURL: "http://x", model: $0, modelClass: .open,
                                                       price: nil, apiKeyEnv: nil))
        }
        // Suite order: first/1, first/2, second/1.
        let cases = [("first", "1"), ("first", "2"), ("second", "1")].enumerated().map { position, key in
            CaseRecord(runId: 7, taskId: key.0, caseId: key.1, position: position, variables: [:])
        }
        let first = [graded("accuracy"), judged(["j1", "j2"]), graded("format")]
        let second = [graded("structure"), judged(["j3", "j1"])]
        let late = GraderOutcome.error(type: "command", weight: 1, metric: "accuracy", reason: "late")
        let boom = GraderOutcome.error(type: "command", weight: 1, metric: nil, reason: "boom")
        let calls = [
            call("a", "first", "1", first), call("b", "first", "1", first),
            call("a", "first", "2", first), call("b", "first", "2", graderErrors: 1, [late] + first),
            call("a", "second", "1", second), call("b", "second", "1", graderErrors: 1, [boom] + second),
        ]
        var generator = Xoshiro256(seed: 11)
        var orders = [calls, calls.reversed(), calls.shuffled(using: &generator)]
        orders.append(calls.shuffled(using: &generator))
        for order in orders {
            let grading = RunSummary(run: run, models: models, cases: cases, calls: order).grading
            #expect(grading.metrics == ["accuracy", "judged", "format", "structure"])
            #expect(grading.judges.map(\.modelID) == ["j1", "j2", "j3"])
            #expect(grading.agreements.map(\.label) == ["first / judged", "second / judged"])
            #expect(grading.errorExamples == ["b": "command: late"])
        }
    }

    /// Without the cases (grades alone), the order is the order met.
    @Test func gradesAloneKeepTheOrderMet() {
        let calls = [
            call("a", "second", "1", [graded("structure"), judged(["j3"])]),
            call("a", "first", "1", [graded("accuracy"), judged(["j1"])]),
        ].map(ReportCall.init)
        let grading = GradingSummary(calls: calls, modelIDs: ["a"])
        #expect(grading.metrics == ["structure", "judged", "accuracy"])
        #expect(grading.judges.map(\.modelID) == ["j3", "j1"])
    }
}
