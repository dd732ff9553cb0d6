import Testing
@testable import TradeoffKit

struct PairedComparisonTests {
    static let a: [Double] = [1, 1, 0, 1, 1, 0.5, 1, 0, 1, 1, 1, 0]
    static let b: [Double] = [1, 0, 0, 1, 1, 1, 1, 1, 1, 0, 1, 1]
    static let tasks = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]

    static var sample: PairedSample {
        PairedSample(a: a, b: b, passedA: a.map { $0 > 0.5 }, passedB: b.map { $0 > 0.5 }, clusters: tasks)
    }

    /// Above the bootstrap limit the interval is normal. numpy:
    /// `d = a − b; s = max(std(d, ddof=1)/sqrt(n), clustered_se(d))` (0.17899480834410092 plain,
    /// 0.1482927535004349 clustered) → Δ −0.041666666666666664, 95% −0.392490044440754 to
    /// 0.30915671110742066, one-sided −0.3360869263769447 / 0.25275359304361134;
    /// ratio R = 0.9444444444444445 with e = (a − R·b)/mean(b), interval 0.4895298628626816 to
    /// 1.3993590260262074.
    @Test func normalIntervalAboveTheBootstrapLimitMatchesNumpy() throws {
        let settings = AnalysisSettings(bootstrapCaseLimit: 5)
        let comparison = PairedComparison(modelID: "a", referenceID: "b", sample: Self.sample, settings: settings)
        let interval = try #require(comparison.differenceInterval)
        #expect(interval.method == .normalClustered)
        #expect(abs(comparison.difference! - -0.041666666666666664) < 1e-15)
        #expect(abs(interval.lower - -0.392490044440754) < 1e-12)
        #expect(abs(interval.upper - 0.30915671110742066) < 1e-12)
        #expect(abs(comparison.differenceLowerBound! - -0.3360869263769447) < 1e-12)
        #expect(abs(comparison.differenceUpperBound! - 0.25275359304361134) < 1e-12)
        let ratio = try #require(comparison.relativeQualityInterval)
        #expect(abs(comparison.relativeQuality! - 0.9444444444444445) < 1e-15)
        #expect(abs(ratio.lower - 0.4895298628626816) < 1e-12 && abs(ratio.upper - 1.3993590260262074) < 1e-12)
        #expect(abs(comparison.differenceVariance! - 0.3844696969696971) < 1e-15)
    }

    /// Up to the limit, on cases of one task, it is the seeded paired bootstrap: the same numbers
    /// as `Bootstrap.paired` (pinned against the Python reference in BootstrapTests).
    @Test func bootstrapIntervalUpToTheLimit() throws {
        let settings = AnalysisSettings(bootstrap: Bootstrap(replicates: 2000, seed: 7))
        var sample = Self.sample
        sample.clusters = Array(repeating: 0, count: sample.count)
        let comparison = PairedComparison(modelID: "a", referenceID: "b", sample: sample, settings: settings)
        let interval = try #require(comparison.differenceInterval)
        #expect(interval.method == .bootstrap)
        #expect(abs(interval.lower - -0.375) < 1e-12 && abs(interval.upper - 0.2916666666666667) < 1e-12)
        let replicates = Bootstrap(replicates: 2000, seed: 7).paired(Self.a, Self.b)
        #expect(comparison.differenceLowerBound == Statistics.percentile(5, ofSorted: replicates.differences))
        #expect(comparison.relativeQualityInterval?.lower == replicates.ratios?.percentileInterval()?.lowerBound)
    }

    /// Flips: a passes where b fails on cases 2 and 10 (wins), b passes where a fails on 6, 8, 12
    /// (losses; 0.5 is not a pass). `scipy.stats.binomtest(2, 5, 0.5).pvalue` = 1.0.
    @Test func countsFlipsBothWaysAndTestsThemExactly() {
        let comparison = PairedComparison(modelID: "a", referenceID: "b", sample: Self.sample, settings: AnalysisSettings())
        #expect((comparison.wins, comparison.losses) == (2, 3))
        #expect(comparison.pValue == 1)
        #expect(comparison.cases == 12)
        // ceil(7.84 · 0.38447 / (−0.041667 + 0.05)²): Δ sits close to −δ, so many cases are needed.
        #expect(comparison.verdict == .inconclusive(casesNeeded: 43_406))
    }

    @Test(arguments: [
        // cases, Δ, lower, upper, variance, margin → verdict
        (100, 0.0, -0.03, 0.02, 0.1, 0.05, PairedComparison.Verdict.nonInferior),
        (59, 0.0, -0.049, 0.0, 0.0, 0.05, .nonInferior),
        (58, 0.0, 0.0, 0.0, 0.0, 0.05, .inconclusive(casesNeeded: 59)),  // too few to show it at all
        (30, 0.0, 0.0, 0.0, 0.0, 0.1, .nonInferior),
        (100, -0.13, -0.2, -0.06, 0.1, 0.05, .inferior),
        (10, -0.8, -1.0, -0.6, 0.3, 0.05, .inferior),
        // 7.84 · Var / (Δ + δ)²: the distance from the observed Δ to the margin decides.
        (66, -0.01, -0.08, 0.05, 0.1, 0.05, .inconclusive(casesNeeded: 490)),
        (400, -0.02, -0.051, 0.01, 0.1, 0.05, .inconclusive(casesNeeded: 872)),
        // The run: 500 cases, Δ −0.037, Var 0.09375 showed "294 needed"; ≈ 4,350 are.
        (500, -0.037, -0.06, -0.014, 0.09375, 0.05, .inconclusive(casesNeeded: 4350)),
        // Never fewer than the cases already run, which did not settle it.
        (500, 0.2, -0.06, 0.4, 0.09375, 0.05, .inconclusive(casesNeeded: 501)),
        (0, 0.0, -0.1, 0.1, 0.0, 0.05, .noSharedCases),
        // Below the shared-case floor no verdict, whatever the bounds: 3 losses of 3 were "inferior".
        (3, -1.0, -1.0, -1.0, 0.0, 0.05, .tooFewCases(casesNeeded: 10)),
        (9, -1.0, -1.0, -1.0, 0.0, 0.05, .tooFewCases(casesNeeded: 10)),
        // Leaning non-inferior, the non-inferiority minimum (59 at δ = 0.05) is what is needed.
        (5, 0.0, 0.0, 0.0, 0.0, 0.05, .tooFewCases(casesNeeded: 59)),
        // ... and the observed variance, when it asks for more: 7.84 · 0.25 / 0.05² = 784.
        (5, 0.0, -0.4, 0.4, 0.25, 0.05, .tooFewCases(casesNeeded: 784)),
        // At a wide margin the floor still holds: ln 0.05 / ln 0.7 = 8.4, but 10 cases are needed.
        (9, 0.0, 0.0, 0.0, 0.0, 0.3, .tooFewCases(casesNeeded: 10)),
    ] as [(Int, Double, Double, Double, Double, Double, PairedComparison.Verdict)])
    func decidesNonInferiority(cases: Int, difference: Double, lower: Double, upper: Double, variance: Double,
                               margin: Double, expected: PairedComparison.Verdict) {
        #expect(PairedComparison.verdict(cases: cases, difference: difference, lowerBound: lower, upperBound: upper,
                                         variance: variance, margin: margin) == expected)
    }

    /// 8 tasks of 25 cases; the candidate loses 5 cases, all in the last task, and wins one.
    /// Resampling cases spreads those losses over the tasks: one-sided bound −0.04, "non-inferior"
    /// at δ = 0.05. Resampling tasks keeps them together: −0.07, inconclusive, and the cases
    /// needed scale with the clustered variance, 7.84 · 200 · 0.0244949² / 0.03² = 1,045.3.
    /// Python (tests/BootstrapTests reference), B = 2000, seed 1: case bootstrap p5 −0.04,
    /// p2.5 −0.045, p97.5 0.005; cluster bootstrap p5 −0.07, p95 0.01, p2.5 −0.075, p97.5 0.015.
    static var clusteredLosses: PairedSample {
        let tasks = (0..<8).flatMap { Array(repeating: $0, count: 25) }
        var a = Array(repeating: 1.0, count: 200)
        var b = Array(repeating: 1.0, count: 200)
        b[0] = 0
        for index in 175..<180 { a[index] = 0 }
        return PairedSample(a: a, b: b, passedA: a.map { $0 == 1 }, passedB: b.map { $0 == 1 }, clusters: tasks)
    }

    @Test func disagreementsInOneTaskAreResampledTogether() throws {
        let settings = AnalysisSettings(bootstrap: Bootstrap(replicates: 2000, seed: 1))
        var unclustered = Self.clusteredLosses
        unclustered.clusters = Array(repeating: 0, count: unclustered.count)
        let naive = PairedComparison(modelID: "a", referenceID: "b", sample: unclustered, settings: settings)
        #expect(abs(naive.differenceLowerBound! - -0.04) < 1e-12 && naive.verdict == .nonInferior)

        let comparison = PairedComparison(modelID: "a", referenceID: "b", sample: Self.clusteredLosses, settings: settings)
        let interval = try #require(comparison.differenceInterval)
        #expect(interval.method == .bootstrapClustered && interval.method.label == "bootstrap, clustered by task")
        #expect(abs(comparison.differenceLowerBound! - -0.07) < 1e-12)
        #expect(abs(comparison.differenceUpperBound! - 0.01) < 1e-12)
        #expect(abs(interval.lower - -0.075) < 1e-12 && abs(interval.upper - 0.015) < 1e-12)
        #expect(comparison.verdict == .inconclusive(casesNeeded: 1046))
    }

    /// Above the bootstrap limit the same data uses the clustered SE: −0.02 − 1.6449 · 0.0244949.
    @Test func disagreementsInOneTaskWidenTheNormalBoundToo() {
        let settings = AnalysisSettings(bootstrapCaseLimit: 10)
        let comparison = PairedComparison(modelID: "a", referenceID: "b", sample: Self.clusteredLosses, settings: settings)
        #expect(abs(comparison.differenceLowerBound! - (-0.02 - Statistics.z95OneSided * 0.024494897427831824)) < 1e-12)
        #expect(comparison.verdict == .inconclusive(casesNeeded: 1046))
    }

    /// Three shared cases, all one way: the bootstrap interval is the single point ±1, which
    /// read as "worse by more than δ" and "significantly better" before any floor.
    @Test(arguments: [-1.0, 1.0])
    func threeSharedCasesGiveNoVerdict(direction: Double) {
        let a = Array(repeating: direction > 0 ? 1.0 : 0.0, count: 3)
        let b = Array(repeating: direction > 0 ? 0.0 : 1.0, count: 3)
        let sample = PairedSample(a: a, b: b, passedA: a.map { $0 == 1 }, passedB: b.map { $0 == 1 }, clusters: [0, 0, 0])
        let comparison = PairedComparison(modelID: "a", referenceID: "b", sample: sample, settings: AnalysisSettings())
        #expect(comparison.differenceInterval?.lower == direction && comparison.differenceInterval?.upper == direction)
        #expect(comparison.verdict == .tooFewCases(casesNeeded: direction > 0 ? 59 : 10))
        #expect(comparison.verdict.label == "inconclusive" && !comparison.hasEnoughCases)
        #expect(!comparison.isSignificantlyBetter && !comparison.isSignificantlyWorse)
    }

    @Test func noSharedCaseHasNoDifference() {
        let comparison = PairedComparison(modelID: "a", referenceID: "b", sample: PairedSample(), settings: AnalysisSettings())
        #expect(comparison.verdict == .noSharedCases && comparison.difference == nil && comparison.pValue == 1)
    }

    /// Holm over a family: `[0.01171875, 0.0625, 1.0]` → `[0.03515625, 0.125, 1.0]`.
    @Test func holmAcrossAFamily() {
        func comparison(_ wins: Int, _ losses: Int) -> PairedComparison {
            let n = wins + losses
            let a = (0..<n).map { Double($0 < wins ? 1 : 0) }
            let b = a.map { 1 - $0 }
            return PairedComparison(modelID: "m", referenceID: "r",
                                    sample: PairedSample(a: a, b: b, passedA: a.map { $0 == 1 }, passedB: b.map { $0 == 1 },
                                                         clusters: Array(repeating: 0, count: n)),
                                    settings: AnalysisSettings(bootstrap: Bootstrap(replicates: 100)))
        }
        let family = [comparison(1, 10), comparison(5, 0), comparison(3, 3)].holmAdjusted()
        #expect(family.map(\.pValue) == [0.01171875, 0.0625, 1.0])
        #expect(family.map(\.adjustedPValue) == [0.03515625, 0.125, 1.0])
        #expect(family[0].isRegression && !family[1].isRegression)
    }
}

struct IntervalPolicyTests {
    /// Small 0/1 samples: Wilson (`binomtest(62, 66).proportion_ci(method="wilson")`).
    @Test func smallPassFailSampleUsesWilson() throws {
        let values = Array(repeating: 1.0, count: 62) + Array(repeating: 0.0, count: 4)
        let interval = try #require(AnalysisSettings().meanInterval(CaseSample(values: values,
                                                                               clusters: Array(repeating: 0, count: 66))))
        #expect(interval.method == .wilson)
        #expect(abs(interval.lower - 0.8542709132143579) < 1e-12 && abs(interval.upper - 0.9761813851676816) < 1e-12)
    }

    @Test func smallScoreSampleUsesTheBootstrap() throws {
        let values = [0.12, 0.97, 0.33, 0.58, 0.71, 0.05, 0.88, 0.41, 0.26, 0.64, 0.93]
        let settings = AnalysisSettings(bootstrap: Bootstrap(replicates: 1000, seed: 42))
        let interval = try #require(settings.meanInterval(CaseSample(values: values, clusters: Array(repeating: 0, count: 11))))
        #expect(interval.method == .bootstrap)
        #expect(abs(interval.lower - 0.34452272727272726) < 1e-12 && abs(interval.upper - 0.7136590909090907) < 1e-12)
        #expect(settings.meanInterval(CaseSample(values: [0.5], clusters: [0])) == nil)
    }

    /// Large samples: normal with the clustered SE, floored at the plain one. numpy: mean
    /// 0.7083333333333334, plain SE 0.12995239998794275 (clustered 0.034020690871988585) →
    /// 0.4536313096524222 to 0.9630353570142445.
    @Test func largeSampleUsesTheNormalIntervalClusteredByTask() throws {
        let settings = AnalysisSettings(smallSampleLimit: 5)
        let interval = try #require(settings.meanInterval(CaseSample(values: PairedComparisonTests.a,
                                                                     clusters: PairedComparisonTests.tasks)))
        #expect(interval.method == .normalClustered)
        #expect(abs(interval.lower - 0.4536313096524222) < 1e-12 && abs(interval.upper - 0.9630353570142445) < 1e-12)
        let oneTask = try #require(settings.meanInterval(CaseSample(values: PairedComparisonTests.a,
                                                                    clusters: Array(repeating: 0, count: 12))))
        #expect(oneTask.method == .normal)
    }
}
