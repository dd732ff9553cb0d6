import Foundation
import Testing
@testable import TradeoffKit

/// The hand scan of `YYYY-MM-DD` against the pattern it replaced, on every shape near a date.
struct CalendarDayTests {
    /// The old reading: a Regex, then the calendar's checks.
    private static func oracle(_ text: String) -> CalendarDay? {
        guard let match = text.wholeMatch(of: /([0-9]{4})-([0-9]{2})-([0-9]{2})/),
              let year = Int(match.1), let month = Int(match.2), let day = Int(match.3),
              (1...12).contains(month), day >= 1, day <= CalendarDay.days(inMonth: month, of: year)
        else { return nil }
        return CalendarDay("\(match.1)-\(match.2)-\(match.3)")
    }

    @Test func theScanAgreesWithThePatternItReplaced() {
        var texts = ["", "2026-11-25", "2024-02-29", "2023-02-29", "0000-01-01", "9999-12-31", "2026-13-01",
                     "2026-00-10", "2026-01-00", "2026-1-01", "2026-01-1", " 2026-01-01", "2026-01-01 ",
                     "2026/01/01", "20260101", "2026-01-01T00:00", "٢٠٢٦-٠١-٠١", "2026-01-0١", "2026‐01‐01",
                     "abcd-ef-gh", "2026--1-01", "+026-01-01", "2026-+1-01", "2026-01-01\n"]
        // Every 10-byte string of one changed byte around a valid date.
        let base = Array("2024-02-29".utf8)
        for index in base.indices {
            for byte in [UInt8(ascii: "0"), UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: "a"),
                         UInt8(ascii: " "), 0x2F, 0x3A] {
                var changed = base
                changed[index] = byte
                texts.append(String(decoding: changed, as: UTF8.self))
            }
        }
        // Every day of four years, and the days just past each month's end.
        for year in [1900, 2000, 2023, 2024] {
            for month in 0...13 {
                for day in 0...32 {
                    texts.append(String(format: "%04d-%02d-%02d", year, month, day))
                }
            }
        }
        for text in texts {
            #expect(CalendarDay(text) == Self.oracle(text), "\(text.debugDescription)")
        }
        #expect(texts.count > 1_800)
    }

    @Test func aSubstringOrABridgedStringReadsTheSame() {
        let line = "as_of: 2026-11-25"
        let day = CalendarDay(String(line.dropFirst(7)))
        #expect(day?.description == "2026-11-25")
    }
}
