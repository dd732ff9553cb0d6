/// The PostgreSQL schema of the shared history, as append-only migrations recorded in
/// `tradeoff_migrations`. It mirrors the SQLite tables (`Schema`) with PostgreSQL's types, so
/// a pushed run reads back into SQLite unchanged: ids are the server's (`runs.uid` is a run's
/// identity across databases), `calls.cached_from` and `judge_calls.reused_from` hold server ids
/// (0 when the call they name was not pushed), `row_order` keeps the order SQLite read models
/// and cases in (its rowid), and a run's lease columns stay behind.
///
/// A SQLite migration that adds a column needs one here too: `PostgresSchemaTests` compares them.
enum PostgresSchema {
    /// Every migration, in order: (name, SQL).
    static let migrations: [(name: String, sql: String)] = [
        ("v1: runs, models, cases, calls and judge calls, as SQLite's v17", """
                CREATE TABLE runs (
                  id BIGSERIAL PRIMARY KEY,
                  uid TEXT NOT NULL UNIQUE,
                  suite TEXT NOT NULL,
                  suite_path TEXT NOT NULL,
                  suite_hash TEXT NOT NULL,
                  catalog_path TEXT NOT NULL,
                  tool_version TEXT NOT NULL,
                  started_at TIMESTAMPTZ NOT NULL,
                  finished_at TIMESTAMPTZ,
                  status TEXT NOT NULL,
                  graded_from BIGINT,
                  stop_reason TEXT,
                  git_commit TEXT,
                  context TEXT,
                  pushed_at TIMESTAMPTZ NOT NULL DEFAULT now()
                );
                CREATE TABLE run_models (
                  run_id BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                  row_order BIGINT NOT NULL,
                  model_id TEXT NOT NULL,
                  provider TEXT NOT NULL,
                  base_url TEXT NOT NULL,
                  model TEXT NOT NULL,
                  class TEXT NOT NULL,
                  simulated BOOLEAN NOT NULL,
                  price_input TEXT,
                  price_output TEXT,
                  price_cached_input TEXT,
                  max_concurrency BIGINT NOT NULL,
                  price_cache_write TEXT,
                  price_per_request TEXT,
                  price_batch_input TEXT,
                  price_batch_output TEXT,
                  price_tiers TEXT,
                  price_per_hour TEXT,
                  price_replicas BIGINT,
                  price_utilization TEXT,
                  price_id TEXT,
                  price_as_of TEXT,
                  price_source TEXT,
                  price_cache_write_1h TEXT,
                  price_throughput TEXT,
                  PRIMARY KEY (run_id, model_id)
                );
                CREATE TABLE cases (
                  run_id BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                  row_order BIGINT NOT NULL,
                  task_id TEXT NOT NULL,
                  case_id TEXT NOT NULL,
                  position BIGINT NOT NULL,
                  variables TEXT NOT NULL,
                  PRIMARY KEY (run_id, task_id, case_id)
                );
                CREATE TABLE calls (
                  id BIGSERIAL PRIMARY KEY,
                  run_id BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                  model_id TEXT NOT NULL,
                  task_id TEXT NOT NULL,
                  case_id TEXT NOT NULL,
                  repeat_index BIGINT NOT NULL,
                  output TEXT,
                  score DOUBLE PRECISION,
                  passed BOOLEAN,
                  grades TEXT,
                  input_tokens BIGINT,
                  cached_input_tokens BIGINT,
                  output_tokens BIGINT,
                  usage_source TEXT,
                  cost_micros BIGINT,
                  latency_ms DOUBLE PRECISION,
                  connect_ms DOUBLE PRECISION,
                  tls_ms DOUBLE PRECISION,
                  first_byte_ms DOUBLE PRECISION,
                  http_status BIGINT,
                  finish_reason TEXT,
                  served_model TEXT,
                  request_id TEXT,
                  error_class TEXT,
                  error_message TEXT,
                  started_at TIMESTAMPTZ NOT NULL,
                  finished_at TIMESTAMPTZ NOT NULL,
                  cache_write_tokens BIGINT,
                  reasoning_tokens BIGINT,
                  computed_cost_micros BIGINT,
                  reported_cost_micros BIGINT,
                  cost_source TEXT,
                  streamed BOOLEAN NOT NULL,
                  ttft_ms DOUBLE PRECISION,
                  output_tokens_per_second DOUBLE PRECISION,
                  attempts BIGINT NOT NULL,
                  backoff_ms DOUBLE PRECISION NOT NULL,
                  finish_reason_raw TEXT,
                  truncated BOOLEAN NOT NULL,
                  refused BOOLEAN NOT NULL,
                  serving_provider TEXT,
                  grader_errors BIGINT NOT NULL,
                  judge_cost_micros BIGINT,
                  request_hash TEXT,
                  cached_from BIGINT,
                  cache_write_1h_tokens BIGINT,
                  failed_attempts_usage TEXT,
                  usage_untrusted TEXT,
                  batched BOOLEAN NOT NULL,
                  UNIQUE (run_id, model_id, task_id, case_id, repeat_index),
                  FOREIGN KEY (run_id, model_id) REFERENCES run_models(run_id, model_id) ON DELETE CASCADE,
                  FOREIGN KEY (run_id, task_id, case_id) REFERENCES cases(run_id, task_id, case_id) ON DELETE CASCADE
                );
                CREATE TABLE judge_calls (
                  id BIGSERIAL PRIMARY KEY,
                  call_id BIGINT NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
                  run_id BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                  grader_index BIGINT NOT NULL,
                  judge_model_id TEXT NOT NULL,
                  provider TEXT NOT NULL,
                  model TEXT NOT NULL,
                  verdict_attempt BIGINT NOT NULL,
                  prompt_sha256 TEXT NOT NULL,
                  output TEXT,
                  score DOUBLE PRECISION,
                  verdict TEXT,
                  reasoning TEXT,
                  parse_error TEXT,
                  reused_from BIGINT,
                  input_tokens BIGINT,
                  cached_input_tokens BIGINT,
                  cache_write_tokens BIGINT,
                  output_tokens BIGINT,
                  reasoning_tokens BIGINT,
                  usage_source TEXT,
                  cost_micros BIGINT,
                  computed_cost_micros BIGINT,
                  reported_cost_micros BIGINT,
                  cost_source TEXT,
                  latency_ms DOUBLE PRECISION,
                  attempts BIGINT NOT NULL,
                  backoff_ms DOUBLE PRECISION NOT NULL,
                  http_status BIGINT,
                  served_model TEXT,
                  request_id TEXT,
                  error_class TEXT,
                  error_message TEXT,
                  started_at TIMESTAMPTZ NOT NULL,
                  finished_at TIMESTAMPTZ NOT NULL,
                  cache_write_1h_tokens BIGINT,
                  failed_attempts_usage TEXT,
                  usage_untrusted TEXT
                );
                CREATE INDEX calls_by_model ON calls(run_id, model_id);
                CREATE INDEX judge_calls_by_call ON judge_calls(call_id);
                CREATE INDEX runs_by_suite ON runs(suite, id);
                """),
        ("v2: calls.batch_fallback, as SQLite's v18", """
                ALTER TABLE calls ADD COLUMN batch_fallback BOOLEAN NOT NULL DEFAULT false;
                """),
        ("v3: calls.tool_calls, as SQLite's v19", """
                ALTER TABLE calls ADD COLUMN tool_calls TEXT;
                """),
        // Batches keep their columns; their ids are the server's (no row names a batch by id)
        // and their tags are not unique here: the same batch may come in a shard and in the
        // file the shards were merged into, as two runs.
        ("v4: batches, as SQLite's v14, and the views of SQLite's v16", """
                CREATE TABLE batches (
                  id BIGSERIAL PRIMARY KEY,
                  run_id BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                  model_id TEXT NOT NULL,
                  tag TEXT NOT NULL,
                  round BIGINT NOT NULL DEFAULT 1,
                  custom_ids TEXT NOT NULL,
                  request_count BIGINT NOT NULL,
                  input_file_id TEXT,
                  provider_batch_id TEXT,
                  status TEXT NOT NULL,
                  created_at TIMESTAMPTZ NOT NULL,
                  updated_at TIMESTAMPTZ NOT NULL,
                  FOREIGN KEY (run_id, model_id) REFERENCES run_models(run_id, model_id) ON DELETE CASCADE
                );
                CREATE INDEX batches_by_run ON batches(run_id, model_id);
                """ + viewsV4),
        ("v5: calls.prompt_variant, part of a call's key, as SQLite's v20", """
                ALTER TABLE calls ADD COLUMN prompt_variant TEXT;
                ALTER TABLE calls DROP CONSTRAINT IF EXISTS calls_run_id_model_id_task_id_case_id_repeat_index_key;
                CREATE UNIQUE INDEX calls_by_key
                  ON calls(run_id, model_id, task_id, case_id, repeat_index, COALESCE(prompt_variant, ''));
                """),
        ("v6: calls.mean_logprob and calls.logprob_tokens, as SQLite's v21", """
                ALTER TABLE calls ADD COLUMN mean_logprob DOUBLE PRECISION;
                ALTER TABLE calls ADD COLUMN logprob_tokens BIGINT;
                """),
    ]

    /// SQLite's views (`Schema.viewsV16`) in PostgreSQL: the same columns with the same values,
    /// so the README's queries give the same answers on both. Booleans are read as 0 and 1 as
    /// SQLite stores them (so `AVG(passed)` is a pass rate), sums of integers stay integers,
    /// and `*_usd` are doubles.
    static let viewsV4 = """
        CREATE VIEW calls_with_run AS
        SELECT c.id AS call_id, c.run_id, r.suite, r.status AS run_status, r.started_at AS run_started_at,
          r.git_commit, c.model_id, m.provider, m.model, m.class, m.simulated::int AS simulated, m.price_input,
          m.price_output, m.price_cached_input, m.price_per_hour, m.price_as_of, m.price_source, c.task_id, c.case_id,
          c.repeat_index, c.passed::int AS passed, c.score, c.output, c.error_class, c.error_message, c.input_tokens,
          c.cached_input_tokens, c.output_tokens, c.usage_source, c.cost_micros,
          c.cost_micros / 1e6::double precision AS cost_usd, c.judge_cost_micros,
          c.judge_cost_micros / 1e6::double precision AS judge_cost_usd, c.latency_ms, c.ttft_ms, c.http_status,
          c.batched::int AS batched, (c.cached_from IS NOT NULL)::int AS replayed, c.started_at, c.finished_at
        FROM calls c
        JOIN runs r ON r.id = c.run_id
        JOIN run_models m ON m.run_id = c.run_id AND m.model_id = c.model_id;

        CREATE VIEW model_summary AS
        SELECT m.run_id, r.suite, r.status AS run_status, r.started_at AS run_started_at, m.model_id, m.model,
          m.class, COUNT(c.id) AS calls, COUNT(c.output) AS answered, COUNT(c.error_class) AS errors,
          SUM(c.passed::int)::bigint AS passed, AVG(c.passed::int)::double precision AS pass_rate,
          AVG(c.score) AS mean_score, SUM(c.cost_micros)::bigint AS cost_micros,
          SUM(c.cost_micros) / 1e6::double precision AS cost_usd, SUM(c.judge_cost_micros)::bigint AS judge_cost_micros
        FROM run_models m
        JOIN runs r ON r.id = m.run_id
        LEFT JOIN calls c ON c.run_id = m.run_id AND c.model_id = m.model_id
        GROUP BY m.run_id, m.model_id, r.suite, r.status, r.started_at, m.model, m.class;
        """

    /// Applies the migrations the database lacks, in one transaction under an advisory lock, so
    /// that two pushes starting at once do not both create the tables.
    static func migrate(_ connection: PostgresConnection) throws {
        try connection.transaction {
            try connection.execute("SELECT pg_advisory_xact_lock(7406115)")
            try connection.execute("""
                CREATE TABLE IF NOT EXISTS tradeoff_migrations (
                  name TEXT PRIMARY KEY,
                  applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
                )
                """)
            let applied = Set(try connection.execute("SELECT name FROM tradeoff_migrations").rows.compactMap { $0[0] })
            for migration in migrations where !applied.contains(migration.name) {
                try connection.execute(migration.sql)
                try connection.execute("INSERT INTO tradeoff_migrations (name) VALUES ($1)", [migration.name])
            }
        }
    }
}
