import Foundation
import GRDB
import GRDBSQLite

/// One column of a table as its record stores it: the name, how to read the value off the
/// record, and how to set it from a fetched row.
struct StoredColumn<Record>: Sendable {
    let name: String
    /// The column's value in the record at the address (`StoredColumns.withRecord`).
    let value: @Sendable (UnsafePointer<Record>) -> DatabaseValue
    let assign: @Sendable (inout Record, Row) -> Void

    /// The column `name` holding `property`.
    static func column<Value: DatabaseValueConvertible & Sendable>(
        _ name: String, _ property: WritableKeyPath<Record, Value> & Sendable
    ) -> Self {
        Self(name: name, value: reader(property) { $0.databaseValue }, assign: { $0[keyPath: property] = $1[name] })
    }

    /// The column `name` holding the optional `property`: NULL when it is nil. Its own overload,
    /// so the value converts through `Wrapped`'s own conversion, not GRDB's generic one for
    /// `Optional` (unspecialized across the module, with a metadata lookup per value).
    static func column<Wrapped: DatabaseValueConvertible & Sendable>(
        _ name: String, _ property: WritableKeyPath<Record, Wrapped?> & Sendable
    ) -> Self {
        Self(name: name, value: reader(property) { $0?.databaseValue ?? .null }, assign: { $0[keyPath: property] = $1[name] })
    }

    /// The column `name` holding `property`, which reads as `fallback` when the row has NULL
    /// (rows written before the column had a default).
    static func column<Value: DatabaseValueConvertible & Sendable>(
        _ name: String, _ property: WritableKeyPath<Record, Value> & Sendable, nullAs fallback: Value
    ) -> Self {
        Self(name: name, value: reader(property) { $0.databaseValue },
             assign: { $0[keyPath: property] = ($1[name] as Value?) ?? fallback })
    }

    /// The date column `name` holding `property`, written as GRDB writes dates (`StoredDate`).
    static func date(_ name: String, _ property: WritableKeyPath<Record, Date> & Sendable) -> Self {
        Self(name: name, value: reader(property) { StoredDate.databaseValue($0) }, assign: { $0[keyPath: property] = $1[name] })
    }

    /// Reads `property` of the record at an address and converts it.
    ///
    /// A stored property is read at its offset in the record, as `MemoryLayout.offset(of:)`
    /// documents: projecting a key path looked up the key path's generic metadata in the
    /// runtime's cache every time, a quarter of the CPU of inserting a call (`make bench`).
    /// A computed property has no offset and is read through its key path.
    private static func reader<Value>(
        _ property: WritableKeyPath<Record, Value> & Sendable, _ convert: @escaping @Sendable (Value) -> DatabaseValue
    ) -> @Sendable (UnsafePointer<Record>) -> DatabaseValue {
        guard let offset = MemoryLayout<Record>.offset(of: property) else {
            return { convert($0.pointee[keyPath: property]) }
        }
        return { record in
            convert(UnsafeRawPointer(record).advanced(by: offset).assumingMemoryBound(to: Value.self).pointee)
        }
    }
}

/// SQLite's `SQLITE_TRANSIENT`: it copies a bound value before the bind returns (a C macro
/// that Swift does not import).
private let sqliteTransient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

/// Every column of a table in one list, which the record's encoding, decoding and fast insert
/// all follow, so a column is declared once.
struct StoredColumns<Record>: Sendable {
    let table: String
    let columns: [StoredColumn<Record>]
    /// `INSERT` of every column, as GRDB's `insert(_:)` builds it.
    let insertSQL: String
    /// A NULL for every column.
    private let placeholders: StatementArguments

    init(table: String, _ columns: [StoredColumn<Record>]) {
        self.table = table
        self.columns = columns
        insertSQL = """
            INSERT INTO "\(table)" (\(columns.map { "\"\($0.name)\"" }.joined(separator: ", ")))
            VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))
            """
        placeholders = StatementArguments(Array(repeating: DatabaseValue.null, count: columns.count))
    }

    /// Writes every column of `record` into `container` (GRDB's `encode(to:)`).
    func encode(_ record: Record, to container: inout PersistenceContainer) {
        withUnsafePointer(to: record) { record in
            for column in columns { container[column.name] = column.value(record) }
        }
    }

    /// Sets every column of `record` from `row`, by name.
    func decode(_ row: Row, into record: inout Record) {
        for column in columns { column.assign(&record, row) }
    }

    /// Inserts `record` as `insert(_:)` does, every column, through one cached statement
    /// (`inserter(in:)`).
    ///
    /// - Returns: The row id SQLite assigned.
    @discardableResult
    func insert(_ record: Record, into db: Database) throws -> Int64 {
        try inserter(in: db).insert(record)
    }

    /// Inserts records as `insert(_:)` does, every column, through one cached statement:
    /// GRDB's record machinery (a persistence container, the SQL rebuilt per row) cost ~160k
    /// instructions a row, more than SQLite's own work.
    ///
    /// The values are bound with GRDB's public `StatementBinding`: building `StatementArguments`
    /// converts each value through unspecialized generics, ~2k instructions a column. GRDB is
    /// first told the statement is bound (with NULLs), so `execute()` only resets and steps it.
    /// That, and finding the statement in GRDB's cache (which hashes its SQL, a kilobyte for a call),
    /// is done once for all the records a transaction inserts, not once a record.
    ///
    /// Use the inserter inside the transaction it was made in, with no other use of the statement
    /// between its inserts.
    func inserter(in db: Database) throws -> Inserter {
        let statement = try db.cachedStatement(sql: insertSQL)
        statement.setUncheckedArguments(placeholders)
        return Inserter(statement: statement, stored: self, db: db)
    }

    /// Inserts records through a statement found and prepared once (`inserter(in:)`).
    struct Inserter {
        fileprivate let statement: Statement
        fileprivate let stored: StoredColumns
        fileprivate let db: Database

        /// Inserts `record`, every column.
        ///
        /// - Returns: The row id SQLite assigned.
        @discardableResult
        func insert(_ record: Record) throws -> Int64 {
            // SQLite binds only to a statement reset since its last step (GRDB resets it before
            // stepping, not after). Every column is bound again: nothing of the record before
            // is left. The reset's code repeats the last step's error, which that insert threw.
            sqlite3_reset(statement.sqliteStatement)
            // The columns are read where they are: iterating the array copied each column out of
            // it, retaining and releasing its name and closures (two retains a column).
            try withUnsafePointer(to: record) { record in
                try stored.columns.withUnsafeBufferPointer { columns in
                    for index in columns.indices {
                        let code = Self.bind(columns[index].value(record), to: statement.sqliteStatement,
                                             at: CInt(index + 1))
                        guard code == 0 else {  // SQLITE_OK
                            throw DatabaseError(resultCode: ResultCode(rawValue: code),
                                                message: "cannot bind \(columns[index].name)", sql: stored.insertSQL)
                        }
                    }
                }
            }
            try statement.execute()
            return db.lastInsertedRowID
        }

        /// Binds `value` as GRDB's `bind(to:at:)` does, a text without GRDB's copy of it.
        ///
        /// GRDB passes a text to SQLite as a C string converted from the `String`, which copies
        /// it into a new array: a sixth of the instructions of inserting a call, which binds 16
        /// texts (callgrind). A native string already holds its bytes with a NUL after them, so
        /// `withCString` lends them. As GRDB's, the length is SQLite's to find (the text ends at
        /// its first NUL) and SQLite copies the bytes (`SQLITE_TRANSIENT`).
        static func bind(_ value: DatabaseValue, to statement: OpaquePointer, at index: CInt) -> CInt {
            guard case .string(let text) = value.storage else { return value.bind(to: statement, at: index) }
            return text.withCString { sqlite3_bind_text(statement, index, $0, -1, sqliteTransient) }
        }
    }
}
