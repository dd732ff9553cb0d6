import Foundation
import GRDB

/// The shared history in PostgreSQL: runs pushed from results databases (`push(_:)`), read
/// back into a temporary SQLite database (`snapshot(runs:)`) so that every report, history and
/// comparison works on them with the same code as on a file.
public final class PostgresHistory {
    /// The server's database.
    public let url: PostgresURL
    let connection: PostgresConnection

    /// The tables a run's rows live in, parents first.
    static let tables = ["runs", "run_models", "cases", "calls", "judge_calls", "batches"]
    /// Columns only the server has: when a run arrived, and SQLite's row order.
    static let serverOnlyColumns: Set<String> = ["pushed_at", "row_order"]

    /// Connects to `url` and brings its schema up to date.
    ///
    /// - Throws: `PostgresError` (without the password) when the server cannot be reached, the
    ///   credentials are refused, or a migration fails.
    public init(url: PostgresURL) throws {
        self.url = url
        connection = try PostgresConnection(url: url)
        try PostgresSchema.migrate(connection)
    }

    /// A column of a server table and its PostgreSQL type (`bigint`, `text`, `boolean`...).
    struct ServerColumn {
        var name: String
        var type: String
    }

    /// The columns of `table` on the server, in order.
    func columns(of table: String) throws -> [ServerColumn] {
        try connection.execute("""
            SELECT column_name, data_type FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position
            """, [table]).rows.map { ServerColumn(name: $0[0] ?? "", type: $0[1] ?? "") }
    }

    /// The id of the last run pushed (of `suite`, when given); nil when there is none.
    public func latestRunID(suite: String? = nil) throws -> Int64? {
        let rows = try suite.map { try connection.execute("SELECT max(id) FROM runs WHERE suite = $1", [$0]) }
            ?? connection.execute("SELECT max(id) FROM runs")
        return rows.firstInteger
    }

    /// The run pushed before run `runID` of the same suite: the default baseline of a regression check.
    public func previousRunID(before runID: Int64) throws -> Int64? {
        try connection.execute("""
            SELECT max(p.id) FROM runs p JOIN runs r ON r.id = $1 WHERE p.suite = r.suite AND p.id < r.id
            """, [String(runID)]).firstInteger
    }

    /// Whether run `runID` is there.
    public func hasRun(_ runID: Int64) throws -> Bool {
        try !connection.execute("SELECT 1 FROM runs WHERE id = $1", [String(runID)]).rows.isEmpty
    }

    /// The runs that have `modelID`, oldest first.
    public func runIDs(withModel modelID: String) throws -> [Int64] {
        try connection.execute("SELECT run_id FROM run_models WHERE model_id = $1 ORDER BY run_id", [modelID])
            .rows.compactMap { $0[0].flatMap { Int64($0) } }
    }

    /// Every model id of every run, sorted.
    public func modelIDs() throws -> [String] {
        try connection.execute("SELECT DISTINCT model_id FROM run_models ORDER BY model_id").rows.compactMap { $0[0] }
    }

    /// How many rows each table holds, by table name.
    public func rowCounts() throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in Self.tables {
            counts[table] = try connection.execute("SELECT count(*) FROM \(table)").rows.first?[0].flatMap { Int($0) } ?? 0
        }
        return counts
    }
}
