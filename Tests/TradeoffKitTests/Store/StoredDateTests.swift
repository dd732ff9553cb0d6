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

    /// Reading the stored text back gives the milliseconds SQLite's `julianday` gives, and text
    /// of another shape is left to GRDB.
    @Test func readsBackWhatSQLiteReads() throws {
        var generator = Xoshiro256(seed: 5)
        var texts = ["1970-01-01 00:00:00.000", "2000-02-29 23:59:59.999", "2100-03-01 00:00:00.001", "2024-12-31 12:00:00.500"]
        for _ in 0..<2_000 {
            let seconds = Double.random(in: 0..<7_258_118_400, using: &generator)
            texts.append(StoredDate.databaseValue(Date(timeIntervalSince1970: seconds)).storage.value as? String ?? "")
        }
        let queue = try DatabaseQueue()
        for text in texts {
            #expect(text.count == 23, "\(text)")
            let expected = try queue.read { db in
                try Int64.fetchOne(db, sql: "SELECT CAST(round((julianday(?) - 2440587.5) * 86400000) AS INTEGER)",
                                   arguments: [text])
            }
            let found = Array(text.utf8).withUnsafeBufferPointer { StoredDate.milliseconds(stored: $0) }
            #expect(found == expected, "\(text)")
        }
        for other in ["2024-12-31T12:00:00.500", "2024-12-31 12:00:00", "2024-13-01 00:00:00.000", "20x4-01-01 00:00:00.000", "",
                      "2024-12-31 24:00:00.000", "2024-12-31 12:60:00.000", "2024-12-31 12:00:00.-50", "1969-12-31 23:59:59.999",
                      "2024-00-10 12:00:00.000", "2024-01-00 12:00:00.000"] {
            #expect(Array(other.utf8).withUnsafeBufferPointer { StoredDate.milliseconds(stored: $0) } == nil, "\(other)")
        }
    }
}

