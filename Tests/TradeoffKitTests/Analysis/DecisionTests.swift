import Foundation
import Testing
@testable import TradeoffKit

/// The decision layer on a fixed run: reference, comparisons, frontier, recommendations.
struct DecisionTests {
    private let summary = ReportFixture.decision.summary

    @Test func defaultReferenceIsTheBestFrontierModel() {
        #expect(summary.referenceID == "frontier")
        let ids = summary.models.map(\.modelID)
        let classes = summary.models.map(\.modelClass)
        #expect(RunSummary.reference("open-bad", ids: ids, classes: classes, qualities: [1, 0.9, 0.5]) == 2)
        #expect(RunSummary.reference(nil, ids: ids, classes: classes, qualities: [0.8, 0.9, 0.5]) == 0)
        #expect(RunSummary.reference(nil, ids: ids, classes: [.open, .open, .open], qualities: [0.8, 0.9, 0.5]) == 1)
        #expect(RunSummary.reference(nil, ids: ids, classes: classes, qualities: [nil, 0.9, 0.5]) == 1)
        #expect(ReportFixture.mixed.summary.referenceID == "frontier-a")
    }

    @Test func comparesEveryOtherModelWithTheReference() throws {
        #expect(summary.comparisons.map(\.modelID) == ["open-good", "open-bad"])
        let good = try #require(summary.comparison(for: "open-good"))
        #expect(good.cases == 80 && (good.wins, good.losses) == (0, 2))
        #expect(abs(good.difference! - -0.025) < 1e-15)
        #expect(good.verdict == .nonInferior)  // bound above −0.1 on ≥ 29 cases
        #expect(good.differenceInterval?.method == .bootstrapClustered)  // two tasks: tasks resampled too
        let bad = try #require(summary.comparison(for: "open-bad"))
        #expect((bad.wins, bad.losses) == (0, 25))
        #expect(bad.verdict == .inferior)
        // Holm across the two: p(0, 2) = 0.5 and p(0, 25) = 2^-24, adjusted ×1 and ×2.
        #expect(bad.pValue == pow(2, -24) && bad.adjustedPValue == 2 * pow(2, -24))
        #expect(good.pValue == 0.5 && good.adjustedPValue == 0.5)
    }

    @Test func recommendsTheCheapestNonInferiorModelPerSuiteAndTask() throws {
        #expect(summary.recommendation == Recommendation(referenceID: "frontier", modelID: "open-good", closestCandidateID: nil))
        let classify = try #require(summary.tasks.first)
        #expect(classify.recommendation?.modelID == "open-good")
        #expect(classify.perModel["open-bad"]?.comparison?.verdict == .inferior)
        let extract = try #require(summary.tasks.last)
        #expect(extract.recommendation == Recommendation(referenceID: "frontier", modelID: "frontier",
                                                         closestCandidateID: "open-good"))
        // Var(d) = (2 · 0.95² + 38 · 0.05²) / 39, Δ = −0.05: ceil(7.84 · Var(d) / (−0.05 + 0.1)²) = 153
        // (the margin-only formula said 39, fewer than the 40 cases that did not settle it).
        #expect(extract.perModel["open-good"]?.comparison?.verdict == .inconclusive(casesNeeded: 153))
    }

    @Test func frontierKeepsNonDominatedModelsCheapestFirst() {
        let points = summary.frontier.points
        #expect(points.map(\.modelID) == ["open-bad", "open-good", "frontier"])
        #expect(points.map(\.onFrontier) == [true, true, true])
        // (100 − 10) micro-dollars for (0.975 − 0.6875) × 100 points.
        #expect(abs(points[1].incrementalCostPerPointMicros! - 90 / 28.75) < 1e-9)
        #expect(summary.monthlyCostMicros(of: "open-good") == 200_000_000)  // $0.0001 × 2M
    }

    @Test func dominatedOnlyWhenThePairedDifferenceShowsIt() {
        // b costs more than a and scores lower on every case: dominated, and shown.
        let frontier = Frontier(candidates: [("a", 10, 0.9), ("b", 20, 0.5), ("c", 30, 0.88)], excluded: ["z"]) { better, worse in
            let n = 40
            let a = (0..<n).map { _ in better == "a" ? 1.0 : 0.0 }
            let b = (0..<n).map { index in worse == "b" ? 0.0 : Double(index % 2) }
            return PairedComparison(modelID: better, referenceID: worse,
                                    sample: PairedSample(a: a, b: b, passedA: a.map { $0 == 1 }, passedB: b.map { $0 == 1 },
                                                         clusters: Array(repeating: 0, count: n)),
                                    settings: AnalysisSettings(bootstrap: Bootstrap(replicates: 500)))
        }
        #expect(frontier.points.map(\.onFrontier) == [true, false, false])
        #expect(frontier.points[1].dominatedBy == "a" && frontier.points[1].dominanceIsSignificant)
        #expect(frontier.excluded == ["z"])
    }

    @Test func repeatsAreAveragedPerCaseFirst() throws {
        let run = RunRecord(id: 1, suite: "r", suitePath: "r.yaml", suiteHash: "h", catalogPath: "c.yaml", toolVersion: "0",
                            startedAt: ReportFixture.start, status: .completed)
        let models = [ReportFixture.model("m", "x/m", .open, price: ("1", "1"), simulated: false, runID: 1)]
        let cases = ["1", "2"].map { CaseRecord(runId: 1, taskId: "t", caseId: $0, position: 0, variables: [:]) }
        // Case 1 answered three times (1, 1, 0), case 2 once (0): quality (2/3 + 0) / 2, not 2/4.
        let calls = [
            ReportFixture.answer("m", "t", "1", "a", score: 1, cost: 3, latency: 10, runID: 1),
            ReportFixture.answer("m", "t", "1", "b", score: 1, cost: 3, latency: 10, runID: 1, repeatIndex: 1),
            ReportFixture.answer("m", "t", "1", "c", score: 0, cost: 3, latency: 10, runID: 1, repeatIndex: 2),
            ReportFixture.answer("m", "t", "2", "d", score: 0, cost: 3, latency: 10, runID: 1),
        ]
        let summary = RunSummary(run: run, models: models, cases: cases, calls: calls)
        let model = try #require(summary.models.first)
        #expect(abs(model.quality! - 1.0 / 3) < 1e-15)
        #expect(abs(model.passRate! - 1.0 / 3) < 1e-15)
        #expect(model.cases == 2 && model.answered == 4 && summary.repeats == 3)
        #expect(model.qualityInterval?.method == .bootstrap)  // per-case means are not all 0 or 1
        #expect(model.costPerCaseMicros == 3 && model.costPerCorrectMicros == 6)
        let table = CaseTable(modelIDs: ["m"], cases: cases, calls: calls.map(ReportCall.init))
        #expect(table.passes[0] == [2.0 / 3, 0])
        #expect(table.firstAnswer[0] == [0, 3])
    }
}

struct JudgeSpendTests {
    /// What judging an answer cost is never part of the judged model's own cost or cost per case
    /// (the run's spend adds the judges from `grading`).
    @Test func judgeCostIsNotTheModelsCost() throws {
        let run = RunRecord(id: 1, suite: "j", suitePath: "j.yaml", suiteHash: "h", catalogPath: "c.yaml", toolVersion: "0",
                            startedAt: ReportFixture.start, status: .completed)
        let models = [ReportFixture.model("m", "x/m", .open, price: ("1", "1"), simulated: false, runID: 1)]
        let cases = [CaseRecord(runId: 1, taskId: "t", caseId: "1", position: 0, variables: [:])]
        var call = ReportFixture.answer("m", "t", "1", "a", score: 1, cost: 40, latency: 10, runID: 1)
        call.judgeCostMicros = 25
        let summary = RunSummary(run: run, models: models, cases: cases, calls: [call])
        #expect(summary.models[0].totalCostMicros == 40 && summary.models[0].costPerCaseMicros == 40)
        #expect(summary.totalSpendMicros == 40)
    }
}

struct RunComparisonTests {
    /// The same run twice, the second with open-good failing 10 more classify cases.
    @Test func findsFlipsAndCallsARegressionOnlyWhenItIsReal() throws {
        let (baseline, calls) = ReportFixture.decision
        var worse = calls
        for index in worse.indices where worse[index].modelId == "open-good" && worse[index].taskId == "classify" {
            if Int(worse[index].caseId.dropFirst())! <= 10 {
                worse[index].score = 0
                worse[index].passed = false
            }
        }
        worse = worse.map { var call = $0; call.runId = 8; return call }
        var run = baseline.run
        run.id = 8
        let models = ["frontier", "open-good", "open-bad"].map { id in
            ReportFixture.model(id, "x/\(id)", id == "frontier" ? .frontier : .open, price: ("1", "1"), simulated: false, runID: 8)
        }
        let cases = baseline.table.keys.map { CaseRecord(runId: 8, taskId: $0.taskID, caseId: $0.caseID, position: 0, variables: [:]) }
        let current = RunSummary(run: run, models: models, cases: cases, calls: worse, settings: baseline.settings)
        let comparison = RunComparison(baseline: baseline, current: current)
        #expect(comparison.sharedCases == 80 && !comparison.suiteChanged)
        let good = try #require(comparison.models.first { $0.modelID == "open-good" })
        #expect(good.passToFail.count == 10 && good.failToPass.isEmpty)
        #expect(good.passToFail.first == RunComparison.CaseRef(taskID: "classify", caseID: "c1"))
        #expect(good.isRegression)  // p = 2^-9, ×3 by Holm
        #expect(abs(good.comparison.adjustedPValue - 3 * pow(2, -9)) < 1e-15)
        #expect(comparison.regressions.map(\.modelID) == ["open-good"])
        #expect(comparison.tasks.filter(\.isRegression).map { "\($0.modelID)/\($0.taskID)" } == ["open-good/classify"])
        let unchanged = try #require(comparison.models.first { $0.modelID == "frontier" })
        #expect(!unchanged.isRegression && unchanged.comparison.difference == 0)

        let checks = Checks(gates: [], summary: current, baseline: baseline, failOnRegression: false)
        #expect(!checks.failed && checks.baseline?.regressions.count == 1)
        #expect(Checks(gates: [], summary: current, baseline: baseline, failOnRegression: true).failed)
        let markdown = ComparisonReport(comparison, baselineLabel: "run 7 of a.sqlite", currentLabel: "run 8 of a.sqlite").render()
        let mismatch = try Golden.mismatch(markdown, "comparison.md")
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    @Test func aFewFlipsAreNoise() throws {
        let (baseline, calls) = ReportFixture.decision
        var noisy = calls
        // open-good: two classify cases fail, one extract case that failed now passes.
        for index in noisy.indices where noisy[index].modelId == "open-good" {
            if ["c1", "c2"].contains(noisy[index].caseId) { noisy[index].score = 0; noisy[index].passed = false }
            if noisy[index].caseId == "e4" { noisy[index].score = 1; noisy[index].passed = true }
        }
        let current = RunSummary(run: baseline.run, models: [ReportFixture.model("open-good", "x", .open, price: nil,
                                                                                 simulated: false, runID: 7)],
                                 cases: [], calls: noisy)
        let comparison = RunComparison(baseline: baseline, current: current)
        let good = try #require(comparison.models.first)
        #expect((good.passToFail.count, good.failToPass.count) == (2, 1))
        #expect(!good.isRegression)
        #expect(comparison.onlyInBaseline == ["frontier", "open-bad"])
    }
}

struct BootstrapBudgetTests {
    /// B = 100: sizes 10, 10, 20, 50 cost 1,000 + 1,000 + 2,000 + 5,000 draws.
    @Test(arguments: [(100_000, 10_000), (9_000, 10_000), (8_999, 20), (4_000, 20), (3_999, 10), (1_999, 1)])
    func lowersTheLimitUntilTheWorkFits(budget: Int, expected: Int) {
        let settings = AnalysisSettings(bootstrap: Bootstrap(replicates: 100), bootstrapBudget: budget)
        #expect(settings.bounded(by: [50, nil, 10, 20, 10]).bootstrapCaseLimit == expected)
    }

    @Test func aLargeRunFallsBackToNormalIntervalsForItsLargestSamples() throws {
        let (summary, _) = ReportFixture.decision
        let tight = AnalysisSettings(margin: 0.1, bootstrapBudget: 10_000 * 80 * 2)
        let bounded = RunSummary(run: summary.run, models: ReportFixture.decisionModels,
                                 cases: ReportFixture.decisionCases, calls: ReportFixture.decision.calls, settings: tight)
        // Task-level pairs (40 cases) fit; the suite-level ones (80) do not.
        #expect(bounded.settings.bootstrapCaseLimit == 40)
        #expect(bounded.comparisons.allSatisfy { $0.differenceInterval?.method == .normalClustered })
        #expect(bounded.tasks[0].perModel["open-bad"]?.comparison?.differenceInterval?.method == .bootstrap)
    }
}

struct SettingsCheckTests {
    @Test func pinsTheMessagesForBadSettings() {
        let settings = AnalysisSettings(reference: "gpt4o", margin: 1.5)
        #expect(settings.problems(modelIDs: ["gpt-4o", "llama"]) == [
            "the non-inferiority margin must be between 0 and 1 (0.05 = 5 points), got 1.5",
            "unknown model 'gpt4o' in --reference (did you mean 'gpt-4o'?); the run has: gpt-4o, llama",
        ])
        #expect(AnalysisSettings(reference: "llama").problems(modelIDs: ["gpt-4o", "llama"]).isEmpty)
    }
}

/// Quality weighed against cost when a model is shown better than the reference.
struct BetterThanReferenceTests {
    /// A comparison with Δ's 95% interval as given and the verdict it implies at δ = 0.05.
    private static func option(_ id: String, cost: Double?, quality: Double, interval: ClosedRange<Double>?,
                               verdict: PairedComparison.Verdict = .inconclusive(casesNeeded: 1000)) -> Recommendation.Option {
        guard let interval else { return Recommendation.Option(modelID: id, costPerCase: cost, quality: quality, comparison: nil) }
        var comparison = PairedComparison(modelID: id, referenceID: "ref", sample: PairedSample(), settings: AnalysisSettings())
        comparison.cases = 100
        comparison.differenceInterval = Interval(lower: interval.lowerBound, upper: interval.upperBound, method: .bootstrap)
        comparison.differenceLowerBound = interval.lowerBound
        comparison.verdict = verdict
        return Recommendation.Option(modelID: id, costPerCase: cost, quality: quality, comparison: comparison)
    }

    @Test(arguments: [
        // The issue's llama.cpp run: 0.175 against 0.575 (Δ +0.225 to +0.575) at 112% of the cost.
        (1.0, 0.175, 1.12, 0.575, 0.225...0.575, "better"),
        // Two points better at fifty times the cost: more per quality point, the reference stays.
        (1.0, 0.80, 50.0, 0.82, 0.005...0.035, "ref"),
        // The reference scored 0: there is nothing to weigh, the better model is chosen.
        (1.0, 0.0, 3.0, 0.4, 0.2...0.6, "better"),
        // The better model is unpriced: it cannot be shown cheaper per point, the reference stays.
        (1.0, 0.5, nil, 0.9, 0.2...0.6, "ref"),
    ] as [(Double, Double, Double?, Double, ClosedRange<Double>, String)])
    func weighsQualityAgainstCost(referenceCost: Double, referenceQuality: Double, cost: Double?, quality: Double,
                                  interval: ClosedRange<Double>, expected: String) {
        let reference = Self.option("ref", cost: referenceCost, quality: referenceQuality, interval: nil)
        let better = Self.option("better", cost: cost, quality: quality, interval: interval)
        let choice = Recommendation.choose(referenceID: "ref", reference: reference, candidates: [better])
        #expect(choice.modelID == expected)
    }

    /// A cheaper non-inferior model and a costlier better one: cost per quality point decides.
    @Test func aCheaperNonInferiorModelCompetesPerQualityPoint() {
        let reference = Self.option("ref", cost: 1.0, quality: 0.80, interval: nil)
        let cheap = Self.option("cheap", cost: 0.1, quality: 0.79, interval: -0.03...0.01, verdict: .nonInferior)
        let better = Self.option("better", cost: 2.0, quality: 0.90, interval: 0.05...0.15)
        #expect(Recommendation.choose(referenceID: "ref", reference: reference, candidates: [cheap, better]).modelID == "cheap")
        let pricey = Self.option("pricey", cost: 0.95, quality: 0.79, interval: -0.03...0.01, verdict: .nonInferior)
        let strong = Self.option("strong", cost: 1.0, quality: 0.95, interval: 0.1...0.2)
        #expect(Recommendation.choose(referenceID: "ref", reference: reference, candidates: [pricey, strong]).modelID == "strong")
    }

    /// The issue's run as a report: the headline names the better model and weighs its cost, per
    /// task too (the reference scored 0 on `summarize`).
    @Test func headlineSaysWhenAModelIsSignificantlyBetter() {
        let summary = ReportFixture.betterThanReference()
        #expect(summary.referenceID == "gemma3-270m")
        #expect(summary.recommendation?.modelID == "qwen3-0.6b")
        #expect(summary.tasks.map { $0.recommendation?.modelID } == ["qwen3-0.6b", "qwen3-0.6b"])
        let headline = Headline.text(summary)
        #expect(!headline.contains("stays the choice"))
        #expect(headline == "**qwen3-0.6b is significantly better than gemma3-270m: Δ +0.400 (95% CI +0.250 to +0.550), "
                + "McNemar p <0.001, at 112% of the cost**: $0.0195 instead of $0.0571 per 1,000 cases per quality point. "
                + "Per task: qwen3-0.6b is significantly better for classify and summarize.")
        #expect(MarkdownReport(summary).render().contains(
            "| **whole suite** | 40 | qwen3-0.6b | significantly better: Δ +0.400 (+0.250 to +0.550), McNemar p <0.001; "
                + "112% of the cost |"))
    }

    /// At five times the cost the better model costs more per quality point: the reference is
    /// kept for the suite, and the headline still says the other is better. On `summarize`,
    /// where the reference scored 0, there is nothing to weigh and the better model is chosen.
    @Test func aBetterModelCostingMorePerPointIsNamedNotChosen() {
        let summary = ReportFixture.betterThanReference(cost: 5000)
        #expect(summary.recommendation?.modelID == "gemma3-270m")
        #expect(Headline.text(summary) == "**No cheaper model is shown non-inferior to gemma3-270m at δ = 5 points on this "
                + "suite's 40 cases**, so gemma3-270m stays the choice. No model measured is cheaper than gemma3-270m. "
                + "qwen3-0.6b is significantly better than gemma3-270m: Δ +0.400 (95% CI +0.250 to +0.550), McNemar p <0.001, "
                + "at 500% of the cost: $0.0870 instead of $0.0571 per 1,000 cases per quality point, more per point than "
                + "the recommendation. Per task: qwen3-0.6b is significantly better for summarize; gemma3-270m stays the "
                + "choice for classify.")
    }

    /// Unpriced, the better model cannot be weighed: the reference is kept and the headline says why.
    @Test func anUnpricedBetterModelCannotBeWeighed() {
        let summary = ReportFixture.betterThanReference(cost: nil)
        #expect(summary.recommendation?.modelID == "gemma3-270m")
        #expect(Headline.text(summary).contains("qwen3-0.6b is significantly better than gemma3-270m: Δ +0.400 (95% CI "
                                                + "+0.250 to +0.550), McNemar p <0.001; the cost of one of them is unknown "
                                                + "(unpriced), so it cannot be weighed."))
        // The other way round, the better model is chosen on quality alone and the headline says so.
        let unpricedReference = ReportFixture.betterThanReference(referenceCost: nil)
        #expect(unpricedReference.recommendation?.modelID == "qwen3-0.6b")
        #expect(Headline.text(unpricedReference).hasSuffix("McNemar p <0.001**; the cost of one of them is unknown "
                                                          + "(unpriced), so quality decides. Per task: qwen3-0.6b is "
                                                          + "significantly better for classify and summarize."))
    }
}
