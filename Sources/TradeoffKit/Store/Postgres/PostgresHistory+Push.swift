import Foundation
import GRDB

extension PostgresHistory {
    /// What a push did.
    public struct PushSummary: Sendable, Hashable {
        /// A run copied: its id in the file and on the server.
        public struct Copied: Sendable, Hashable {
            /// The run's id in the file.
            public var local: Int64
            /// The run's id on the server.
            public var remote: Int64
        }

        /// Runs the server did not have.
        public var copied: [Copied] = []
        /// Runs the server already had (by `uid`) as they are here: left alone.
        public var alreadyThere: [Int64] = []
        /// Runs the server had in an earlier state (pushed, then resumed): copied again under
        /// their server id.
        public var updated: [Copied] = []
        /// Runs still being made (or left `running` by a process that died): not pushed.
        public var stillRunning: [Int64] = []
        /// The calls copied.
        public var calls = 0
    }

    /// Copies every finished run of `store` the server does not have yet (a run is known by its
    /// `uid`) with its models, cases, calls, judge calls and batches, in one transaction: pushing again
    /// changes nothing, and a failed push leaves nothing behind. A run the server has in another
    /// state (its status, end or number of calls differ: it was resumed since) is copied again
    /// under the same server id.
    ///
    /// - Throws: `PostgresError` (nothing is written), or `StoreError` when the file cannot be read.
    public func push(_ store: ResultStore) throws -> PushSummary {
        var columns: [String: [String]] = [:]
        for table in Self.tables {
            let names = try self.columns(of: table).map(\.name).filter { !Self.serverOnlyColumns.contains($0) }
            let local = Set(try store.read { db in try db.columns(in: table).map(\.name) })
            let missing = names.filter { !local.contains($0) }
            guard missing.isEmpty else {
                throw PostgresError(url: url, message: "the server's \(table) table has columns \(missing.joined(separator: ", ")) "
                                    + "that \(store.path) lacks: push with the tradeoff version that migrated the server")
            }
            columns[table] = names
        }
        let runs = try store.read { db in try Row.fetchAll(db, sql: "SELECT * FROM runs ORDER BY id") }
        return try connection.transaction {
            var summary = PushSummary()
            var copy = RunCopy(store: store, connection: connection, columns: columns)
            for run in runs {
                let localID: Int64 = run["id"]
                if run["status"] as String == RunStatus.running.rawValue {
                    summary.stillRunning.append(localID)
                    continue
                }
                let uid: String = run["uid"]
                let there = try connection.execute("""
                    SELECT id, status, to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS'),
                      (SELECT count(*) FROM calls WHERE run_id = runs.id)
                    FROM runs WHERE uid = $1
                    """, [uid]).rows.first
                if let there, let remote = there[0].flatMap({ Int64($0) }) {
                    let calls = try store.read { db in
                        try Int.fetchOne(db, sql: "SELECT count(*) FROM calls WHERE run_id = ?", arguments: [localID]) ?? 0
                    }
                    let finished = try RunCopy.text(run["finished_at"])
                    if there[1] == run["status"] && there[2] == finished && there[3] == String(calls) {
                        try copy.recordExisting(run: localID, as: remote)
                        summary.alreadyThere.append(localID)
                    } else {
                        _ = try copy.copy(run: run, replacing: remote)
                        summary.updated.append(.init(local: localID, remote: remote))
                        summary.calls += calls
                    }
                    continue
                }
                let (remote, calls) = try copy.copy(run: run, replacing: nil)
                summary.copied.append(.init(local: localID, remote: remote))
                summary.calls += calls
            }
            return summary
        }
    }
}

/// The copy of one file's runs to the server: the ids each row got there, so that the rows
/// naming others (a call's run, a judge call's call, a replayed call's origin) name them there.
struct RunCopy {
    let store: ResultStore
    let connection: PostgresConnection
    /// The server's columns of each table (without its own).
    let columns: [String: [String]]
    private var runs: [Int64: Int64] = [:]
    private var calls: [Int64: Int64] = [:]
    private var judgeCalls: [Int64: Int64] = [:]

    init(store: ResultStore, connection: PostgresConnection, columns: [String: [String]]) {
        self.store = store
        self.connection = connection
        self.columns = columns
    }

    /// Run `local` is on the server as `remote`: its calls can be named by later runs.
    mutating func recordExisting(run local: Int64, as remote: Int64) throws {
        runs[local] = remote
        try mapCalls(run: local, remote: remote)
    }

    /// Copies one run and everything under it; returns its id on the server and its calls.
    ///
    /// - Parameter existing: The server's id of an earlier state of the run, whose rows are
    ///   replaced (its calls, batches and cases go with their run's models and cases, by cascade).
    mutating func copy(run: Row, replacing existing: Int64?) throws -> (remote: Int64, calls: Int) {
        let localID: Int64 = run["id"]
        let runColumns = (columns["runs"] ?? []).filter { $0 != "id" }
        let values = try runColumns.map { name -> String? in
            if name == "graded_from" { return try mapped(run[name], in: runs, missing: nil) }
            return try Self.text(run[name])
        }
        let remote: Int64
        if let existing {
            let assignments = runColumns.indices.map { "\(runColumns[$0]) = $\($0 + 1)" }.joined(separator: ", ")
            try connection.execute("UPDATE runs SET \(assignments) WHERE id = $\(runColumns.count + 1)",
                                   values + [String(existing)])
            try connection.execute("DELETE FROM run_models WHERE run_id = $1", [String(existing)])
            try connection.execute("DELETE FROM cases WHERE run_id = $1", [String(existing)])
            remote = existing
        } else {
            let marks = runColumns.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
            guard let inserted = try connection.execute(
                "INSERT INTO runs (\(runColumns.joined(separator: ", "))) VALUES (\(marks)) RETURNING id", values)
                .firstInteger else {
                throw PostgresError(url: connection.url, message: "the server returned no id for run \(localID)")
            }
            remote = inserted
        }
        runs[localID] = remote
        let remoteText = String(remote)
        for table in ["run_models", "cases"] {
            let names = (columns[table] ?? []).filter { $0 != "run_id" }
            let rows = try store.read { db in
                try Row.fetchAll(db, sql: "SELECT rowid AS row_order, * FROM \(table) WHERE run_id = ? ORDER BY rowid",
                                 arguments: [localID])
            }
            try insert(table, columns: ["run_id", "row_order"] + names, rows: try rows.map { row in
                [remoteText, try Self.text(row["row_order"])] + (try names.map { try Self.text(row[$0]) })
            })
        }
        let callColumns = (columns["calls"] ?? []).filter { $0 != "id" && $0 != "run_id" }
        let callRows = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM calls WHERE run_id = ? ORDER BY id", arguments: [localID])
        }
        // A replayed call's origin is an earlier call, usually of an earlier run; one of this
        // run (a resumed run replaying itself) is set once this run's calls have their ids.
        var sameRun: [(call: Int64, origin: Int64)] = []
        let localCalls = Set(callRows.map { $0["id"] as Int64 })
        try insert("calls", columns: ["run_id"] + callColumns, rows: try callRows.map { row in
            try [remoteText] + callColumns.map { name in
                guard name == "cached_from" else { return try Self.text(row[name]) }
                let origin: Int64? = row[name]
                if let origin, calls[origin] == nil, localCalls.contains(origin) {
                    sameRun.append((row["id"], origin))
                }
                return try mapped(row[name], in: calls, missing: "0")
            }
        })
        try mapCalls(run: localID, remote: remote)
        for (call, origin) in sameRun {
            try connection.execute("UPDATE calls SET cached_from = $1 WHERE id = $2",
                                   [calls[origin].map(String.init), calls[call].map(String.init)])
        }
        let judgeColumns = (columns["judge_calls"] ?? []).filter { !["id", "run_id", "call_id"].contains($0) }
        let judgeRows = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM judge_calls WHERE run_id = ? ORDER BY id", arguments: [localID])
        }
        let judgeMarks = (1...(judgeColumns.count + 2)).map { "$\($0)" }.joined(separator: ", ")
        for row in judgeRows {
            let values = [remoteText, try mapped(row["call_id"], in: calls, missing: nil)]
                + (try judgeColumns.map { name in
                    name == "reused_from" ? try mapped(row[name], in: judgeCalls, missing: "0") : try Self.text(row[name])
                })
            let id = try connection.execute("""
                INSERT INTO judge_calls (run_id, call_id, \(judgeColumns.joined(separator: ", "))) VALUES (\(judgeMarks))
                RETURNING id
                """, values).rows.first?[0].flatMap { Int64($0) }
            judgeCalls[row["id"]] = id
        }
        // Batches name their run and model only: new ids here, the run's id mapped.
        let batchColumns = (columns["batches"] ?? []).filter { $0 != "id" && $0 != "run_id" }
        let batchRows = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM batches WHERE run_id = ? ORDER BY id", arguments: [localID])
        }
        try insert("batches", columns: ["run_id"] + batchColumns, rows: try batchRows.map { row in
            try [remoteText] + batchColumns.map { try Self.text(row[$0]) }
        })
        return (remote, callRows.count)
    }

    /// Learns the server ids of run `local`'s calls, matched by model, task, case, repeat and
    /// prompt variant (the call's key: a run with variants has a call per variant).
    private mutating func mapCalls(run local: Int64, remote: Int64) throws {
        let key = "model_id || '\u{1F}' || task_id || '\u{1F}' || case_id || '\u{1F}' || repeat_index"
            + " || '\u{1F}' || COALESCE(prompt_variant, '')"
        let there = try connection.execute("SELECT id, \(key) FROM calls WHERE run_id = $1", [String(remote)]).rows
        var byKey: [String: Int64] = [:]
        for row in there { if let id = row[0].flatMap({ Int64($0) }), let name = row[1] { byKey[name] = id } }
        let here = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT id, \(key) FROM calls WHERE run_id = ?", arguments: [local])
        }
        for row in here { if let id = byKey[row[1] as String] { calls[row[0]] = id } }
    }

    /// Inserts `rows` in batches of one statement each (PostgreSQL takes 65,535 parameters).
    private func insert(_ table: String, columns: [String], rows: [[String?]]) throws {
        let perStatement = max(1, 30_000 / max(1, columns.count))
        var start = 0
        while start < rows.count {
            let batch = rows[start..<min(rows.count, start + perStatement)]
            var marks: [String] = []
            var values: [String?] = []
            for row in batch {
                marks.append("(" + row.indices.map { "$\(values.count + $0 + 1)" }.joined(separator: ", ") + ")")
                values += row
            }
            try connection.execute("INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
                                   + marks.joined(separator: ", "), values)
            start += perStatement
        }
    }

    /// The server's id for a local id held in `value` (nil stays NULL); `missing` when it has none.
    private func mapped(_ value: DatabaseValue, in ids: [Int64: Int64], missing: String?) throws -> String? {
        guard let local = Int64.fromDatabaseValue(value) else { return nil }
        return ids[local].map(String.init) ?? missing
    }

    /// A SQLite value as PostgreSQL's text input reads it: booleans are 0 and 1, dates
    /// `yyyy-MM-dd HH:mm:ss.SSS` in UTC, doubles in their shortest exact form.
    static func text(_ value: DatabaseValue) throws -> String? {
        switch value.storage {
        case .null: return nil
        case .int64(let number): return String(number)
        case .double(let number): return "\(number)"
        case .string(let text): return text
        case .blob: throw StoreError(path: "", message: "a BLOB value, which no Tradeoff column holds")
        }
    }
}
