import GRDB

extension Schema {
    /// The key of a call since v20: a model answering one repeat of one case in one prompt
    /// variant. A call without a variant counts as the variant `''`, so two such calls of the
    /// same case and repeat still clash, as they did before.
    static let callKeyIndex = """
        CREATE UNIQUE INDEX calls_by_key ON calls(run_id, model_id, task_id, case_id, repeat_index, IFNULL(prompt_variant, ''))
        """

    /// Widens the key of `calls` to take in `prompt_variant` (v20), so a case can be answered
    /// once per variant.
    ///
    /// SQLite cannot drop a table's constraint, so the table is rebuilt as in v15 from its own
    /// stored definition without its `UNIQUE (...)` clause, every row, index and the
    /// AUTOINCREMENT counter kept, and the key becomes a unique index. The views, which SQLite
    /// re-reads when a table is renamed, are dropped meanwhile and made again.
    static func rebuildCallsWithVariantKey(_ db: Database) throws {
        let key = "UNIQUE (run_id, model_id, task_id, case_id, repeat_index),"
        // v15's rename stored the name quoted: `CREATE TABLE "calls" (`.
        guard let definition = try String.fetchOne(
                db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'calls'"),
              definition.hasPrefix("CREATE TABLE"), let range = definition.range(of: key) else {
            throw DatabaseError(message: "cannot key calls by their prompt variant: the calls table is not "
                                + "as migration v19 left it (was it changed outside Tradeoff?)")
        }
        let unkeyed = definition.replacingCharacters(in: range, with: "")
        guard let open = unkeyed.firstIndex(of: "(") else { throw DatabaseError(message: "the calls table has no columns") }
        let sequence = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'calls'")
        try db.execute(sql: """
            DROP VIEW IF EXISTS model_summary;
            DROP VIEW IF EXISTS calls_with_run;
            """)
        try db.execute(sql: "CREATE TABLE new_calls " + unkeyed[open...])
        try db.execute(sql: """
            INSERT INTO new_calls SELECT * FROM calls;
            DROP TABLE calls;
            ALTER TABLE new_calls RENAME TO calls;
            CREATE INDEX calls_by_model ON calls(run_id, model_id);
            CREATE INDEX calls_by_request_hash ON calls(request_hash) WHERE request_hash IS NOT NULL;
            """)
        try db.execute(sql: callKeyIndex)
        try db.execute(sql: viewsV16)
        // Ids of deleted calls are never reused (`cached_from` names calls by id).
        if let sequence {
            try db.execute(sql: """
                DELETE FROM sqlite_sequence WHERE name = 'calls';
                INSERT INTO sqlite_sequence (name, seq) VALUES ('calls', ?);
                """, arguments: [sequence])
        }
    }
}
