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

    /// Up to the limit it is the seeded paired bootstrap: the same numbers as `Bootstrap.paired`
    /// (pinned against the Python reference in BootstrapTests).
    @Test func bootstrapIntervalUpToTheLimit() throws {
        let settings = AnalysisSettings(bootstrap: Bootstrap(replicates: 2000, seed: 7))
        let comparison = PairedComparison(modelID: "a", referenceID: "b", sample: Self.sample, settings: settings)
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
        #expect(comparison.verdict == .inconclusive(casesNeeded: 1206))  // ceil(7.84 · 0.38447 / 0.0025)
    }

    @Test(arguments: [
        // cases, lower, upper, variance, margin → verdict
        (100, -0.03, 0.02, 0.1, 0.05, PairedComparison.Verdict.nonInferior),
        (59, -0.049, 0.0, 0.0, 0.05, .nonInferior),
        (58, 0.0, 0.0, 0.0, 0.05, .inconclusive(casesNeeded: 59)),  // too few to show it at all
        (30, 0.0, 0.0, 0.0, 0.1, .nonInferior),
        (100, -0.2, -0.06, 0.1, 0.05, .inferior),
        (10, -1.0, -0.6, 0.3, 0.05, .inferior),
        (66, -0.08, 0.05, 0.1, 0.05, .inconclusive(casesNeeded: 314)),
        (400, -0.051, 0.01, 0.1, 0.05, .inconclusive(casesNeeded: 314)),
        (0, -0.1, 0.1, 0.0, 0.05, .noSharedCases),
    ] as [(Int, Double, Double, Double, Double, PairedComparison.Verdict)])
    func decidesNonInferiority(cases: Int, lower: Double, upper: Double, variance: Double, margin: Double,
                               expected: PairedComparison.Verdict) {
        #expect(PairedComparison.verdict(cases: cases, lowerBound: lower, upperBound: upper, variance: variance,
                                         margin: margin) == expected)
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
