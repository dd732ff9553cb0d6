import Foundation
import GRDB
import Testing
@testable import TradeoffKit

struct StoredDateTests {
    /// The hand-made text is GRDB's, over the whole fast range, at whole seconds, at half and
    /// just-under-half milliseconds (where rounding shows), at day, month and leap-year edges,
    /// and outside the range (where GRDB formats it).
    @Test func matchesGRDBsDateFormatter() {
        var dates: [Date] = [Date(timeIntervalSince1970: 0), .distantPast, .distantFuture,
                             Date(timeIntervalSinceReferenceDate: 0), Date(timeIntervalSinceReferenceDate: -0.0005),
                             Date(timeIntervalSince1970: 7_258_118_400), Date(timeIntervalSince1970: 7_258_118_399.9996)]
        // 2024-02-29, 2100-02-28 (not a leap year) and 2000-era boundaries.
        for base in [1_709_164_800.0, 4_107_456_000, 978_307_200, 1_735_689_599, 1_700_000_000] {
            for delta in [-1.0, -0.0005, -0.0004999, 0, 0.0004999, 0.0005, 0.0015, 0.9995, 0.99949, 86_399.9995] {
                dates.append(Date(timeIntervalSince1970: base + delta))
            }
        }
        var generator = Xoshiro256(seed: 3)
        for _ in 0..<100_000 {
            let seconds = Double.random(in: 978_307_200..<7_258_118_400, using: &generator)
            dates.append(Date(timeIntervalSince1970: seconds))
            // Land near a half millisecond, where the +0.5 and the floor decide.
            let half = (seconds * 1000).rounded(.down) / 1000 + 0.0005
            dates.append(Date(timeIntervalSince1970: half.nextDown))
            dates.append(Date(timeIntervalSince1970: half))
        }
        var firstMismatches: [String] = []
        for date in dates where firstMismatches.count < 5 && StoredDate.databaseValue(date) != date.databaseValue {
            firstMismatches.append("\(date.timeIntervalSinceReferenceDate): \(StoredDate.databaseValue(date)) != \(date.databaseValue)")
        }
        #expect(firstMismatches.isEmpty)
    }
}
