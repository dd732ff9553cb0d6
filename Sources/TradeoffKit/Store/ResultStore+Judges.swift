import GRDB

/// A call row and the judge calls made while grading it, written together.
public struct GradedCall: Sendable, Hashable {
    /// The answer's row.
    public var call: CallRecord
    /// The judge calls about it; their `callId` is set when the call is written.
    public var judgeCalls: [JudgeCallRecord]

    /// Pairs a call with its judge calls.
    public init(_ call: CallRecord, judgeCalls: [JudgeCallRecord] = []) {
        self.call = call
        self.judgeCalls = judgeCalls
    }
}

extension ResultStore {
    /// Appends calls and their judge calls in one transaction.
    ///
    /// - Throws: `StoreError` naming the SQL that failed.
    public func record(_ calls: [GradedCall]) throws {
        guard !calls.isEmpty else { return }
        do {
            try pool.write { db in
                let inserter = try CallRecord.stored.inserter(in: db)
                // Read where they are: iterating the array copied each row out of it.
                try calls.withUnsafeBufferPointer { calls in
                    for index in calls.indices {
                        let callID = try inserter.insert(calls[index].call)
                        for var judgeCall in calls[index].judgeCalls {
                            judgeCall.callId = callID
                            try judgeCall.insert(db)
                        }
                    }
                }
            }
        } catch {
            throw StoreError(path: path, underlying: error)
        }
    }

    /// The judge calls of a run, in the order they were recorded.
    public func judgeCalls(ofRun runID: Int64) throws -> [JudgeCallRecord] {
        try judgeCalls(where: "run_id", is: runID)
    }

    /// The judge calls about one call, in the order they were recorded.
    public func judgeCalls(ofCall callID: Int64) throws -> [JudgeCallRecord] {
        try judgeCalls(where: "call_id", is: callID)
    }

    private func judgeCalls(where column: String, is id: Int64) throws -> [JudgeCallRecord] {
        do {
            return try pool.read { db in
                try JudgeCallRecord.filter(Column(column) == id).order(Column("id")).fetchAll(db)
            }
        } catch {
            throw StoreError(path: path, underlying: error)
        }
    }

    /// Copies the judge calls of run `sourceRunID` in the attached database `source` to run
    /// `runID`, linking each to the copy of its call (matched by model, task, case, repeat and
    /// prompt variant: the call's key).
    /// For `merge`, inside its transaction, after the calls were copied.
    static func copyJudgeCalls(_ db: Database, from source: String, run sourceRunID: Int64, to runID: Int64) throws {
        let columns = try db.columns(in: "judge_calls").map(\.name)
            .filter { !["id", "run_id", "call_id", "reused_from"].contains($0) }
        let list = columns.joined(separator: ", ")
        let selected = columns.map { "j.\($0)" }.joined(separator: ", ")
        try db.execute(sql: """
            INSERT INTO main.judge_calls (run_id, call_id, \(list))
            SELECT ?, m.id, \(selected)
            FROM \(source).judge_calls j
            JOIN \(source).calls s ON s.id = j.call_id
            JOIN main.calls m ON m.run_id = ? AND m.model_id = s.model_id AND m.task_id = s.task_id
              AND m.case_id = s.case_id AND m.repeat_index = s.repeat_index AND m.prompt_variant IS s.prompt_variant
            WHERE j.run_id = ?
            ORDER BY j.id
            """, arguments: [runID, runID, sourceRunID])
    }
}
