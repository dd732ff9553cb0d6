import GRDB

/// The database schema, as append-only migrations. Never edit a registered migration: add one.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: runs, models, cases, calls") { db in
            try db.execute(sql: """
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
                );
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
                  max_concurrency INTEGER NOT NULL,
                  PRIMARY KEY (run_id, model_id)
                );
                CREATE TABLE cases (
                  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                  task_id TEXT NOT NULL,
                  case_id TEXT NOT NULL,
                  position INTEGER NOT NULL,
                  variables TEXT NOT NULL,
                  PRIMARY KEY (run_id, task_id, case_id)
                );
                CREATE TABLE calls (
                  id INTEGER PRIMARY KEY AUTOINCREMENT,
                  run_id INTEGER NOT NULL,
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
                  finished_at DATETIME NOT NULL,
                  UNIQUE (run_id, model_id, task_id, case_id, repeat_index),
                  FOREIGN KEY (run_id, model_id) REFERENCES run_models(run_id, model_id) ON DELETE CASCADE,
                  FOREIGN KEY (run_id, task_id, case_id) REFERENCES cases(run_id, task_id, case_id) ON DELETE CASCADE,
                  CHECK ((output IS NULL) = (error_class IS NOT NULL))
                );
                CREATE INDEX calls_by_model ON calls(run_id, model_id);
                """)
        }
        migrator.registerMigration("v2: usage parts, streaming timings, retries, reported cost") { db in
            try db.execute(sql: """
                ALTER TABLE calls ADD COLUMN cache_write_tokens INTEGER;
                ALTER TABLE calls ADD COLUMN reasoning_tokens INTEGER;
                ALTER TABLE calls ADD COLUMN computed_cost_micros INTEGER;
                ALTER TABLE calls ADD COLUMN reported_cost_micros INTEGER;
                ALTER TABLE calls ADD COLUMN cost_source TEXT CHECK (cost_source IN ('computed', 'reported'));
                ALTER TABLE calls ADD COLUMN streamed BOOLEAN NOT NULL DEFAULT 0;
                ALTER TABLE calls ADD COLUMN ttft_ms REAL;
                ALTER TABLE calls ADD COLUMN output_tokens_per_second REAL;
                ALTER TABLE calls ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1;
                ALTER TABLE calls ADD COLUMN backoff_ms REAL NOT NULL DEFAULT 0;
                ALTER TABLE calls ADD COLUMN finish_reason_raw TEXT;
                ALTER TABLE calls ADD COLUMN truncated BOOLEAN NOT NULL DEFAULT 0;
                ALTER TABLE calls ADD COLUMN refused BOOLEAN NOT NULL DEFAULT 0;
                ALTER TABLE calls ADD COLUMN serving_provider TEXT;
                ALTER TABLE run_models ADD COLUMN price_cache_write TEXT;
                """)
        }
        migrator.registerMigration("v3: the prices each run used, every field, dated and sourced") { db in
            try db.execute(sql: """
                ALTER TABLE run_models ADD COLUMN price_per_request TEXT;
                ALTER TABLE run_models ADD COLUMN price_batch_input TEXT;
                ALTER TABLE run_models ADD COLUMN price_batch_output TEXT;
                ALTER TABLE run_models ADD COLUMN price_tiers TEXT;
                ALTER TABLE run_models ADD COLUMN price_per_hour TEXT;
                ALTER TABLE run_models ADD COLUMN price_replicas INTEGER;
                ALTER TABLE run_models ADD COLUMN price_utilization TEXT;
                ALTER TABLE run_models ADD COLUMN price_id TEXT;
                ALTER TABLE run_models ADD COLUMN price_as_of TEXT;
                ALTER TABLE run_models ADD COLUMN price_source TEXT;
                """)
        }
        migrator.registerMigration("v4: grader errors, judge calls, re-graded runs") { db in
            try db.execute(sql: """
                ALTER TABLE runs ADD COLUMN graded_from INTEGER REFERENCES runs(id) ON DELETE SET NULL;
                ALTER TABLE calls ADD COLUMN grader_errors INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE calls ADD COLUMN judge_cost_micros INTEGER;
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
                  finished_at DATETIME NOT NULL,
                  CHECK ((output IS NULL) = (error_class IS NOT NULL))
                );
                CREATE INDEX judge_calls_by_call ON judge_calls(call_id);
                CREATE INDEX judge_calls_by_run ON judge_calls(run_id, judge_model_id);
                """)
        }
        migrator.registerMigration("v5: why a run stopped early") { db in
            try db.execute(sql: "ALTER TABLE runs ADD COLUMN stop_reason TEXT")
        }
        migrator.registerMigration("v6: the git commit of the suite") { db in
            try db.execute(sql: "ALTER TABLE runs ADD COLUMN git_commit TEXT")
        }
        migrator.registerMigration("v7: the response cache") { db in
            try db.execute(sql: """
                ALTER TABLE calls ADD COLUMN request_hash TEXT;
                ALTER TABLE calls ADD COLUMN cached_from INTEGER;
                CREATE INDEX calls_by_request_hash ON calls(request_hash) WHERE request_hash IS NOT NULL;
                """)
        }
        migrator.registerMigration("v8: 1-hour cache writes, billed apart") { db in
            try db.execute(sql: """
                ALTER TABLE calls ADD COLUMN cache_write_1h_tokens INTEGER;
                ALTER TABLE judge_calls ADD COLUMN cache_write_1h_tokens INTEGER;
                ALTER TABLE run_models ADD COLUMN price_cache_write_1h TEXT;
                """)
        }
        migrator.registerMigration("v9: the usage of failed attempts, which were billed") { db in
            try db.execute(sql: """
                ALTER TABLE calls ADD COLUMN failed_attempts_usage TEXT;
                ALTER TABLE judge_calls ADD COLUMN failed_attempts_usage TEXT;
                """)
        }
        migrator.registerMigration("v10: usage a provider reported that could not be true") { db in
            try db.execute(sql: """
                ALTER TABLE calls ADD COLUMN usage_untrusted TEXT;
                ALTER TABLE judge_calls ADD COLUMN usage_untrusted TEXT;
                """)
        }
        migrator.registerMigration("v11: the report's context, frozen with the run") { db in
            try db.execute(sql: "ALTER TABLE runs ADD COLUMN context TEXT")
        }
        migrator.registerMigration("v12: the process that owns a run, with its heartbeat") { db in
            try db.execute(sql: """
                ALTER TABLE runs ADD COLUMN owner_host TEXT;
                ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
                ALTER TABLE runs ADD COLUMN heartbeat_at DATETIME;
                """)
        }
        migrator.registerMigration("v13: the throughput an hourly price was costed at") { db in
            try db.execute(sql: "ALTER TABLE run_models ADD COLUMN price_throughput TEXT")
        }
        migrator.registerMigration("v14: provider batches, recorded before they are submitted") { db in
            // A batch row is written (an intent, with its custom ids) before its file is uploaded,
            // so a process killed at any moment leaves a record a resume can reconcile with the
            // provider (by `tag`, in the batch's metadata) instead of submitting the calls again.
            try db.execute(sql: """
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
                );
                CREATE INDEX batches_by_run ON batches(run_id, model_id);
                ALTER TABLE calls ADD COLUMN batched BOOLEAN NOT NULL DEFAULT 0;
                """)
        }
        migrator.registerMigration("v15: calls.run_id references runs.id, a key BI tools can follow") { db in
            try rebuildCallsWithRunKey(db)
        }
        migrator.registerMigration("v16: views for reading results with SQL") { db in
            try db.execute(sql: viewsV16)
        }
        migrator.registerMigration("v17: runs.uid, a stable id for pushing runs to a shared database") { db in
            // Set by a trigger, so every way a run is made (run, grade, merge) gets one; a run
            // copied from PostgreSQL brings its own. Random: two files never share one.
            let uuid = """
                lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2)
                  || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-'
                  || lower(hex(randomblob(6)))
                """
            try db.execute(sql: """
                ALTER TABLE runs ADD COLUMN uid TEXT;
                UPDATE runs SET uid = \(uuid);
                CREATE UNIQUE INDEX runs_by_uid ON runs(uid);
                CREATE TRIGGER runs_uid AFTER INSERT ON runs FOR EACH ROW WHEN NEW.uid IS NULL
                BEGIN
                  UPDATE runs SET uid = \(uuid) WHERE id = NEW.id;
                END;
                """)
        }
        migrator.registerMigration("v18: calls sent as ordinary calls after their batch request failed") { db in
            try db.execute(sql: "ALTER TABLE calls ADD COLUMN batch_fallback BOOLEAN NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("v19: the tools a model called") { db in
            try db.execute(sql: "ALTER TABLE calls ADD COLUMN tool_calls TEXT")
        }
        migrator.registerMigration("v20: the prompt variant a call was asked in, part of its key") { db in
            try db.execute(sql: "ALTER TABLE calls ADD COLUMN prompt_variant TEXT")
            try rebuildCallsWithVariantKey(db)
        }
        migrator.registerMigration("v21: the mean token logprob of an answer, for confidence graders") { db in
            try db.execute(sql: """
                ALTER TABLE calls ADD COLUMN mean_logprob REAL;
                ALTER TABLE calls ADD COLUMN logprob_tokens INTEGER;
                """)
        }
        // `calls_by_key` (v20) begins with `run_id, model_id`, so it serves every search
        // `calls_by_model` did, the cascade from `run_models` among them; keeping both cost
        // each call's insert a second index to update: 5,700 instructions of 375,000 a call
        // (callgrind, `tradeoff-bench throughput`).
        migrator.registerMigration("v22: calls_by_model dropped, calls_by_key serves its searches") { db in
            try db.execute(sql: "DROP INDEX IF EXISTS calls_by_model")
        }
        return migrator
    }

    /// Gives `calls.run_id` a single-column foreign key to `runs.id`: Datasette and BI tools
    /// draw relations only from those (the composite key to `run_models` they skip).
    ///
    /// SQLite cannot add a constraint to a table, so the table is rebuilt as SQLite's
    /// documentation prescribes, from its own stored definition (every column added since v1
    /// kept, in order), and its indexes and AUTOINCREMENT counter restored. The migrator turns
    /// foreign keys off meanwhile and checks them all before committing.
    private static func rebuildCallsWithRunKey(_ db: Database) throws {
        let table = "CREATE TABLE calls ("
        let column = "run_id INTEGER NOT NULL,"
        guard let definition = try String.fetchOne(
                db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'calls'"),
              definition.hasPrefix(table), let range = definition.range(of: column) else {
            throw DatabaseError(message: "cannot give calls.run_id its key to runs.id: the calls table is not "
                                + "as migration v14 left it (was it changed outside Tradeoff?)")
        }
        let keyed = definition.replacingCharacters(
            in: range, with: "run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,")
        let sequence = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'calls'")
        try db.execute(sql: "CREATE TABLE new_calls (" + keyed.dropFirst(table.count))
        try db.execute(sql: """
            INSERT INTO new_calls SELECT * FROM calls;
            DROP TABLE calls;
            ALTER TABLE new_calls RENAME TO calls;
            CREATE INDEX calls_by_model ON calls(run_id, model_id);
            CREATE INDEX calls_by_request_hash ON calls(request_hash) WHERE request_hash IS NOT NULL;
            """)
        // Ids of deleted calls are never reused (`cached_from` names calls by id).
        if let sequence {
            try db.execute(sql: """
                DELETE FROM sqlite_sequence WHERE name = 'calls';
                INSERT INTO sqlite_sequence (name, seq) VALUES ('calls', ?);
                """, arguments: [sequence])
        }
    }
}
