import Testing
@testable import TradeoffKit

struct StatisticsTests {
    /// Expected values computed by hand with numpy's linear method: rank h = (n − 1) · p / 100.
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
    ] as [([Double], Double, Double)])
    func percentileInterpolatesBetweenClosestRanks(values: [Double], p: Double, expected: Double) throws {
        let value = try #require(Statistics.percentile(p, of: values))
        #expect(abs(value - expected) < 1e-9)
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

    @Test func mean() {
        #expect(Statistics.mean([]) == nil)
        #expect(Statistics.mean([1, 0, 0.5]) == 0.5)
    }
}
