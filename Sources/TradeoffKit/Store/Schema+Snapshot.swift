import GRDB

extension Schema {
    /// Brings the database at `writer` to the latest schema.
    ///
    /// A new database (nothing in `sqlite_master`) gets `snapshot` in one transaction, with its
    /// migrations recorded as applied exactly as GRDB's migrator records them; the migrator then
    /// applies only those after `snapshotMigration`. Running the 21 migrations one by one took
    /// 24 ms of a 270 ms one-call `tradeoff run` (21 transactions, and SQLite reading the whole
    /// schema again after each change); opening a new database now takes 3 ms in all. A database
    /// from any version, or one holding tables of its own, is migrated step by step as before,
    /// and a database made here reads to any migrator as one the migrations made.
    static func migrate(_ writer: some DatabaseWriter) throws {
        try writer.writeWithoutTransaction { db in
            guard try isEmpty(db) else { return }
            try db.inTransaction(.immediate) {
                // Another process may have made it since the look above.
                guard try isEmpty(db) else { return .commit }
                // First, as the migrator makes it: `sqlite_master` then holds the rows in its order.
                try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
                for statement in snapshot { try db.execute(sql: statement) }
                let migrations = migrator.migrations
                guard let last = migrations.firstIndex(of: snapshotMigration) else {
                    throw DatabaseError(message: "the schema snapshot's migration is not registered: \(snapshotMigration)")
                }
                for identifier in migrations[...last] {
                    try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [identifier])
                }
                return .commit
            }
        }
        try migrator.migrate(writer)
    }

    private static func isEmpty(_ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT NOT EXISTS (SELECT 1 FROM sqlite_master)") ?? false
    }

    /// The last migration `snapshot` includes.
    static let snapshotMigration = "v22: calls_by_model dropped, calls_by_key serves its searches"

    /// The schema the migrations leave a new database in, up to `snapshotMigration`: the `sql` of
    /// each row of `sqlite_master`, in SQLite's order. `SchemaSnapshotTests` holds it equal to
    /// the migrations' byte for byte, and prints the new text when a migration is added.
    static let snapshot: [String] = [
        """
        CREATE TABLE runs (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          suite TEXT NOT NULL,
          suite_path TEXT NOT NULL,
          suite_hash TEXT NOT NULL,
          catalog_path TEXT NOT NULL,
          tool_version TEXT NOT NULL,
          started_at DATETIME NOT NULL,
          finished_at DATETIME,
          status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'incomplete', 'interrupted'))
        , graded_from INTEGER REFERENCES runs(id) ON DELETE SET NULL, stop_reason TEXT, git_commit TEXT, context TEXT, owner_host TEXT, owner_pid INTEGER, heartbeat_at DATETIME, uid TEXT)
        """,
        """
        CREATE TABLE run_models (
          run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          model_id TEXT NOT NULL,
          provider TEXT NOT NULL,
          base_url TEXT NOT NULL,
          model TEXT NOT NULL,
          class TEXT NOT NULL CHECK (class IN ('open', 'frontier')),
          simulated BOOLEAN NOT NULL DEFAULT 0,
          price_input TEXT,
          price_output TEXT,
          price_cached_input TEXT,
          max_concurrency INTEGER NOT NULL, price_cache_write TEXT, price_per_request TEXT, price_batch_input TEXT, price_batch_output TEXT, price_tiers TEXT, price_per_hour TEXT, price_replicas INTEGER, price_utilization TEXT, price_id TEXT, price_as_of TEXT, price_source TEXT, price_cache_write_1h TEXT, price_throughput TEXT,
          PRIMARY KEY (run_id, model_id)
        )
        """,
        """
        CREATE TABLE cases (
          run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          task_id TEXT NOT NULL,
          case_id TEXT NOT NULL,
          position INTEGER NOT NULL,
          variables TEXT NOT NULL,
          PRIMARY KEY (run_id, task_id, case_id)
        )
        """,
        """
        CREATE TABLE judge_calls (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          call_id INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
          run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          grader_index INTEGER NOT NULL,
          judge_model_id TEXT NOT NULL,
          provider TEXT NOT NULL,
          model TEXT NOT NULL,
          verdict_attempt INTEGER NOT NULL DEFAULT 1,
          prompt_sha256 TEXT NOT NULL,
          output TEXT,
          score REAL CHECK (score BETWEEN 0 AND 1),
          verdict TEXT,
          reasoning TEXT,
          parse_error TEXT,
          reused_from INTEGER REFERENCES judge_calls(id) ON DELETE SET NULL,
          input_tokens INTEGER,
          cached_input_tokens INTEGER,
          cache_write_tokens INTEGER,
          output_tokens INTEGER,
          reasoning_tokens INTEGER,
          usage_source TEXT CHECK (usage_source IN ('reported', 'estimated')),
          cost_micros INTEGER,
          computed_cost_micros INTEGER,
          reported_cost_micros INTEGER,
          cost_source TEXT CHECK (cost_source IN ('computed', 'reported')),
          latency_ms REAL,
          attempts INTEGER NOT NULL DEFAULT 1,
          backoff_ms REAL NOT NULL DEFAULT 0,
          http_status INTEGER,
          served_model TEXT,
          request_id TEXT,
          error_class TEXT,
          error_message TEXT,
          started_at DATETIME NOT NULL,
          finished_at DATETIME NOT NULL, cache_write_1h_tokens INTEGER, failed_attempts_usage TEXT, usage_untrusted TEXT,
          CHECK ((output IS NULL) = (error_class IS NOT NULL))
        )
        """,
        """
        CREATE INDEX judge_calls_by_call ON judge_calls(call_id)
        """,
        """
        CREATE INDEX judge_calls_by_run ON judge_calls(run_id, judge_model_id)
        """,
        """
        CREATE TABLE batches (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          model_id TEXT NOT NULL,
          tag TEXT NOT NULL UNIQUE,
          round INTEGER NOT NULL DEFAULT 1,
          custom_ids TEXT NOT NULL,
          request_count INTEGER NOT NULL,
          input_file_id TEXT,
          provider_batch_id TEXT,
          status TEXT NOT NULL,
          created_at DATETIME NOT NULL,
          updated_at DATETIME NOT NULL,
          FOREIGN KEY (run_id, model_id) REFERENCES run_models(run_id, model_id) ON DELETE CASCADE
        )
        """,
        """
        CREATE INDEX batches_by_run ON batches(run_id, model_id)
        """,
        """
        CREATE UNIQUE INDEX runs_by_uid ON runs(uid)
        """,
        """
        CREATE TRIGGER runs_uid AFTER INSERT ON runs FOR EACH ROW WHEN NEW.uid IS NULL
        BEGIN
          UPDATE runs SET uid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2)
          || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-'
          || lower(hex(randomblob(6))) WHERE id = NEW.id;
        END
        """,
        """
        CREATE TABLE "calls" (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          model_id TEXT NOT NULL,
          task_id TEXT NOT NULL,
          case_id TEXT NOT NULL,
          repeat_index INTEGER NOT NULL DEFAULT 0,
          output TEXT,
          score REAL CHECK (score BETWEEN 0 AND 1),
          passed BOOLEAN,
          grades TEXT,
          input_tokens INTEGER,
          cached_input_tokens INTEGER,
          output_tokens INTEGER,
          usage_source TEXT CHECK (usage_source IN ('reported', 'estimated')),
          cost_micros INTEGER,
          latency_ms REAL,
          connect_ms REAL,
          tls_ms REAL,
          first_byte_ms REAL,
          http_status INTEGER,
          finish_reason TEXT,
          served_model TEXT,
          request_id TEXT,
          error_class TEXT,
          error_message TEXT,
          started_at DATETIME NOT NULL,
          finished_at DATETIME NOT NULL, cache_write_tokens INTEGER, reasoning_tokens INTEGER, computed_cost_micros INTEGER, reported_cost_micros INTEGER, cost_source TEXT CHECK (cost_source IN ('computed', 'reported')), streamed BOOLEAN NOT NULL DEFAULT 0, ttft_ms REAL, output_tokens_per_second REAL, attempts INTEGER NOT NULL DEFAULT 1, backoff_ms REAL NOT NULL DEFAULT 0, finish_reason_raw TEXT, truncated BOOLEAN NOT NULL DEFAULT 0, refused BOOLEAN NOT NULL DEFAULT 0, serving_provider TEXT, grader_errors INTEGER NOT NULL DEFAULT 0, judge_cost_micros INTEGER, request_hash TEXT, cached_from INTEGER, cache_write_1h_tokens INTEGER, failed_attempts_usage TEXT, usage_untrusted TEXT, batched BOOLEAN NOT NULL DEFAULT 0, batch_fallback BOOLEAN NOT NULL DEFAULT 0, tool_calls TEXT, prompt_variant TEXT, mean_logprob REAL, logprob_tokens INTEGER,
        \u{20}\u{20}
          FOREIGN KEY (run_id, model_id) REFERENCES run_models(run_id, model_id) ON DELETE CASCADE,
          FOREIGN KEY (run_id, task_id, case_id) REFERENCES cases(run_id, task_id, case_id) ON DELETE CASCADE,
          CHECK ((output IS NULL) = (error_class IS NOT NULL))
        )
        """,
        """
        CREATE INDEX calls_by_request_hash ON calls(request_hash) WHERE request_hash IS NOT NULL
        """,
        """
        CREATE UNIQUE INDEX calls_by_key ON calls(run_id, model_id, task_id, case_id, repeat_index, IFNULL(prompt_variant, ''))
        """,
        """
        CREATE VIEW calls_with_run AS
        SELECT c.id AS call_id, c.run_id, r.suite, r.status AS run_status, r.started_at AS run_started_at,
          r.git_commit, c.model_id, m.provider, m.model, m.class, m.simulated, m.price_input, m.price_output,
          m.price_cached_input, m.price_per_hour, m.price_as_of, m.price_source, c.task_id, c.case_id,
          c.repeat_index, c.passed, c.score, c.output, c.error_class, c.error_message, c.input_tokens,
          c.cached_input_tokens, c.output_tokens, c.usage_source, c.cost_micros, c.cost_micros / 1e6 AS cost_usd,
          c.judge_cost_micros, c.judge_cost_micros / 1e6 AS judge_cost_usd, c.latency_ms, c.ttft_ms,
          c.http_status, c.batched, c.cached_from IS NOT NULL AS replayed, c.started_at, c.finished_at
        FROM calls c
        JOIN runs r ON r.id = c.run_id
        JOIN run_models m ON m.run_id = c.run_id AND m.model_id = c.model_id
        """,
        """
        CREATE VIEW model_summary AS
        SELECT m.run_id, r.suite, r.status AS run_status, r.started_at AS run_started_at, m.model_id, m.model,
          m.class, COUNT(c.id) AS calls, COUNT(c.output) AS answered, COUNT(c.error_class) AS errors,
          SUM(c.passed) AS passed, AVG(c.passed) AS pass_rate, AVG(c.score) AS mean_score,
          SUM(c.cost_micros) AS cost_micros, SUM(c.cost_micros) / 1e6 AS cost_usd,
          SUM(c.judge_cost_micros) AS judge_cost_micros
        FROM run_models m
        JOIN runs r ON r.id = m.run_id
        LEFT JOIN calls c ON c.run_id = m.run_id AND c.model_id = m.model_id
        GROUP BY m.run_id, m.model_id
        """,
    ]
}
