import Foundation
import Testing
@testable import TradeoffKit

/// A cascade weighed by the tasks' stated volumes, on a run small enough to work by hand.
struct CascadeVolumeTests {
    /// Two tasks: `x` (2 cases) and `y` (4 cases). `weak` (open, 10 µ$, 100 ms) scores x: 1, 0 and
    /// y: 0, 0, 1, 1; `strong` (frontier, 300 µ$, 500 ms) scores 1 everywhere. The online check
    /// (2 µ$) fails on x's second case only. With `volumes`, x states 300k/month and y 100k/month:
    /// weights 3/4 and 1/4, 400k cases a month in all.
    static func run(volumes: Bool, bootstrapCaseLimit: Int = 1) -> RunSummary {
        var record = RunRecord(id: 6, suite: "v", suitePath: "v.yaml", suiteHash: "h", catalogPath: "m.yaml",
                               toolVersion: "0", startedAt: ReportFixture.start, status: .completed)
        record.context = RunContext(reference: "strong", margin: 0.1, gates: [], volume: nil,
                                    tasks: [RunContext.Task(id: "x", threshold: nil, repeats: 1,
                                                            volume: volumes ? "300k/month" : nil),
                                            RunContext.Task(id: "y", threshold: nil, repeats: 1,
                                                            volume: volumes ? "100k/month" : nil)],
                                    models: ["weak", "strong"],
                                    cascades: [CascadeSpec(models: ["weak", "strong"])])
        let models = [
            ReportFixture.model("weak", "x/weak", .open, price: ("1", "1"), simulated: false, runID: 6),
            ReportFixture.model("strong", "x/strong", .frontier, price: ("1", "1"), simulated: false, runID: 6),
        ]
        var cases: [CaseRecord] = []
        var calls: [CallRecord] = []
        for (task, scores) in [("x", [1.0, 0]), ("y", [0.0, 0, 1, 1])] {
            for (index, score) in scores.enumerated() {
                let id = "\(task)\(index)"
                cases.append(CaseRecord(runId: 6, taskId: task, caseId: id, position: index, variables: [:]))
                var weak = ReportFixture.answer("weak", task, id, "w", score: score, cost: 10, latency: 100, runID: 6)
                weak.grades = CascadeTests.grades(passed: id != "x1")
                var strong = ReportFixture.answer("strong", task, id, "s", score: 1, cost: 300, latency: 500, runID: 6)
                strong.grades = CascadeTests.grades(passed: true)
                calls += [weak, strong]
            }
        }
        // A case limit of 1 (the default here): the normal interval, whose SE is worked below.
        return RunSummary(run: record, models: models, cases: cases, calls: calls,
                          settings: AnalysisSettings(reference: "strong", margin: 0.1,
                                                     bootstrapCaseLimit: bootstrapCaseLimit))
    }

    @Test func volumesWeighEveryFigureOfTheCascade() throws {
        let cascade = try #require(Self.run(volumes: true).cascades.first)
        #expect(cascade.weightedByVolume)
        #expect(cascade.cases == 6)
        // Per case, the cascade scores x: 1, 1 (the second escalated) and y: 0, 0, 1, 1.
        // Weighted: 3/4 · 1 + 1/4 · 2/4 = 0.875 (by cases it would be 4/6).
        #expect(cascade.quality == 0.875)
        #expect(cascade.firstQuality == 0.5)
        #expect(cascade.lastQuality == 1)
        // (0.875 − 0.5) / (1 − 0.5).
        #expect(cascade.pgr == 0.75)
        // One of x's two cases escalated, none of y's: 3/4 · 1/2.
        #expect(cascade.escalationRate == 0.375)
        // Per case: x 12 and 312 µ$, y 12 µ$ each; 3/4 · 162 + 1/4 · 12 = 124.5 µ$ a case.
        #expect(cascade.costPer1kCasesMicros == 124_500)
        #expect(cascade.checkCostPer1kCasesMicros == 2_000)
        #expect(cascade.firstCostPer1kCasesMicros == 10_000)
        #expect(cascade.lastCostPer1kCasesMicros == 300_000)
        // 124.5 µ$ × 400,000 cases = $49.80 a month.
        #expect(cascade.monthlyCostMicros == 49_800_000)
        // Latency x: 100 and 600 ms, y: 100 ms: mean 3/4 · 350 + 1/4 · 100; 100 ms carries
        // 3/8 + 1/4 of the weight, so it is the median and 600 ms the 95th percentile.
        #expect(cascade.latencyMeanMs == 287.5)
        #expect(cascade.latencyP50Ms == 100)
        #expect(cascade.latencyP95Ms == 600)
        // Δ = 3/4 · 0 + 1/4 · (−2/4); stratified SE² = (3/4)² · 0 / 2 + (1/4)² · (1/3) / 4 = 1/192.
        let comparison = cascade.versusLast
        #expect(comparison.difference == -0.125)
        let error = (1.0 / 192).squareRoot()
        let interval = try #require(comparison.differenceInterval)
        #expect(interval.method == .normalStratified)
        #expect(abs(interval.lower - (-0.125 - Statistics.z95 * error)) < 1e-15)
        #expect(abs(interval.upper - (-0.125 + Statistics.z95 * error)) < 1e-15)
        #expect(abs(comparison.differenceLowerBound! - (-0.125 - Statistics.z95OneSided * error)) < 1e-15)
        #expect(comparison.relativeQuality == 0.875)
    }

    @Test func smallWeightedSamplesAreBootstrappedWithinEachTask() throws {
        let cascade = try #require(Self.run(volumes: true, bootstrapCaseLimit: 1000).cascades.first)
        // x's differences are 0, 0 whatever is drawn; y's mean of 4 draws from −1, −1, 0, 0 is
        // −1 or 0 with chance 1/16 each, more than the 2.5% in each tail: Δ spans 1/4 · [−1, 0]
        // and the ratio 3/4 + 1/4 · [0, 1].
        let comparison = cascade.versusLast
        #expect(comparison.differenceInterval == Interval(lower: -0.25, upper: 0, method: .bootstrapStratified))
        #expect(comparison.relativeQualityInterval == Interval(lower: 0.75, upper: 1, method: .bootstrapStratified))
        #expect(comparison.difference == -0.125)
    }

    @Test func withoutVolumesEachCaseWeighsAlike() throws {
        let cascade = try #require(Self.run(volumes: false).cascades.first)
        #expect(!cascade.weightedByVolume)
        #expect(cascade.quality == 4.0 / 6)
        #expect(cascade.escalationRate == 1.0 / 6)
        // (6 · 12 + 300) / 6 = 62 µ$ a case.
        #expect(cascade.costPer1kCasesMicros == 62_000)
        #expect(abs(cascade.pgr! - 1.0 / 3) < 1e-12)
        #expect(cascade.versusLast.differenceInterval?.method == .normalClustered)
        #expect(cascade.latencyP95Ms == 475)
    }

    @Test func theReportSaysTheCascadeIsVolumeWeighted() throws {
        let weighted = Self.run(volumes: true)
        let markdown = MarkdownRenderer().render(ReportDocument(RoutingSection(weighted).blocks))
        #expect(markdown.contains("Every figure weighs tasks by their stated share of traffic (`volume:`), and Δ is "
                                  + "paired with the last model, stratified by task"))
        #expect(RouteReport(weighted, label: "run 6").json().contains("\"weights\":\"volume\""))
        let plain = MarkdownRenderer().render(ReportDocument(RoutingSection(Self.run(volumes: false)).blocks))
        #expect(plain.contains("Δ is paired with the last model, clustered by task"))
        #expect(!plain.contains("stated share of traffic (`volume:`), and Δ"))
    }
}
