import CSQLiteSetup
import Foundation
import GRDB

/// The results database: runs, the models and cases they used, and one row per call.
///
/// Opens (creating if needed) a SQLite file in WAL mode with foreign keys on, and applies the
/// migrations. Safe to use from any thread.
public final class ResultStore: Sendable {
    /// The path of the database file.
    public let path: String
    let pool: DatabasePool

    /// Opens or creates the database at `path` (its folder is created too).
    ///
    /// - Throws: `StoreError` naming the file when it cannot be opened or migrated, or when
    ///   `path` names a folder.
    public init(path: String) throws {
        self.path = path
        if let problem = OutputPath.fileProblem(path, example: "results.sqlite") {
            throw StoreError(path: path, message: problem)
        }
        let folder = OutputPath.folder(of: path)
        do {
            if !folder.isEmpty {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
            var configuration = Configuration()
            configuration.foreignKeysEnabled = true
            configuration.busyMode = .timeout(10)
            pool = try Self.openPool { try DatabasePool(path: path, configuration: configuration) }
            try Schema.migrate(pool)
        } catch {
            throw StoreError(path: path, underlying: error)
        }
    }

    /// Whether SQLite runs in multi-thread mode: connections without a mutex of their own, which
    /// GRDB's serial queues make safe. `CSQLiteSetup` sets it as the program loads; it stays
    /// serialized (slower, as correct) only if something started SQLite even before that.
    static var sqliteIsMultiThread: Bool { tradeoff_sqlite_multithread_result() == 0 }

    /// Opens the database through `open`, again when it fails because a file vanished under it.
    ///
    /// Right after switching a new connection to WAL mode, GRDB reads the size of the `-wal`
    /// file. Another process closing its last connection to the same database in that instant
    /// deletes the file, and the open failed with "The file doesn't exist" (seen in CI: a test
    /// polling a run's database while the run opened it; `tradeoff report` or a BI tool reading
    /// a database a run is opening does the same). The next try finds the file or makes it.
    static func openPool<Pool>(attempts: Int = 10, _ open: () throws -> Pool) throws -> Pool {
        for _ in 1..<max(1, attempts) {
            do {
                return try open()
            } catch let error as NSError where error.domain == NSCocoaErrorDomain && error.code == CocoaError.fileReadNoSuchFile.rawValue {
                continue
            }
        }
        return try open()
    }

    /// Records the start of a run: the run row, its models (with the prices used) and its cases
    /// (their `runId` is set here).
    ///
    /// - Returns: the new run's id.
    public func beginRun(_ run: RunRecord, models: [ModelEntry], cases: [CaseRecord]) throws -> Int64 {
        try write { db in
            var run = run
            try run.insert(db)
            let runID = run.id!
            for model in models { try RunModelRecord(runId: runID, entry: model).insert(db) }
            let inserter = try CaseRecord.stored.inserter(in: db)
            for var row in cases {
                row.runId = runID
                try inserter.insert(row)
            }
            return runID
        }
    }

    /// Appends call rows in one transaction.
    public func record(_ calls: [CallRecord]) throws {
        guard !calls.isEmpty else { return }
        try write { db in
            let inserter = try CallRecord.stored.inserter(in: db)
            for call in calls { try inserter.insert(call) }
        }
    }

    /// Marks a run finished with `status`; it has no owner any more.
    ///
    /// - Parameter stopReason: why the run stopped before every call was made, if it did.
    public func finishRun(_ runID: Int64, status: RunStatus, stopReason: String? = nil, at date: Date = Date()) throws {
        try write { db in
            try db.execute(sql: """
                UPDATE runs SET status = ?, finished_at = ?, stop_reason = ?, owner_host = NULL, owner_pid = NULL,
                  heartbeat_at = NULL
                WHERE id = ?
                """, arguments: [status, date, stopReason, runID])
        }
    }

    /// The latest run of `suite`, or of any suite when nil; nil when there is none.
    ///
    /// Found by SQLite, not by decoding every run: a nightly job's database holds hundreds.
    public func latestRun(ofSuite suite: String? = nil) throws -> RunRecord? {
        try read { db in
            let newestFirst = RunRecord.order(Column("id").desc)
            return try (suite.map { newestFirst.filter(Column("suite") == $0) } ?? newestFirst).fetchOne(db)
        }
    }

    /// The latest finished run of `suite` made before run `runID`: the baseline a regression
    /// check compares with when none is named; nil when there is none.
    public func previousRun(before runID: Int64, ofSuite suite: String) throws -> RunRecord? {
        try read { db in
            try RunRecord.filter(Column("id") < runID && Column("suite") == suite
                                 && Column("status") != RunStatus.running.rawValue)
                .order(Column("id").desc).fetchOne(db)
        }
    }

    /// The run with `id`, if any.
    public func run(_ id: Int64) throws -> RunRecord? {
        try read { db in try RunRecord.fetchOne(db, key: id) }
    }

    /// The models of a run, in the order they were recorded.
    public func models(ofRun runID: Int64) throws -> [RunModelRecord] {
        try read { db in
            try RunModelRecord.filter(Column("run_id") == runID).order(Column("rowid")).fetchAll(db)
        }
    }

    /// The cases of a run, in suite order.
    public func cases(ofRun runID: Int64) throws -> [CaseRecord] {
        try read { db in
            try CaseRecord.filter(Column("run_id") == runID).order(Column("rowid")).fetchAll(db)
        }
    }

    /// The calls of a run, in the order they were recorded.
    public func calls(ofRun runID: Int64) throws -> [CallRecord] {
        try read { db in try CallRecord.filter(Column("run_id") == runID).order(Column("id")).fetchAll(db) }
    }

    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.write(body) } catch { throw StoreError(path: path, underlying: error) }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.read(body) } catch { throw StoreError(path: path, underlying: error) }
    }
}

/// A database operation failed; says which file and, for SQL errors, which statement.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String

    init(path: String, underlying: any Error) {
        self.path = path
        if let error = underlying as? DatabaseError {
            var text = error.message ?? "SQLite error \(error.resultCode)"
            if let sql = error.sql { text += " (while running: \(sql.prefix(200)))" }
            if error.resultCode == .SQLITE_CANTOPEN { text += Self.cannotOpenHint(path) }
            message = text
        } else if let error = underlying as? StoreError {
            message = error.message
        } else {
            message = "\(underlying)"
        }
    }

    public var description: String { "\(path): database error: \(message)" }

    /// What to check when SQLite cannot open (or create) the file: most often its folder is
    /// missing or read-only, and a results database also needs its `-wal` and `-shm` files there.
    private static func cannotOpenHint(_ path: String) -> String {
        let folder = OutputPath.folder(of: path)
        return "; check that the folder '\(folder.isEmpty ? "." : folder)' exists and can be written: SQLite keeps "
            + "the database's -wal and -shm files beside it, even to read it (from a read-only mount, copy the "
            + "database somewhere writable first)"
    }
}

extension ResultStore {
    /// Checkpoints the WAL into the main file and closes the database; the store is unusable after.
    public func close() throws {
        do {
            _ = try pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
            try pool.close()
        } catch {
            throw StoreError(path: path, underlying: error)
        }
    }
}
