import Foundation
import TradeoffKit

/// A fresh, empty PostgreSQL database on the server `make test` starts (scripts/with-postgres
/// exports its URL as `TRADEOFF_TEST_POSTGRES_URL`), one per test so tests run in parallel.
public struct PostgresTestDatabase {
    /// The variable `scripts/with-postgres` sets.
    public static let variable = "TRADEOFF_TEST_POSTGRES_URL"

    /// The database's URL, password included.
    public let url: String

    /// The server's URL without a database-specific path: what a wrong-password URL is made from.
    public let serverURL: String

    /// Creates the database.
    ///
    /// - Throws: `Missing` when the tests were not started by `make test` (they fail, not skip).
    public init() throws {
        guard let server = ProcessInfo.processInfo.environment[Self.variable], !server.isEmpty else {
            throw Missing()
        }
        serverURL = server
        guard let admin = PostgresURL(server) else { throw Missing() }
        let name = "tradeoff_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try PostgresConnection(url: admin).execute("CREATE DATABASE \(name)")
        let query = server.firstIndex(of: "?").map { String(server[$0...]) } ?? ""
        let withoutQuery = String(server.prefix(server.count - query.count))
        guard let slash = withoutQuery.lastIndex(of: "/"), withoutQuery[..<slash].hasSuffix(":") == false else {
            throw Missing()
        }
        url = String(withoutQuery[..<slash]) + "/" + name + query
    }

    /// Rows per table of the shared history.
    public func rowCounts() throws -> [String: Int] {
        guard let parsed = PostgresURL(url) else { return [:] }
        return try PostgresHistory(url: parsed).rowCounts()
    }

    /// Runs `sql` on the database; returns the rows as text.
    public func query(_ sql: String) throws -> [[String?]] {
        guard let parsed = PostgresURL(url) else { return [] }
        return try PostgresConnection(url: parsed).execute(sql).rows
    }

    /// No server: the tests say how to get one.
    public struct Missing: Error, CustomStringConvertible {
        public var description: String {
            "no PostgreSQL server for the shared-history tests: \(PostgresTestDatabase.variable) is not set; run them "
                + "with `make test` (it starts one), or `scripts/with-postgres swift test --skip-build`"
        }
    }
}
