import CLibPQ
import Foundation

/// One libpq connection. Credentials and TLS come from the URL and libpq's environment
/// (`PGPASSWORD`, `PGSSLMODE`, `PGSSLROOTCERT`, `~/.pgpass`...); none is kept here beyond the
/// URL itself, and no message shows the password.
///
/// Values go in and come out as text (libpq's text format): the server parses them into the
/// columns' types, and `PostgresHistory` reads them back as SQLite values.
public final class PostgresConnection {
    /// Where it is connected.
    public let url: PostgresURL
    private let connection: OpaquePointer

    /// Connects to `url`.
    ///
    /// - Throws: `PostgresError` with libpq's reason (wrong password, no server, bad URL).
    /// - Throws: `MissingLibraryError` when libpq cannot be opened (it is opened by the first
    ///   connection, not when the program starts).
    public init(url: PostgresURL) throws {
        self.url = url
        try Self.library.get()
        guard let connection = tradeoff_PQconnectdb(url.connection) else {
            throw PostgresError(url: url, message: "libpq could not allocate a connection")
        }
        guard tradeoff_PQstatus(connection) == CONNECTION_OK else {
            let message = String(cString: tradeoff_PQerrorMessage(connection))
            tradeoff_PQfinish(connection)
            throw PostgresError(url: url, message: "cannot connect: \(message)")
        }
        self.connection = connection
        // Timestamps are read and written in UTC, as SQLite holds them; no notices on stderr.
        _ = try execute("SET TIME ZONE 'UTC'")
        _ = try execute("SET client_min_messages TO WARNING")
    }

    deinit { tradeoff_PQfinish(connection) }

    /// libpq, opened by the first connection.
    private static let library: Swift.Result<Void, MissingLibraryError> = {
        guard let failure = tradeoff_pq_load() else { return .success(()) }
        return .failure(MissingLibraryError(library: "libpq", reason: String(cString: failure), package: "libpq-dev"))
    }()

    /// The rows of a statement's result, every value as text (nil for NULL).
    public struct Result {
        /// The columns' names, in order.
        public var columns: [String]
        /// Each row's values, as text, in the columns' order.
        public var rows: [[String?]]

        /// The first column of the first row, as an integer (nil for none, NULL or not a number).
        public var firstInteger: Int64? {
            guard let row = rows.first, let text = row.first ?? nil else { return nil }
            return Int64(text)
        }
    }

    /// Runs `sql` with `$1`, `$2`... bound to `parameters` (text; nil is NULL).
    ///
    /// - Throws: `PostgresError` with the server's message and the SQL.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [String?] = []) throws -> Result {
        let copies = parameters.map { $0.flatMap { strdup($0) } }
        defer { for copy in copies { free(copy) } }
        let pointers = copies.map { UnsafePointer<CChar>($0) }
        // Without parameters, PQexec: it takes several statements at once (a migration).
        let result = parameters.isEmpty ? tradeoff_PQexec(connection, sql) : pointers.withUnsafeBufferPointer { values in
            tradeoff_PQexecParams(connection, sql, Int32(parameters.count), nil, values.baseAddress, nil, nil, 0)
        }
        guard let result else {
            throw PostgresError(url: url, message: String(cString: tradeoff_PQerrorMessage(connection)), sql: sql)
        }
        defer { tradeoff_PQclear(result) }
        let status = tradeoff_PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            throw PostgresError(url: url, message: String(cString: tradeoff_PQresultErrorMessage(result)), sql: sql)
        }
        let fields = tradeoff_PQnfields(result)
        let columns = (0..<fields).map { String(cString: tradeoff_PQfname(result, $0)) }
        let rows = (0..<tradeoff_PQntuples(result)).map { row in
            (0..<fields).map { field -> String? in
                tradeoff_PQgetisnull(result, row, field) == 1 ? nil : String(cString: tradeoff_PQgetvalue(result, row, field))
            }
        }
        return Result(columns: columns, rows: rows)
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            _ = try? execute("ROLLBACK")
            throw error
        }
    }
}
