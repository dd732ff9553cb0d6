import Foundation
import Testing
@testable import TradeoffKit

/// The portfolio on constructed runs whose answer is known by hand.
struct PortfolioTests {
    /// Task a (40 cases) and b (65): the reference `ref` fails a's every 10th case and b's every
    /// 4th; `cheap` fails one more of a's (non-inferior there) and half of b's (inferior); `mid`
    /// fails two more of a's and one more of b's (non-inferior on b). So a goes to cheap, b to mid.
    /// Costs per call: ref 1,000; cheap 7 + i mod 3; mid 300 + i mod 7 micro-dollars.
    static func run(caseLimit: Int = 10_000, volumes: [String]? = nil, volume: Volume? = Volume(casesPerMonth: 1_000_000))
        -> RunSummary {
        var record = RunRecord(id: 3, suite: "routing", suitePath: "routing.yaml", suiteHash: "h", catalogPath: "c.yaml",
                               toolVersion: "0", startedAt: ReportFixture.start, status: .completed)
        if let volumes {
            record.context = RunContext(reference: "ref", margin: 0.1, gates: [], volume: nil,
                                        tasks: zip(["a", "b"], volumes).map {
                                            RunContext.Task(id: $0.0, threshold: nil, repeats: 1, volume: $0.1)
                                        }, models: ["ref", "cheap", "mid"])
        }
        let models = [
            ReportFixture.model("ref", "x/ref", .frontier, price: ("1", "1"), simulated: false, runID: 3),
            ReportFixture.model("cheap", "x/cheap", .open, price: ("1", "1"), simulated: false, runID: 3),
            ReportFixture.model("mid", "x/mid", .open, price: ("1", "1"), simulated: false, runID: 3),
        ]
        var cases: [CaseRecord] = []
        var calls: [CallRecord] = []
        for (task, count) in [("a", 40), ("b", 65)] {
            for index in 0..<count {
                let id = "\(task)\(index)"
                cases.append(CaseRecord(runId: 3, taskId: task, caseId: id, position: index, variables: [:]))
                let refFails = task == "a" ? index % 10 == 0 : index % 4 == 0
                let fails = [
                    "ref": refFails,
                    "cheap": task == "a" ? refFails || index == 1 : index % 2 == 0,
                    "mid": refFails || (task == "a" ? index == 1 || index == 2 : index == 1),
                ]
                let costs: [String: Int64] = ["ref": 1000, "cheap": 7 + Int64(index % 3), "mid": 300 + Int64(index % 7)]
                for model in ["ref", "cheap", "mid"] {
                    calls.append(ReportFixture.answer(model, task, id, "x", score: fails[model]! ? 0 : 1, cost: costs[model],
                                                      latency: 100, runID: 3))
                }
            }
        }
        let settings = AnalysisSettings(reference: "ref", margin: 0.1, volume: volume, bootstrapCaseLimit: caseLimit)
        return RunSummary(run: record, models: models, cases: cases, calls: calls, settings: settings)
    }

    @Test func routesEachTaskByItsRecommendation() throws {
        let portfolio = try #require(Self.run().routing.portfolio)
        #expect(portfolio.routes.map(\.modelID) == ["cheap", "mid"])
        #expect(portfolio.routes.map(\.reason) == [.nonInferior(cases: 40), .nonInferior(cases: 65)])
        #expect(portfolio.baselines.map(\.modelID) == ["ref", "mid"])
        #expect(portfolio.baselines.map(\.role) == [.reference, .bestSingle])
    }

    @Test func qualityIsTheCaseWeightedMeanOfTheRoutedModelsTaskMeans() throws {
        let portfolio = try #require(Self.run().routing.portfolio)
        // (40 · 35/40 + 65 · 47/65) / 105 = 82/105; the reference (36 + 48)/105, mid (34 + 47)/105.
        #expect(abs(portfolio.quality - 82.0 / 105) < 1e-15)
        #expect(abs(portfolio.baselines[0].quality - 84.0 / 105) < 1e-15)
        #expect(abs(portfolio.baselines[1].quality - 81.0 / 105) < 1e-15)
        #expect(abs(portfolio.baselines[0].relativeQuality! - 82.0 / 84) < 1e-15)
        let weights: [Double] = [40.0 / 105, 65.0 / 105]
        #expect(portfolio.routes.map(\.weight) == weights)
    }

    @Test func statedTaskVolumesWeighQualityAndCost() throws {
        let portfolio = try #require(Self.run(volumes: ["60%", "40%"]).routing.portfolio)
        #expect(portfolio.weightedByVolume)
        #expect(portfolio.routes.map(\.weight) == [0.6, 0.4])
        // 0.6 · 35/40 + 0.4 · 47/65: the weighted per-task means, not the case-weighted 82/105.
        #expect(abs(portfolio.quality - (0.6 * 35 / 40 + 0.4 * 47 / 65)) < 1e-15)
        #expect(abs(portfolio.baselines[0].quality - (0.6 * 36 / 40 + 0.4 * 48 / 65)) < 1e-15)
        // 1,000 · (0.6 · 319/40 + 0.4 · 19,690/65) = 4,785 + 121,169.23… = 125,954.23… → 125,954.
        #expect(portfolio.costPer1kCasesMicros == 125_954)
        #expect(portfolio.latencyP50Ms == 100)
        #expect(portfolio.latencyP95Ms == 100)
    }

    @Test func monthlyTaskVolumesStateTheSuitesVolume() throws {
        let summary = Self.run(volumes: ["300k/month", "700k/month"], volume: nil)
        let portfolio = try #require(summary.routing.portfolio)
        #expect(summary.routingVolume == Volume(casesPerMonth: 1_000_000))
        #expect(portfolio.routes.map(\.weight) == [0.3, 0.7])
        // 300,000 · 319/40 + 700,000 · 19,690/65 = 2,392,500 + 212,046,153.8… → 214,438,654.
        #expect(portfolio.monthlyCostMicros == 214_438_654)
    }

    @Test func costPerThousandCasesIsExactToTheMicroDollar() throws {
        let portfolio = try #require(Self.run().routing.portfolio)
        // cheap on a: 14·7 + 13·8 + 13·9 = 319 over 40 cases; mid on b: 65·300 + 190 = 19,690 over 65.
        // 1,000 · (40/105 · 319/40 + 65/105 · 19,690/65) = 20,009,000/105 = 190,561.90… → 190,562.
        #expect(portfolio.costPer1kCasesMicros == 190_562)
        // 1,000,000 · 20,009/105 = 190,561,904.76… → 190,561,905.
        #expect(portfolio.monthlyCostMicros == 190_561_905)
        #expect(portfolio.routes.map(\.costPerCaseMicros) == [Decimal(string: "7.975")!, Decimal(string: "302.923077")!])
        #expect(portfolio.baselines[0].costPer1kCasesMicros == 1_000_000)
        // mid alone: 1,000 · (12,115 + 19,690) / 105 = 302,904.76… → 302,905.
        #expect(portfolio.baselines[1].costPer1kCasesMicros == 302_905)
        #expect(portfolio.baselines[0].relativeCost == 190_562.0 / 1_000_000)
    }

    @Test func stratifiedIntervalHoldsThePointAndIsReproducible() throws {
        let first = try #require(Self.run().routing.portfolio)
        let second = try #require(Self.run().routing.portfolio)
        let interval = try #require(first.qualityInterval)
        #expect(interval.method == .bootstrapStratified)
        #expect(interval.contains(first.quality))
        #expect(second.qualityInterval == interval)
        #expect(second.baselines.map(\.relativeQualityInterval) == first.baselines.map(\.relativeQualityInterval))
        // A different seed draws other resamples.
        let other = Bootstrap(replicates: 10_000, seed: 2).stratified([[[0], [1], [1]], [[1], [0]]], weights: [0.6, 0.4])
        #expect(other != Bootstrap(replicates: 10_000, seed: 1).stratified([[[0], [1], [1]], [[1], [0]]], weights: [0.6, 0.4]))
    }

    /// Computed independently in Python with numpy, on the same cases: the generator of
    /// `BootstrapTests` (xoshiro256** from SplitMix64, `index(n) = (next() * n) >> 64`), then
    /// per replicate `tot = sum(w[k] * s[[g.index(len(s)) for _ in s]].mean(axis=0) for k, s in
    /// enumerate(strata))` with strata a (40 rows) then b (65), columns (routed, ref, mid),
    /// w = [40, 65] / 105, B = 10,000, seed 1; `np.percentile(reps[:, 0], [2.5, 97.5])` and of
    /// `reps[:, 0] / reps[:, c]` for the ratios. The normal interval: point ± 1.959963984540054 ·
    /// sqrt(Σ w² · var(routed column, ddof=1) / n).
    @Test func matchesAnIndependentComputation() throws {
        let portfolio = try #require(Self.run().routing.portfolio)
        let interval = try #require(portfolio.qualityInterval)
        #expect(abs(interval.lower - 0.6952380952380952) < 1e-12 && abs(interval.upper - 0.8571428571428572) < 1e-12)
        let ratio = try #require(portfolio.baselines[0].relativeQualityInterval)
        #expect(abs(ratio.lower - 0.9390243902439026) < 1e-12 && abs(ratio.upper - 1.0) < 1e-12)
        let ratioToMid = try #require(portfolio.baselines[1].relativeQualityInterval)
        #expect(abs(ratioToMid.lower - 1.0) < 1e-12 && abs(ratioToMid.upper - 1.0405405405405406) < 1e-12)

        let large = try #require(Self.run(caseLimit: 50).routing.portfolio)
        let normal = try #require(large.qualityInterval)
        #expect(normal.method == .normalStratified)
        #expect(abs(normal.lower - 0.7024074509289142) < 1e-12 && abs(normal.upper - 0.8594973109758477) < 1e-12)
    }

    @Test func everyTaskToTheReferenceIsSkippedWithItsReason() {
        let summary = ReportFixture.mixed.summary  // a handful of cases per task: no verdict anywhere
        #expect(summary.routing == .skipped(.everyTaskToReference(referenceID: "frontier-a")))
        #expect(summary.routing.portfolio == nil)
    }

    @Test func anUnpricedRoutedModelIsSkipped() {
        #expect(ReportFixture.betterThanReference(cost: nil).routing == .skipped(.unpriced(modelID: "qwen3-0.6b")))
        #expect(ReportFixture.minimal.summary.routing == .skipped(.everyTaskToReference(referenceID: "solo")))
    }
}
