import Foundation
import GRDB

/// A row of `cases`: one case of a run's suite, with its variables.
public struct CaseRecord: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "cases"

    public var runId: Int64
    public var taskId: String
    public var caseId: String
    /// Order within the task.
    public var position: Int
    /// The case's variables as a JSON object.
    public var variables: String

    public init(runId: Int64, taskId: String, caseId: String, position: Int, variables: [String: String]) {
        self.runId = runId
        self.taskId = taskId
        self.caseId = caseId
        self.position = position
        // As JSONEncoder with `.sortedKeys` writes it (slashes escaped), without its boxing: a
        // run records every case before its first call.
        var writer = JSONWriter(escapingSlashes: true)
        _ = writer.write(variables.mapValues(JSONValue.string))
        self.variables = String(decoding: writer.bytes, as: UTF8.self)
    }

    /// The table's columns, declared once for encoding, decoding and the fast insert.
    static let stored = StoredColumns<CaseRecord>(table: databaseTableName, [
        .column("run_id", \.runId),
        .column("task_id", \.taskId),
        .column("case_id", \.caseId),
        .column("position", \.position),
        .column("variables", \.variables),
    ])

    public init(row: Row) throws {
        self.init(runId: 0, taskId: "", caseId: "", position: 0, variables: [:])
        Self.stored.decode(row, into: &self)
    }

    public func encode(to container: inout PersistenceContainer) throws { Self.stored.encode(self, to: &container) }

    /// Inserts the case as `insert(_:)` does, through one cached statement (a run records
    /// every case before its first call).
    func insertFast(_ db: Database) throws { try Self.stored.insert(self, into: db) }
}
