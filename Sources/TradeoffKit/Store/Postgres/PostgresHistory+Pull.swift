import Foundation
import GRDB

extension PostgresHistory {
    /// Copies runs `runIDs` (with their models, cases, calls, judge calls and batches) into a new
    /// temporary SQLite database, under their server ids: the reports, histories and
    /// comparisons read it as they read a results file.
    ///
    /// - Parameter modelID: Only this model's rows (a history needs no other).
    /// - Throws: `PostgresError`, or `StoreError` when the temporary database cannot be written.
    public func snapshot(runs runIDs: [Int64], modelID: String? = nil) throws -> PostgresSnapshot {
        let snapshot = try PostgresSnapshot(label: url.description)
        let list = "{" + Set(runIDs).sorted().map(String.init).joined(separator: ",") + "}"
        var tables: [(name: String, columns: [String], rows: [[DatabaseValue]])] = []
        for table in Self.tables {
            let columns = try self.columns(of: table).filter { !Self.serverOnlyColumns.contains($0.name) }
            let select = columns.map { column -> String in
                switch column.type {
                case "timestamp with time zone":
                    "to_char(\(column.name) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS')"
                case "boolean": "\(column.name)::int"
                default: column.name
                }
            }
            let order = switch table {
            case "runs": "id"
            case "run_models", "cases": "run_id, row_order"
            default: "id"
            }
            var filter = table == "runs" ? "id = ANY($1::bigint[])" : "run_id = ANY($1::bigint[])"
            var parameters: [String?] = [list]
            if let modelID, ["run_models", "calls", "batches"].contains(table) {
                filter += " AND model_id = $2"
                parameters.append(modelID)
            }
            if let modelID, table == "judge_calls" {
                filter += " AND call_id IN (SELECT id FROM calls WHERE model_id = $2)"
                parameters.append(modelID)
            }
            let result = try connection.execute(
                "SELECT \(select.joined(separator: ", ")) FROM \(table) WHERE \(filter) ORDER BY \(order)", parameters)
            let rows = result.rows.map { row in
                zip(columns, row).map { column, text -> DatabaseValue in
                    guard let text else { return .null }
                    switch column.type {
                    case "bigint", "integer", "smallint", "boolean": return Int64(text)?.databaseValue ?? .null
                    case "double precision", "real": return Double(text)?.databaseValue ?? .null
                    default: return text.databaseValue
                    }
                }
            }
            tables.append((table, columns.map(\.name), rows))
        }
        try snapshot.store.writeWithoutForeignKeys { db in
            for table in tables where !table.rows.isEmpty {
                let marks = Array(repeating: "?", count: table.columns.count).joined(separator: ", ")
                let statement = try db.makeStatement(
                    sql: "INSERT INTO \(table.name) (\(table.columns.joined(separator: ", "))) VALUES (\(marks))")
                for row in table.rows { try statement.execute(arguments: StatementArguments(row)) }
            }
        }
        return snapshot
    }
}

extension ResultStore {
    /// Writes in one transaction with foreign keys off: rows copied from elsewhere may name
    /// rows that were not copied (a judge verdict reused from a run left behind).
    func writeWithoutForeignKeys(_ body: (Database) throws -> Void) throws {
        do {
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA foreign_keys = OFF")
                defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
                try db.inTransaction {
                    try body(db)
                    return .commit
                }
            }
        } catch {
            throw StoreError(path: path, underlying: error)
        }
    }
}
