import Foundation
import GRDB

/// Dates as GRDB stores them, `yyyy-MM-dd HH:mm:ss.SSS` in UTC, without its `DateFormatter`:
/// formatting the two dates of each call row through ICU cost ~30k instructions a row.
///
/// The digits are computed as CoreFoundation hands the date to ICU — milliseconds since 1970,
/// plus a half, floored — and `StoredDateTests` holds the text to `Date.databaseValue`. Outside
/// 2001–2199 GRDB formats as before (ICU's calendar rules there are its own business).
enum StoredDate {
    /// 2001-01-01 and 2200-01-01, in milliseconds since 1970.
    private static let fastRange = 978_307_200_000.0..<7_258_118_400_000.0

    /// The value GRDB's `Date.databaseValue` gives for `date`.
    static func databaseValue(_ date: Date) -> DatabaseValue {
        let instant = ((date.timeIntervalSinceReferenceDate + 978_307_200) * 1000 + 0.5).rounded(.down)
        guard fastRange.contains(instant) else { return date.databaseValue }
        let milliseconds = Int(instant)
        let (year, month, day) = civilDate(daysSince1970: milliseconds / 86_400_000)
        let inDay = milliseconds % 86_400_000
        // Written into the string's own storage: an array for the digits and a table of
        // separators cost an allocation and a copy for each of a call's two dates.
        let text = String(unsafeUninitializedCapacity: 23) { text in
            func put(_ value: Int, digits: Int, at offset: Int) {
                var value = value
                for index in stride(from: offset + digits - 1, through: offset, by: -1) {
                    text[index] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            put(year, digits: 4, at: 0)
            text[4] = UInt8(ascii: "-")
            put(month, digits: 2, at: 5)
            text[7] = UInt8(ascii: "-")
            put(day, digits: 2, at: 8)
            text[10] = UInt8(ascii: " ")
            put(inDay / 3_600_000, digits: 2, at: 11)
            text[13] = UInt8(ascii: ":")
            put(inDay / 60_000 % 60, digits: 2, at: 14)
            text[16] = UInt8(ascii: ":")
            put(inDay / 1000 % 60, digits: 2, at: 17)
            text[19] = UInt8(ascii: ".")
            put(inDay % 1000, digits: 3, at: 20)
            return 23
        }
        return text.databaseValue
    }

    /// Milliseconds since 1970 of a date stored as `yyyy-MM-dd HH:mm:ss.SSS` (UTC), read digit by
    /// digit; nil for any other text (the caller reads it through GRDB instead). A report of a
    /// million calls read each call's start through SQLite's `julianday`, 0.27 s in all.
    static func milliseconds(stored text: UnsafeBufferPointer<UInt8>) -> Int64? {
        // Straight-line reads: a table of separators and a nested function per field were
        // 6% of the report's reading thread.
        guard text.count == 23, text[4] == UInt8(ascii: "-"), text[7] == UInt8(ascii: "-"), text[10] == UInt8(ascii: " "),
              text[13] == UInt8(ascii: ":"), text[16] == UInt8(ascii: ":"), text[19] == UInt8(ascii: ".")
        else { return nil }
        let year = digits(text, 0, 4), month = digits(text, 5, 2), day = digits(text, 8, 2), hour = digits(text, 11, 2)
        let minute = digits(text, 14, 2), second = digits(text, 17, 2), millisecond = digits(text, 20, 3)
        guard year >= 1970, (1...12).contains(month), (1...31).contains(day), (0..<24).contains(hour),
              (0..<60).contains(minute), (0..<60).contains(second), millisecond >= 0
        else { return nil }
        // Howard Hinnant's days_from_civil, the inverse of `civilDate`.
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = shiftedYear / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Int64(((days * 24 + hour) * 60 + minute) * 60 + second) * 1000 + Int64(millisecond)
    }

    /// The number written by the `count` digits at `offset`; negative when one is not a digit.
    private static func digits(_ text: UnsafeBufferPointer<UInt8>, _ offset: Int, _ count: Int) -> Int {
        var value = 0
        var valid = true
        for index in offset..<(offset + count) {
            let digit = Int(text[index]) &- 48
            valid = valid && digit >= 0 && digit <= 9
            value = value &* 10 &+ digit
        }
        return valid ? value : -1
    }

    /// The proleptic Gregorian date `days` after 1970-01-01 (days ≥ 0; Howard Hinnant's algorithm).
    static func civilDate(daysSince1970 days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = shifted / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
