import Testing
@testable import TradeoffKit

/// The seeded bootstrap against an independent Python implementation of the same procedure
/// (xoshiro256** seeded by SplitMix64, index = high 64 bits of next() × n, numpy's linear
/// percentile): the intervals must agree to the last bits. The script is in the test comments.
struct BootstrapTests {
    /// Python: SplitMix64 from the seed gives the state; then the xoshiro256** step
    /// `r = rotl(s1 * 5, 7) * 9; t = s1 << 17; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 45)`.
    @Test func generatorMatchesTheReferenceSequence() {
        var one = Xoshiro256(seed: 1)
        #expect([one.next(), one.next(), one.next(), one.next()]
                == [12_966_619_160_104_079_557, 9_600_361_134_598_540_522, 10_590_380_919_521_690_900,
                    7_218_738_570_589_545_383])
        var zero = Xoshiro256(seed: 0)
        #expect([zero.next(), zero.next(), zero.next()]
                == [11_091_344_671_253_066_420, 13_793_997_310_169_335_082, 1_900_383_378_846_508_768])
    }

    @Test func indicesStayInRange() {
        var generator = Xoshiro256(seed: 9)
        for count in [1, 2, 3, 7, 1000] {
            for _ in 0..<200 { #expect((0..<count).contains(generator.index(below: count))) }
        }
    }

    /// Python `means(v, B=1000, seed=42)`, then `numpy.percentile(m, [2.5, 97.5])`:
    /// 0.34452272727272726, 0.7136590909090907; min 0.21909090909090906, max 0.8218181818181818.
    /// (`scipy.stats.bootstrap(..., method="percentile")` with its own generator gives
    /// 0.3527–0.7136: the same interval up to resampling noise.)
    @Test func meanIntervalMatchesTheReference() throws {
        let values = [0.12, 0.97, 0.33, 0.58, 0.71, 0.05, 0.88, 0.41, 0.26, 0.64, 0.93]
        let means = Bootstrap(replicates: 1000, seed: 42).means(values)
        #expect(means.count == 1000)
        let interval = try #require(means.percentileInterval())
        #expect(abs(interval.lowerBound - 0.34452272727272726) < 1e-12)
        #expect(abs(interval.upperBound - 0.7136590909090907) < 1e-12)
        #expect(abs(means.first! - 0.21909090909090906) < 1e-12 && abs(means.last! - 0.8218181818181818) < 1e-12)
    }

    /// Python `paired(a, b, B=1000, seed=3)`: Δ percentiles 2.5/97.5/5/95 =
    /// −0.03888888888888875, 0.14999999999999997, −0.022222222222222143, 0.1388888888888889;
    /// ratio 2.5/97.5 = 0.9318070409982178, 1.3031016042780745.
    @Test func pairedReplicatesMatchTheReference() throws {
        let a = [0.9, 0.4, 0.75, 1.0, 0.2, 0.55, 0.8, 0.35, 0.6]
        let b = [0.7, 0.5, 0.65, 0.9, 0.3, 0.25, 0.85, 0.45, 0.4]
        let replicates = Bootstrap(replicates: 1000, seed: 3).paired(a, b)
        let difference = try #require(replicates.differences.percentileInterval())
        #expect(abs(difference.lowerBound - -0.03888888888888875) < 1e-12)
        #expect(abs(difference.upperBound - 0.14999999999999997) < 1e-12)
        #expect(abs(Statistics.percentile(5, ofSorted: replicates.differences)! - -0.022222222222222143) < 1e-12)
        #expect(abs(Statistics.percentile(95, ofSorted: replicates.differences)! - 0.1388888888888889) < 1e-12)
        let ratio = try #require(replicates.ratios?.percentileInterval())
        #expect(abs(ratio.lowerBound - 0.9318070409982178) < 1e-12)
        #expect(abs(ratio.upperBound - 1.3031016042780745) < 1e-12)
    }

    /// Python `paired(a, b, B=2000, seed=7)` on 0/1/½ scores: −0.375 to 0.2916666666666667, which
    /// `scipy.stats.bootstrap((a, b), mean(x) − mean(y), paired=True, method="percentile")` also
    /// gives (−0.375 to 0.29166666666666663).
    @Test func pairedIntervalAgreesWithScipyOnPassFailScores() throws {
        let a: [Double] = [1, 1, 0, 1, 1, 0.5, 1, 0, 1, 1, 1, 0]
        let b: [Double] = [1, 0, 0, 1, 1, 1, 1, 1, 1, 0, 1, 1]
        let interval = try #require(Bootstrap(replicates: 2000, seed: 7).paired(a, b).differences.percentileInterval())
        #expect(abs(interval.lowerBound - -0.375) < 1e-12)
        #expect(abs(interval.upperBound - 0.2916666666666667) < 1e-12)
    }

    @Test func sameSeedSameReplicatesOtherSeedOthers() {
        let values = [0.1, 0.9, 0.4, 0.7, 0.3]
        #expect(Bootstrap(replicates: 500, seed: 5).means(values) == Bootstrap(replicates: 500, seed: 5).means(values))
        #expect(Bootstrap(replicates: 500, seed: 5).means(values) != Bootstrap(replicates: 500, seed: 6).means(values))
    }

    @Test func ratioIsUndefinedWhenAResampleOfTheReferenceIsZero() {
        let replicates = Bootstrap(replicates: 200, seed: 1).paired([1, 0], [0, 0])
        #expect(replicates.ratios == nil)
        #expect(Bootstrap().paired([], []).differences.isEmpty)
    }

    /// Python `cluster(a, b, tasks, B=2000, seed=1)` (clusters in ascending id; each replicate
    /// draws k cluster indices as `index` does and gives (Σa* − Σb*)/n*, Σa*/Σb*), then
    /// `numpy.percentile`: differences p2.5 −0.075, p97.5 0.015; ratios 0.925 to 1.015228426395939.
    @Test func clusterIntervalMatchesTheReference() throws {
        let sample = PairedComparisonTests.clusteredLosses
        let replicates = Bootstrap(replicates: 2000, seed: 1).clusterPaired(sample.a, sample.b, clusters: sample.clusters)
        let differences = try #require(replicates.differences.percentileInterval())
        #expect(abs(differences.lowerBound - -0.075) < 1e-12 && abs(differences.upperBound - 0.015) < 1e-12)
        let ratios = try #require(replicates.ratios?.percentileInterval())
        #expect(abs(ratios.lowerBound - 0.925) < 1e-12 && abs(ratios.upperBound - 1.015228426395939) < 1e-12)
        // The order of the cases does not matter, only which cluster each is in.
        let shuffled = Bootstrap(replicates: 2000, seed: 1).clusterPaired(sample.a.reversed(), sample.b.reversed(),
                                                                          clusters: sample.clusters.reversed())
        #expect(shuffled == replicates)
    }
}
