import GRDB

/// One call of a run: a model answering one repeat of one case, in one prompt variant.
public struct CallKey: Sendable, Hashable {
    public var modelID: String
    public var taskID: String
    public var caseID: String
    public var repeatIndex: Int
    /// The prompt variant; nil for a task's one wording.
    public var variant: String?

    public init(modelID: String, taskID: String, caseID: String, repeatIndex: Int, variant: String? = nil) {
        self.modelID = modelID
        self.taskID = taskID
        self.caseID = caseID
        self.repeatIndex = repeatIndex
        self.variant = variant
    }
}

extension ResultStore {
    /// The calls a run has recorded, so a resumed run makes only the others.
    ///
    /// - Parameter retryingErrors: when true, calls that ended in an error are deleted first
    ///   (with their judge rows), so the resumed run makes them again.
    public func recordedCalls(ofRun runID: Int64, retryingErrors: Bool) throws -> Set<CallKey> {
        try pool.write { db in
            if retryingErrors {
                try db.execute(sql: "DELETE FROM calls WHERE run_id = ? AND error_class IS NOT NULL", arguments: [runID])
            }
            let rows = try Row.fetchAll(db, sql: "SELECT model_id, task_id, case_id, repeat_index, prompt_variant FROM calls WHERE run_id = ?",
                                        arguments: [runID])
            return Set(rows.map { CallKey(modelID: $0["model_id"], taskID: $0["task_id"], caseID: $0["case_id"],
                                          repeatIndex: $0["repeat_index"], variant: $0["prompt_variant"]) })
        }
    }

    /// Marks a run running again, for a resume.
    public func reopenRun(_ runID: Int64) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE runs SET status = 'running', finished_at = NULL, stop_reason = NULL WHERE id = ?",
                           arguments: [runID])
        }
    }

    /// How many calls a run has recorded, and how many of them ended in an error.
    public func callTally(ofRun runID: Int64) throws -> (calls: Int, errors: Int) {
        try pool.read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT COUNT(*) AS calls, COUNT(error_class) AS errors FROM calls WHERE run_id = ?
                """, arguments: [runID])
            return (row?["calls"] ?? 0, row?["errors"] ?? 0)
        }
    }
}

extension ResultStore {
    /// Marks a run interrupted after its results could not be written, so that it reads as a run
    /// to resume rather than one still running. On a full disk the write may fail too; the WAL
    /// is then checkpointed into the database and truncated, which frees its space, and the
    /// write tried once more. Best effort: when both fail the run stays `running`, and its lease
    /// lets a resume take it once this process has exited.
    ///
    /// - Parameter reasons: every reason the run stopped, the failed write among them.
    /// - Returns: whether the run is marked.
    @discardableResult
    public func markInterrupted(_ runID: Int64, reasons: [StopReason]) -> Bool {
        let stored = StopReason.stored(reasons)
        if (try? finishRun(runID, status: .interrupted, stopReason: stored)) != nil { return true }
        _ = try? pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        return (try? finishRun(runID, status: .interrupted, stopReason: stored)) != nil
    }
}
