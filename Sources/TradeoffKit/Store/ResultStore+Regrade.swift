extension ResultStore {
    /// Records the start of a re-graded run: the run row, copies of the models (prices kept)
    /// and the cases given.
    ///
    /// - Returns: The new run's id.
    func beginRegrade(_ run: RunRecord, models: [RunModelRecord], cases: [CaseRecord]) throws -> Int64 {
        do {
            return try pool.write { db in
                var run = run
                try run.insert(db)
                let runID = run.id!
                for var model in models {
                    model.runId = runID
                    try model.insert(db)
                }
                for var record in cases {
                    record.runId = runID
                    try record.insert(db)
                }
                return runID
            }
        } catch {
            throw StoreError(path: path, underlying: error)
        }
    }
}
