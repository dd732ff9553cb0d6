import GRDB

/// Queries for the analysis: one model's calls, the runs a model was in, every model id.
extension ResultStore {
    /// The calls of model `modelID` in run `runID`, in the order they were recorded.
    public func calls(ofRun runID: Int64, model modelID: String) throws -> [CallRecord] {
        try readForAnalysis { db in
            try CallRecord.filter(Column("run_id") == runID && Column("model_id") == modelID).order(Column("id")).fetchAll(db)
        }
    }

    /// The runs that used model `modelID`, oldest first.
    public func runs(withModel modelID: String) throws -> [RunRecord] {
        try readForAnalysis { db in
            try RunRecord.fetchAll(db, sql: """
                SELECT * FROM runs WHERE id IN (SELECT run_id FROM run_models WHERE model_id = ?) ORDER BY id
                """, arguments: [modelID])
        }
    }

    /// Every model id used in any run, in order of first use.
    public func modelIDs() throws -> [String] {
        try readForAnalysis { db in
            try String.fetchAll(db, sql: "SELECT model_id FROM run_models GROUP BY model_id ORDER BY MIN(rowid)")
        }
    }

    private func readForAnalysis<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.read(body) } catch { throw StoreError(path: path, underlying: error) }
    }
}
