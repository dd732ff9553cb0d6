import GRDB

/// The response cache: answers recorded with a request hash (`RequestKey`) can be replayed for
/// the same request in a later run of the same database.
extension ResultStore {
    /// For each of `hashes` that has one, the latest answered call recorded with it (a call made,
    /// not itself a replay).
    public func cachedCallIDs(for hashes: some Sequence<String>) throws -> [String: Int64] {
        let all = Array(Set(hashes))
        return try pool.read { db in
            var found: [String: Int64] = [:]
            // SQLite takes at most 32,766 parameters; far fewer keep each statement cheap.
            for start in stride(from: 0, to: all.count, by: 500) {
                let chunk = all[start..<min(start + 500, all.count)]
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT request_hash, MAX(id) AS id FROM calls
                    WHERE request_hash IN (\(marks)) AND error_class IS NULL AND cached_from IS NULL
                    GROUP BY request_hash
                    """, arguments: StatementArguments(Array(chunk)))
                while let row = try rows.next() { found[row["request_hash"]] = row["id"] }
            }
            return found
        }
    }

    /// The call with this id, if any.
    public func call(id: Int64) throws -> CallRecord? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM calls WHERE id = ?", arguments: [id]).map(CallRecord.init(row:))
        }
    }
}
