import Foundation
import GRDB
import GRDBSQLite

/// The current row of a prepared statement, read with SQLite's own column functions: no
/// `DatabaseValue` and no generic decode per cell, for the queries that read a million rows.
///
/// The statement stays owned by GRDB's `Statement`, which binds its arguments and finalizes it.
///
/// Each read takes the column's value once (`sqlite3_column_value`) and reads its type and
/// content from it: a `sqlite3_column_*` call each for the type and the content cost as much
/// again as SQLite's stepping (the report's query over a million rows in C: 1.35 s this way,
/// 1.69 s that way, 6 pairs). SQLite calls the value unprotected: safe here, where one thread
/// at a time uses the connection (GRDB's serial queues), as for the column functions.
struct SQLiteColumns: ColumnReading {
    private let statement: OpaquePointer

    init(_ statement: OpaquePointer) {
        self.statement = statement
    }

    /// Steps to the next row: false after the last one.
    ///
    /// - Throws: GRDB's `DatabaseError` for SQLite's error, with the statement's SQL.
    func step(in db: Database) throws -> Bool {
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code:
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage,
                                sql: sqlite3_sql(statement).map { String(cString: $0) })
        }
    }

    /// Resets the statement and binds `value` to its first parameter: a statement run once per row
    /// id, without GRDB's argument handling per run.
    func reset(binding value: Int64, in db: Database) throws {
        sqlite3_reset(statement)
        let code = sqlite3_bind_int64(statement, 1, value)
        guard code == SQLITE_OK else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage)
        }
    }

    /// The column's value in the current row, valid until the next step.
    private func value(_ column: Int32) -> OpaquePointer? { sqlite3_column_value(statement, column) }

    func isNull(_ column: Int32) -> Bool { sqlite3_value_type(value(column)) == SQLITE_NULL }

    func int64(_ column: Int32) -> Int64? {
        let value = value(column)
        return sqlite3_value_type(value) == SQLITE_NULL ? nil : sqlite3_value_int64(value)
    }

    func double(_ column: Int32) -> Double? {
        let value = value(column)
        return sqlite3_value_type(value) == SQLITE_NULL ? nil : sqlite3_value_double(value)
    }

    /// The column's text as SQLite holds it, valid until the next step; nil when NULL.
    func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8>? {
        let value = value(column)
        guard let bytes = sqlite3_value_text(value) else { return nil }
        return UnsafeBufferPointer(start: bytes, count: Int(sqlite3_value_bytes(value)))
    }

    /// The column's value in the current row as `kind` reads it, for `CopiedRows`; its text is
    /// valid until the next step.
    func copy(_ column: Int32, as kind: CopiedRows.Kind) -> CopiedRows.Value {
        let value = value(column)
        guard sqlite3_value_type(value) != SQLITE_NULL else { return .null }
        switch kind {
        case .integer: return .number(sqlite3_value_int64(value))
        case .real: return .number(Int64(bitPattern: sqlite3_value_double(value).bitPattern))
        case .text:
            // sqlite3_value_text first: it may convert the value, and sqlite3_value_bytes then
            // counts the text's bytes.
            guard let bytes = sqlite3_value_text(value) else { return .null }
            return .text(bytes, count: Int(sqlite3_value_bytes(value)))
        }
    }
}
