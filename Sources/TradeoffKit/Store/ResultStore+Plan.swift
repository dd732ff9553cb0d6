import GRDB

extension ResultStore {
    /// Mean output tokens of answered calls, per model id and task id, over every run stored:
    /// what `tradeoff plan` uses instead of `max_tokens` once a model has been seen on a task.
    public func observedOutputTokens() throws -> [String: [String: Double]] {
        try pool.read { db in
            var result: [String: [String: Double]] = [:]
            let rows = try Row.fetchAll(db, sql: """
                SELECT model_id, task_id, AVG(output_tokens) AS mean FROM calls
                WHERE output IS NOT NULL AND output_tokens IS NOT NULL
                GROUP BY model_id, task_id
                """)
            for row in rows {
                let model: String = row["model_id"], task: String = row["task_id"]
                result[model, default: [:]][task] = row["mean"]
            }
            return result
        }
    }

    /// Mean output tokens of each judge's answered calls in earlier runs, by judge model id.
    public func observedJudgeOutputTokens() throws -> [String: Double] {
        try pool.read { db in
            var result: [String: Double] = [:]
            let rows = try Row.fetchAll(db, sql: """
                SELECT judge_model_id, AVG(output_tokens) AS mean FROM judge_calls
                WHERE output IS NOT NULL AND output_tokens IS NOT NULL
                GROUP BY judge_model_id
                """)
            for row in rows { result[row["judge_model_id"]] = row["mean"] }
            return result
        }
    }
}
