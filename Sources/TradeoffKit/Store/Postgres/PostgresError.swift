/// A PostgreSQL operation failed: which database (its URL without the password), what the
/// server or libpq said, and the SQL that failed, if any.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// The database's URL, without its password.
    public var database: String
    /// What the server or libpq said, with any password taken out.
    public var message: String
    /// The statement that failed, if one did.
    public var sql: String?

    init(url: PostgresURL, message: String, sql: String? = nil) {
        database = url.description
        var text = message.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("ERROR:") { text = text.dropFirst("ERROR:".count).trimmingCharacters(in: .whitespaces) }
        // libpq may quote the connection string back (a malformed URL): never its password.
        for secret in url.secrets { text = text.replacingOccurrences(of: secret, with: "***") }
        self.message = text
        self.sql = sql
    }

    public var description: String {
        var text = "\(database): PostgreSQL error: \(message)"
        if let sql { text += " (while running: \(sql.prefix(200)))" }
        return text
    }
}

import Foundation
