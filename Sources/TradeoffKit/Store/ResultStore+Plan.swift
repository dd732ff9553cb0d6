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

    /// Per model id, the throughput measured over its answered calls in the latest run that
    /// made any (replays left out): what `plan` costs a model priced by the hour at when its
    /// price states none. Measured as a run measures it (`HourlyPricing.measure`).
    ///
    /// - Parameter modelIDs: The models to look for.
    /// - Returns: The models found, each with the run its throughput was measured in.
    public func observedThroughput(of modelIDs: [String]) throws -> [String: HourlyPricing.Basis] {
        try pool.read { db in
            var result: [String: HourlyPricing.Basis] = [:]
            for modelID in modelIDs {
                let answered = Column("model_id") == modelID && Column("output") != nil && Column("cached_from") == nil
                    && Column("latency_ms") > 0
                guard let runID = try Int64.fetchOne(db, CallRecord.filter(answered).select(max(Column("run_id"))))
                else { continue }
                let calls = try CallRecord.filter(answered && Column("run_id") == runID).fetchAll(db)
                guard var basis = HourlyPricing.measure(calls.map(\.hourlyCall)) else { continue }
                basis.runID = runID
                result[modelID] = basis
            }
            return result
        }
    }
}
