import Foundation
import Testing
@testable import TradeoffKit

/// Every expected value below was computed independently with numpy 2.4 / scipy 1.17; the call
/// is named above each table, with the exact inputs.
struct StatisticsTests {
    // MARK: Percentiles

    /// Percentiles by selection equal the sorted computation exactly, on samples with ties,
    /// of every small size and a large one.
    @Test func percentilesBySelectionEqualThoseOfTheSortedSample() {
        var generator = Xoshiro256(seed: 7)
        let ps: [Double] = [0, 50, 90, 95, 99, 100]
        for size in Array(1...40) + [1_000, 10_001] {
            for ties in [false, true] {
                var sample = (0..<size).map { _ in
                    ties ? Double(Int.random(in: 0..<4, using: &generator)) : Double.random(in: -5...900, using: &generator)
                }
                let sorted = sample.sorted()
                let expected = ps.map { Statistics.percentile($0, ofSorted: sorted)! }
                #expect(Statistics.percentiles(ps, selectingIn: &sample) == expected, "size \(size), ties \(ties)")
            }
        }
        var empty: [Double] = []
        #expect(Statistics.percentiles([50], selectingIn: &empty) == nil)
    }

    /// `numpy.percentile(values, p)` (linear method).
    @Test(arguments: [
        ([1, 2, 3, 4], 50, 2.5),
        ([4, 1, 3, 2], 50, 2.5),
        (Array(1...20).map(Double.init), 95, 19.05),
        ([1, 2, 3, 4], 95, 3.85),
        ([10, 20], 25, 12.5),
        ([7], 95, 7),
        ([3, 1, 2], 0, 1),
        ([3, 1, 2], 100, 3),
        ([300, 320, 340, 5000], 95, 4301),
        ([800, 900, 1000, 1200, 3000], 50, 1000),
        ([812.5, 45.25, 60, 61, 59.5, 300, 77, 1200, 88.8, 90, 61, 62.5, 5000, 41, 43], 50, 62.5),
        ([812.5, 45.25, 60, 61, 59.5, 300, 77, 1200, 88.8, 90, 61, 62.5, 5000, 41, 43], 90, 1044.9999999999998),
        ([812.5, 45.25, 60, 61, 59.5, 300, 77, 1200, 88.8, 90, 61, 62.5, 5000, 41, 43], 95, 2339.999999999996),
        ([812.5, 45.25, 60, 61, 59.5, 300, 77, 1200, 88.8, 90, 61, 62.5, 5000, 41, 43], 99, 4467.999999999998),
    ] as [([Double], Double, Double)])
    func percentileMatchesNumpy(values: [Double], p: Double, expected: Double) throws {
        let value = try #require(Statistics.percentile(p, of: values))
        #expect(abs(value - expected) <= 1e-9 * max(1, abs(expected)))
    }

    @Test func percentileOfNothingIsNil() {
        #expect(Statistics.percentile(50, of: []) == nil)
        #expect(Statistics.percentile(50, of: [.nan]) == nil)
    }

    @Test func percentileStaysWithinTheSample() {
        let values = [0.1, 0.2, 0.3]
        for p in stride(from: 0.0, through: 100, by: 0.5) {
            let value = Statistics.percentile(p, of: values)!
            #expect((0.1...0.3).contains(value))
        }
    }

    // MARK: Moments and standard errors

    static let scores: [Double] = [1, 0, 1, 1, 0.5, 0, 1, 0.25, 1, 1, 0, 0.75]
    static let tasks = [0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2]

    @Test func mean() {
        #expect(Statistics.mean([]) == nil)
        #expect(Statistics.mean([1, 0, 0.5]) == 0.5)
    }

    /// `numpy.var(scores, ddof=1)` = 0.19886363636363635;
    /// `numpy.std(scores, ddof=1) / sqrt(12)` = 0.12873216263610932.
    @Test func varianceAndStandardErrorMatchNumpy() throws {
        #expect(abs(try #require(Statistics.variance(Self.scores)) - 0.19886363636363635) < 1e-15)
        #expect(abs(try #require(Statistics.standardError(Self.scores)) - 0.12873216263610932) < 1e-15)
        #expect(Statistics.variance([3]) == nil)
    }

    /// numpy by hand: `m = v.mean(); sqrt(sum((v[c == k] - m).sum()**2 for k in unique(c)) / n**2)`
    /// = 0.01473139127471974 — far below the plain SE with three clusters, which is why the
    /// analysis never lets the clustered SE go below the plain one.
    @Test func clusteredStandardErrorMatchesNumpy() throws {
        let clustered = try #require(Statistics.clusteredStandardError(Self.scores, clusters: Self.tasks))
        #expect(abs(clustered - 0.01473139127471974) < 1e-15)
        #expect(Statistics.clusteredStandardError(Self.scores, clusters: Array(repeating: 0, count: 12)) == 0)
        let settings = AnalysisSettings()
        let (used, method) = settings.standardError(Self.scores, clusters: Self.tasks)
        #expect(method == .normalClustered && abs(used - 0.12873216263610932) < 1e-15)
        #expect(settings.standardError(Self.scores, clusters: Array(repeating: 4, count: 12)).method == .normal)
    }

    /// Summing a cluster's run aside is the dictionary sum done case by case, to the last bit,
    /// whether a cluster's cases come together or interleaved with others'.
    @Test func clusteredStandardErrorIsTheSumCaseByCase() throws {
        func caseByCase(_ values: [Double], _ clusters: [Int]) -> Double {
            let mean = values.reduce(0, +) / Double(values.count)
            var sums: [Int: Double] = [:]
            for (value, cluster) in zip(values, clusters) { sums[cluster, default: 0] += value - mean }
            let total = sums.sorted { $0.key < $1.key }.reduce(0) { $0 + $1.value * $1.value }
            return (total / Double(values.count * values.count)).squareRoot()
        }
        var generator = Xoshiro256(seed: 7)
        var values: [Double] = []
        for _ in 0..<5_000 { values.append(Double(generator.next() % 1_000) / 997) }
        let runs = (0..<5_000).map { $0 / 700 }
        var interleaved: [Int] = []
        for _ in 0..<5_000 { interleaved.append(Int(generator.next() % 9)) }
        for clusters in [runs, interleaved, Array(repeating: 3, count: 5_000)] {
            #expect(Statistics.clusteredStandardError(values, clusters: clusters) == caseByCase(values, clusters))
        }
    }

    // MARK: Intervals and tests

    /// `scipy.stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")`.
    @Test(arguments: [
        (0, 10, 0.0, 0.27753279986288926),
        (10, 10, 0.7224672001371109, 1.0),
        (62, 66, 0.8542709132143579, 0.9761813851676816),
        (61, 66, 0.8346080497938948, 0.9672079624370398),
        (45, 66, 0.5621255011195574, 0.7815099326937003),
        (1, 1, 0.20654931437723745, 1.0),
        (0, 1, 0.0, 0.7934506856227626),
        (150, 300, 0.4437795161339169, 0.5562204838660831),
        (3, 7, 0.1582198552514697, 0.7495416354723428),
    ] as [(Int, Int, Double, Double)])
    func wilsonMatchesScipy(successes: Int, trials: Int, lower: Double, upper: Double) throws {
        let interval = try #require(Statistics.wilson(successes: successes, trials: trials))
        #expect(abs(interval.lowerBound - lower) < 1e-12)
        #expect(abs(interval.upperBound - upper) < 1e-12)
    }

    @Test func wilsonOfNoTrialsIsNil() {
        #expect(Statistics.wilson(successes: 0, trials: 0) == nil)
    }

    /// `scipy.stats.binomtest(b, b + c, 0.5).pvalue` (two-sided), and 1 without discordant pairs.
    @Test(arguments: [
        (0, 0, 1.0), (5, 0, 0.0625), (3, 3, 1.0), (1, 10, 0.01171875), (10, 1, 0.01171875),
        (7, 2, 0.1796875), (120, 80, 0.005685155996750306), (600, 540, 0.08051743870793819), (2, 1, 1.0),
        (0, 6, 0.03125), (4000, 4100, 0.2713310871439323),
    ] as [(Int, Int, Double)])
    func mcnemarExactMatchesScipyBinomtest(b: Int, c: Int, expected: Double) {
        let p = Statistics.mcnemarExactPValue(b, c)
        #expect(abs(p - expected) <= 1e-12 * max(expected, 1e-300) + 1e-15)
    }

    /// Holm by hand with numpy (statsmodels' `multipletests(method="holm")` is the same formula):
    /// sort, multiply the j-th smallest by (m − j + 1), take the running maximum, clip at 1.
    @Test(arguments: [
        ([0.01, 0.04, 0.03, 0.005], [0.03, 0.06, 0.06, 0.02]),
        ([0.5], [0.5]),
        ([0.02, 0.02, 0.5], [0.06, 0.06, 0.5]),
        ([0.001, 0.2, 0.04, 0.9, 0.012], [0.005, 0.4, 0.12, 0.9, 0.048]),
        ([], []),
    ] as [([Double], [Double])])
    func holmMatchesTheReferenceFormula(p: [Double], expected: [Double]) {
        let adjusted = Statistics.holmAdjusted(p)
        #expect(adjusted.count == expected.count)
        for (value, want) in zip(adjusted, expected) { #expect(abs(value - want) < 1e-15) }
    }

    /// `math.ceil(7.84 * var / d**2)`.
    @Test(arguments: [(0.1, 0.05, 314), (0.0643, 0.05, 202), (0.25, 0.1, 196), (0.0, 0.05, 0)])
    func casesNeededFollowsThePowerFormula(variance: Double, margin: Double, expected: Int) {
        #expect(Statistics.casesNeeded(variance: variance, margin: margin) == expected)
    }

    /// `math.ceil(math.log(0.05) / math.log(1 - d))`; at that n, 1 − 0.05^(1/n) ≤ d
    /// (0.049507609888227 at d = 0.05).
    @Test(arguments: [(0.05, 59), (0.1, 29), (0.02, 149), (0.01, 299), (0.5, 5)])
    func minimumCasesForNonInferiority(margin: Double, expected: Int) {
        let n = Statistics.minimumCasesForNonInferiority(margin: margin)
        #expect(n == expected)
        #expect(1 - pow(0.05, 1 / Double(n)) <= margin)
        #expect(1 - pow(0.05, 1 / Double(n - 1)) > margin)
    }

    /// `scipy.stats.norm.ppf(0.975)` and `norm.ppf(0.95)`.
    @Test func normalQuantiles() {
        #expect(Statistics.z95 == 1.959963984540054)
        #expect(Statistics.z95OneSided == 1.6448536269514722)
    }
}
