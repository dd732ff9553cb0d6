import Foundation
import Testing
@testable import TradeoffKit

/// Cascades on constructed runs whose answer is known by hand.
struct CascadeTests {
    /// One task of 20 cases: `weak` (open, 10 µ$ a call, 100 ms) scores 1 on even cases and 0 on
    /// odd ones, `strong` (frontier, 300 µ$, 500 ms) 1 everywhere but case 9 (0.5). An online
    /// judge check on every answer, costing 2 µ$ a verdict, fails where `failing` says.
    static func run(failing: (Int) -> Bool, escalateWhen: [String]? = nil, withCheck: Bool = true,
                    strongScore: (Int) -> Double = { $0 == 9 ? 0.5 : 1 }) -> RunSummary {
        var record = RunRecord(id: 5, suite: "c", suitePath: "c.yaml", suiteHash: "h", catalogPath: "m.yaml",
                               toolVersion: "0", startedAt: ReportFixture.start, status: .completed)
        record.context = RunContext(reference: "strong", margin: 0.1, gates: [], volume: nil,
                                    tasks: [RunContext.Task(id: "t", threshold: nil, repeats: 1)],
                                    models: ["weak", "strong"],
                                    cascades: [CascadeSpec(models: ["weak", "strong"], escalateWhen: escalateWhen)])
        let models = [
            ReportFixture.model("weak", "x/weak", .open, price: ("1", "1"), simulated: false, runID: 5),
            ReportFixture.model("strong", "x/strong", .frontier, price: ("1", "1"), simulated: false, runID: 5),
        ]
        var cases: [CaseRecord] = []
        var calls: [CallRecord] = []
        for index in 0..<20 {
            let id = "c\(index)"
            cases.append(CaseRecord(runId: 5, taskId: "t", caseId: id, position: index, variables: [:]))
            var weak = ReportFixture.answer("weak", "t", id, "w", score: index % 2 == 0 ? 1 : 0, cost: 10, latency: 100,
                                            runID: 5)
            var strong = ReportFixture.answer("strong", "t", id, "s", score: strongScore(index), cost: 300, latency: 500,
                                              runID: 5)
            if withCheck {
                weak.grades = Self.grades(passed: !failing(index))
                strong.grades = Self.grades(passed: true)
            }
            calls += [weak, strong]
        }
        return RunSummary(run: record, models: models, cases: cases, calls: calls,
                          settings: AnalysisSettings(reference: "strong", margin: 0.1))
    }

    /// The grades of an answer with one online judge check (metric `sanity`) costing 2 µ$.
    static func grades(passed: Bool, metric: String = "sanity") -> String {
        var outcome = GraderOutcome(type: "judge", score: passed ? 1 : 0, passed: passed, weight: 1, reason: "",
                                    metric: metric, judges: [JudgeOpinion(model: "j", score: passed ? 1 : 0, passed: passed,
                                                                          reason: "", costMicros: 2)])
        outcome.online = true
        return String(decoding: try! JSONEncoder().encode([outcome]), as: UTF8.self)
    }

    @Test func alwaysEscalatingEqualsTheStrongModelPlusTheWeakModelsCost() throws {
        let summary = Self.run { _ in true }
        let cascade = try #require(summary.cascades.first { !$0.automatic })
        let strong = try #require(summary.model("strong"))
        #expect(cascade.quality == strong.quality)
        #expect(cascade.quality == 19.5 / 20)
        #expect(cascade.escalationRate == 1)
        #expect(cascade.lastModelRate == 1)
        // weak 10 + its check 2 + strong 300 on every case.
        #expect(cascade.costPer1kCasesMicros == 312_000)
        #expect(cascade.checkCostPer1kCasesMicros == 2_000)
        #expect(cascade.lastCostPer1kCasesMicros == 300_000)
        #expect(cascade.firstCostPer1kCasesMicros == 10_000)
        #expect(cascade.pgr == 1)
        #expect(cascade.versusLast.difference == 0)
        #expect(cascade.latencyP50Ms == 600)
        #expect(cascade.latencyP95Ms == 600)
    }

    @Test func neverEscalatingEqualsTheWeakModel() throws {
        let summary = Self.run { _ in false }
        let cascade = try #require(summary.cascades.first { !$0.automatic })
        let weak = try #require(summary.model("weak"))
        #expect(cascade.quality == weak.quality)
        #expect(cascade.quality == 0.5)
        #expect(cascade.escalationRate == 0)
        #expect(cascade.costPer1kCasesMicros == 12_000)
        #expect(cascade.pgr == 0)
        #expect(cascade.latencyP95Ms == 100)
        #expect(cascade.uncheckedTasks.isEmpty)
    }

    @Test func escalatingTheFailuresRecoversTheGapAtAFractionOfTheCost() throws {
        // The check catches every odd case (the weak model's failures) but 7 and 9, and fires
        // needlessly on case 4: 8 + 1 = 9 escalations of 20.
        let failing: (Int) -> Bool = { ($0 % 2 == 1 && $0 != 7 && $0 != 9) || $0 == 4 }
        let cascade = try #require(Self.run(failing: failing).cascades.first { !$0.automatic })
        // Kept weak answers: 10 even cases but 4 (1 each) + 7 and 9 (0) = 9; escalated: 9 cases of 1 = 9.
        #expect(cascade.quality == 18.0 / 20)
        #expect(cascade.escalationRate == 9.0 / 20)
        // (18/20 − 10/20) / (19.5/20 − 10/20) = 8 / 9.5.
        #expect(abs(cascade.pgr! - 8 / 9.5) < 1e-12)
        // 1,000 · (20 · 12 + 9 · 300) / 20 = 147,000.
        #expect(cascade.costPer1kCasesMicros == 147_000)
        #expect(abs(cascade.relativeCost! - 147.0 / 300) < 1e-12)
        #expect(cascade.versusLast.cases == 20)
        #expect(cascade.versusLast.referenceID == "strong")
        // The verdict names the one-sided bound it rests on, not only the 95% interval.
        let bound = try #require(cascade.versusLast.differenceLowerBound)
        let headline = HTMLRenderer.plain(CascadesPart.headline(cascade))
        #expect(headline.contains("at δ = 0.1, one-sided bound of Δ \(Formatting.signed(bound)))."), "\(headline)")
    }

    @Test func pgrIsUndefinedWhenBothModelsScoreTheSame() throws {
        let summary = Self.run(failing: { $0 % 3 == 0 }, strongScore: { $0 % 2 == 0 ? 1 : 0 })
        let cascade = try #require(summary.cascades.first { !$0.automatic })
        #expect(cascade.firstQuality == cascade.lastQuality)
        #expect(cascade.pgr == nil)
        let headline = HTMLRenderer.plain(CascadesPart.headline(cascade))
        #expect(headline.contains("PGR undefined"))
    }

    @Test func automaticPairsNeedAnOnlineCheck() throws {
        let with = Self.run { _ in true }
        // The suite's cascade is weak → strong, which is also the only open → frontier pair.
        #expect(with.cascades.map(\.spec.name) == ["weak → strong"])
        let without = Self.run(failing: { _ in true }, withCheck: false)
        #expect(without.cascades.isEmpty)
        #expect(without.cascadeNotes == ["No cascade: no stored answer carries an online grade (mark graders "
                                         + "`online: true`, then `tradeoff grade` the run again)."])
    }

    @Test func escalateWhenPicksItsChecksByMetric() throws {
        // Escalating on a metric no answer was checked on: the cascade never escalates and says so.
        let summary = Self.run(failing: { _ in true }, escalateWhen: ["format"])
        let cascade = try #require(summary.cascades.first { !$0.automatic })
        #expect(cascade.escalationRate == 0)
        #expect(cascade.uncheckedTasks == ["t"])
        // The automatic pair uses every online grader and escalates everything.
        let automatic = try #require(summary.cascades.first { $0.automatic })
        #expect(automatic.escalationRate == 1)
    }

    @Test func routingSectionJSONAndCSVShowTheCascade() throws {
        let summary = Self.run { ($0 % 2 == 1 && $0 != 7 && $0 != 9) || $0 == 4 }
        let markdown = MarkdownRenderer().render(ReportDocument(RoutingSection(summary).blocks))
        #expect(markdown.contains("### Cascades"))
        #expect(markdown.contains("| weak → strong | every online grader | 20 | 45.0% | 0.900 |"))
        #expect(markdown.contains(CascadesPart.caveat))
        let json = RouteReport(summary, label: "run 5").json()
        #expect(json.contains("\"escalation_rate\":0.45"))
        #expect(json.contains("\"cost\":{\"per_thousand_cases_micros\":147000}"))
        let csv = CSVReport(summary).routing()
        #expect(csv.contains(",cascade,,20,,strong,suite,20,0.900000,"))
        let svg = FrontierChart(summary).render()
        #expect(svg.contains("cascade (what-if)"))
        #expect(svg.contains("<title>cascade weak → strong, escalating on every online grader (a what-if)"))
    }
}
