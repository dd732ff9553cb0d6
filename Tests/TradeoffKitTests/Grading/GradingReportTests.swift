import Foundation
import Testing
@testable import TradeoffKit

/// The report's Grading section: per-metric scores, grader errors, and the cost of evaluating
/// kept apart from the candidates' cost.
struct GradingReportTests {
    private static let start = Date(timeIntervalSince1970: 1_746_100_800)

    private func call(_ model: String, _ caseID: String, score: Double?, cost: Int64, judgeCost: Int64?,
                      graderErrors: Int = 0, _ outcomes: [GraderOutcome]) -> CallRecord {
        var call = CallRecord(runId: 7, modelId: model, taskId: "triage", caseId: caseID, startedAt: Self.start,
                              finishedAt: Self.start)
        call.output = "billing"
        call.score = score
        call.passed = (score ?? 0) >= 1
        call.costMicros = cost
        call.judgeCostMicros = judgeCost
        call.graderErrors = graderErrors
        call.grades = GraderOutcome.encoded(outcomes)
        return call
    }

    private func judged(_ scores: [(String, Double?)], metric: String = "judged", costs: [Int64?]) -> GraderOutcome {
        let opinions = zip(scores, costs).map { judge, cost in
            judge.1.map { JudgeOpinion(model: judge.0, score: $0, passed: $0 >= 0.5, verdict: $0 >= 0.5 ? "pass" : "fail",
                                       reason: "ok", costMicros: cost) }
                ?? JudgeOpinion(model: judge.0, score: nil, passed: nil, reason: "no verdict after a retry", isError: true,
                                costMicros: cost, calls: 2)
        }
        let graded = scores.compactMap(\.1)
        let mean = graded.reduce(0, +) / Double(max(1, graded.count))
        return GraderOutcome(type: "judge", score: mean, passed: mean >= 0.5, weight: 1, reason: "mean", metric: metric,
                             judges: opinions)
    }

    /// The section as Markdown, or nil when the report leaves it out.
    private func gradingSection(_ summary: RunSummary) -> String? {
        let blocks = GradingSection(summary).blocks
        return blocks.isEmpty ? nil : MarkdownRenderer().render(blocks)
    }

    @Test func theSectionShowsMetricsErrorsAndTheCostOfEvaluating() {
        let run = RunRecord(id: 7, suite: "s", suitePath: "s.yaml", suiteHash: "abc", catalogPath: "m.yaml",
                            toolVersion: "0.1.0", startedAt: Self.start, finishedAt: Self.start, status: .completed)
        let price = Price(inputPerMillion: 1, outputPerMillion: 2)
        let models = ["a", "b"].map {
            RunModelRecord(runId: 7, entry: ModelEntry(id: $0, baseURL: "http://x", model: $0, modelClass: .open, price: price,
                                                       apiKeyEnv: nil))
        }
        let cases = ["1", "2"].enumerated().map {
            CaseRecord(runId: 7, taskId: "triage", caseId: $1, position: $0, variables: [:])
        }
        let exact = { (passed: Bool) in
            GraderOutcome(type: "exact", score: passed ? 1 : 0, weight: 1, reason: "", metric: "accuracy")
        }
        let calls = [
            call("a", "1", score: 1, cost: 100, judgeCost: 30, [exact(true), judged([("j1", 1), ("j2", 1)], costs: [10, 20])]),
            call("a", "2", score: 0.5, cost: 100, judgeCost: 30, [exact(false), judged([("j1", 1), ("j2", 0)], costs: [10, 20])]),
            call("b", "1", score: 1, cost: 5, judgeCost: 50, graderErrors: 1,
                 [exact(true), judged([("j1", nil), ("j2", 1)], costs: [30, 20]),
                  .error(type: "command", weight: 1, metric: "accuracy", reason: "command 'sh' timed out after 5 s")]),
            call("b", "2", score: nil, cost: 5, judgeCost: nil, graderErrors: 1,
                 [.error(type: "command", weight: 1, metric: nil, reason: "command 'sh' exited with status 2: boom")]),
        ]
        let summary = RunSummary(run: run, models: models, cases: cases, calls: calls)
        #expect(summary.grading.judgeCostMicros == 110)
        #expect(summary.totalSpendMicros == 210)
        #expect(gradingSection(summary) == """
            ## Grading

            | Model | accuracy | judged | Grader errors |
            |---|--:|--:|--:|
            | a | 0.500 (50.0% pass) | 0.750 (100.0% pass) | 0 |
            | b | 1.000 (100.0% pass) | 1.000 (100.0% pass) | 2 |

            Each metric is the mean, over the answers graded on it, of its graders' weighted score, with the share of answers every one of its graders passed. Grader errors are graders that could not grade an answer (a command failed, a judge gave no verdict): they are left out of the scores, not counted as 0. 1 answer had no grader that could grade it: it has no score, and counts as 0 in quality. For example — b: command: command 'sh' timed out after 5 s.

            **Cost of evaluating.** The judges made 7 calls for $0.00011, apart from the candidates' $0.00021 (together $0.00032).

            | Judge | Verdicts | Calls | Reused | No verdict | Cost |
            |---|--:|--:|--:|--:|--:|
            | j1 | 2 | 4 | 0 | 1 | $0.00005 |
            | j2 | 3 | 3 | 0 | 0 | $0.00006 |

            Judges j1 and j2 agree on pass or fail for 50% of 2 answers (triage / judged); the grade is their mean.
            """)
    }

    @Test func aRunWithoutMetricsJudgesOrErrorsHasNoSection() {
        let (summary, _) = ReportFixture.mixed
        #expect(summary.grading.isEmpty)
        #expect(gradingSection(summary) == nil)
    }

    @Test func aJudgeThatIsACandidateIsNoted() {
        let run = RunRecord(id: 1, suite: "s", suitePath: "s.yaml", suiteHash: "abc", catalogPath: "m.yaml",
                            toolVersion: "0.1.0", startedAt: Self.start, status: .completed)
        let models = [RunModelRecord(runId: 1, entry: ModelEntry(id: "j1", baseURL: "http://x", model: "j1", modelClass: .open,
                                                                  price: nil, apiKeyEnv: nil))]
        var answer = call("j1", "1", score: 1, cost: 0, judgeCost: nil, [judged([("j1", 1)], costs: [nil])])
        answer.runId = 1
        let summary = RunSummary(run: run, models: models, cases: [CaseRecord(runId: 1, taskId: "triage", caseId: "1",
                                                                              position: 0, variables: [:])], calls: [answer])
        let section = gradingSection(summary) ?? ""
        #expect(section.contains("**Cost of evaluating.** The judges made 1 call for an unknown cost (no judge is priced)."))
        #expect(section.contains("| j1 | 1 | 1 | 0 | 0 | unpriced |"))
        #expect(section.contains("> **A judge is also a candidate.** j1 graded its own answers too"))
    }
}
