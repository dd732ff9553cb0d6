extension Schema {
    /// The views of migration v16: the questions a data team asks of a results database, each
    /// one `SELECT` away. Frozen with the migration: a later change is a new migration that
    /// drops and recreates a view.
    ///
    /// Money stays exact in `*_micros` integers; the `*_usd` columns beside them are REAL for
    /// charts and spreadsheets.
    static let viewsV16 = """
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
        JOIN run_models m ON m.run_id = c.run_id AND m.model_id = c.model_id;

        CREATE VIEW model_summary AS
        SELECT m.run_id, r.suite, r.status AS run_status, r.started_at AS run_started_at, m.model_id, m.model,
          m.class, COUNT(c.id) AS calls, COUNT(c.output) AS answered, COUNT(c.error_class) AS errors,
          SUM(c.passed) AS passed, AVG(c.passed) AS pass_rate, AVG(c.score) AS mean_score,
          SUM(c.cost_micros) AS cost_micros, SUM(c.cost_micros) / 1e6 AS cost_usd,
          SUM(c.judge_cost_micros) AS judge_cost_micros
        FROM run_models m
        JOIN runs r ON r.id = m.run_id
        LEFT JOIN calls c ON c.run_id = m.run_id AND c.model_id = m.model_id
        GROUP BY m.run_id, m.model_id;
        """
}
