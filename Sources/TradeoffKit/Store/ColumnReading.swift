import Foundation
import GRDB

/// A row's columns by index, read as a big query's decoder reads them: straight from SQLite
/// (`SQLiteColumns`) or from a copy made on the thread that stepped through the rows
/// (`CopiedRows.Row`). Each read gives what SQLite's `sqlite3_value_*` gives for the column.
protocol ColumnReading {
    /// The column as an integer (`sqlite3_value_int64`); nil when NULL.
    func int64(_ column: Int32) -> Int64?
    /// The column as a double (`sqlite3_value_double`); nil when NULL.
    func double(_ column: Int32) -> Double?
    /// The column's text as UTF-8 (`sqlite3_value_text`), valid while the row is; nil when NULL.
    func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8>?
}

extension ColumnReading {
    func int(_ column: Int32) -> Int? { int64(column).map { Int($0) } }

    /// The column as text, taken from `recent` when it holds the same text: the model and task
    /// ids of a million calls then share a few strings' storage instead of a copy each.
    func text(_ column: Int32, from recent: inout RecentTexts) -> String? {
        bytes(column).map { recent.text($0) }
    }

    /// The column as text (invalid UTF-8 repaired, as GRDB reads it).
    func text(_ column: Int32) -> String? {
        bytes(column).map { String(decoding: $0, as: UTF8.self) }
    }

    /// A date column as milliseconds since 1970: GRDB's text read by hand (`StoredDate`), any other
    /// form GRDB can read through GRDB; nil when NULL or unreadable.
    func storedDateMilliseconds(_ column: Int32) -> Int64? {
        guard let text = bytes(column) else { return nil }
        if let milliseconds = StoredDate.milliseconds(stored: text) { return milliseconds }
        let date = Date.fromDatabaseValue(String(decoding: text, as: UTF8.self).databaseValue)
        return date.map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
    }
}
