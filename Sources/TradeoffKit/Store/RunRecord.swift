import Foundation
import GRDB

/// A row of `runs`: one execution of a suite.
public struct RunRecord: Sendable, Hashable, Codable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "runs"
    public static let databaseColumnDecodingStrategy = ColumnNames.decoding
    public static let databaseColumnEncodingStrategy = ColumnNames.encoding

    public var id: Int64?
    public var suite: String
    public var suitePath: String
    public var suiteHash: String
    public var catalogPath: String
    public var toolVersion: String
    public var startedAt: Date
    public var finishedAt: Date?
    public var status: RunStatus
    /// For a run made by `tradeoff grade`: the run whose answers it graded again.
    public var gradedFrom: Int64?
    /// Why the run stopped before every call was made (the budget, the user, a stopped model),
    /// if it did: every cause, one a line; `stopReasons` reads them.
    public var stopReason: String?
    /// The git commit of the suite's repository (`-dirty` with uncommitted changes), if any.
    public var gitCommit: String?
    /// What the report needs, as it was when the run started (JSON of `RunContext`; since v11):
    /// nil for older runs.
    public var context: RunContext?

    public init(id: Int64? = nil, suite: String, suitePath: String, suiteHash: String, catalogPath: String,
                toolVersion: String, startedAt: Date, finishedAt: Date? = nil, status: RunStatus) {
        self.id = id
        self.suite = suite
        self.suitePath = suitePath
        self.suiteHash = suiteHash
        self.catalogPath = catalogPath
        self.toolVersion = toolVersion
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.status = status
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension RunContext: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { json.databaseValue }

    public static func fromDatabaseValue(_ value: DatabaseValue) -> RunContext? {
        String.fromDatabaseValue(value).flatMap(RunContext.init(json:))
    }
}

/// The state of a run.
public enum RunStatus: String, Sendable, Hashable, Codable, CaseIterable, DatabaseValueConvertible {
    /// Started and not finished (or the process died: a run left `running` was not finished).
    case running
    /// Every call produced an answer.
    case completed
    /// Finished, but some calls ended in an error.
    case incomplete
    /// Stopped by the user before every call was made.
    case interrupted
}
