import Foundation
import GRDB

/// Queries for the analysis: one model's calls, the runs a model was in, every model id.
extension ResultStore {
    /// The calls of model `modelID` in run `runID`, in the order they were recorded.
    public func calls(ofRun runID: Int64, model modelID: String) throws -> [CallRecord] {
        try readForAnalysis { db in
            try CallRecord.filter(Column("run_id") == runID && Column("model_id") == modelID).order(Column("id")).fetchAll(db)
        }
    }

    /// The calls of run `runID` with only the columns the analysis and the reports read, in the
    /// order they were recorded — several times faster than `calls(ofRun:)` on a big run.
    ///
    /// Grades are read only when they name a metric, hold judges or have an error (what the
    /// Grading section reads). A column read by a report must be added here and to `ReportCall`.
    ///
    /// A report of a million calls spends most of its time here, so the rows are read with
    /// SQLite's own column functions rather than decoded cell by cell, into an array sized once,
    /// and the run's calls are scanned in id order between its first and last id (calls of one
    /// run sit together: ids grow as calls are recorded) instead of through the index and a sort.
    public func reportCalls(ofRun runID: Int64) throws -> [ReportCall] {
        try readForAnalysis { db in
            let range = try Row.fetchOne(db, sql: "SELECT MIN(id), MAX(id), COUNT(*) FROM calls WHERE run_id = ?",
                                         arguments: [runID])
            guard let range, let first: Int64 = range[0], let last: Int64 = range[1] else { return [] }
            var calls: [ReportCall] = []
            calls.reserveCapacity(range[2])
            let statement = try db.makeStatement(sql: """
                SELECT id, model_id, task_id, case_id, repeat_index, \(ToolCall.answerSQL), score, passed, input_tokens,
                  cached_input_tokens, output_tokens, usage_source, cost_micros, judge_cost_micros, latency_ms, ttft_ms,
                  output_tokens_per_second, http_status, error_class, error_message, grader_errors,
                  CASE WHEN grader_errors > 0 OR instr(grades, '"metric":') > 0 OR instr(grades, '"judges":') > 0
                    THEN grades END,
                  cached_from IS NOT NULL, cache_write_tokens, cache_write_1h_tokens, usage_untrusted IS NOT NULL,
                  finish_reason, batched, started_at
                FROM calls WHERE id BETWEEN ? AND ? AND +run_id = ? ORDER BY id
                """)
            try statement.setArguments([first, last, runID])
            let columns = SQLiteColumns(statement.sqliteStatement)
            var (modelIDs, taskIDs) = (RecentTexts(), RecentTexts())
            while try columns.step(in: db) {
                let modelID = columns.text(1, from: &modelIDs) ?? ""
                let taskID = columns.text(2, from: &taskIDs) ?? ""
                calls.append(ReportCall(
                    id: columns.int64(0), runId: runID, modelId: modelID, taskId: taskID,
                    caseId: columns.text(3) ?? "", repeatIndex: columns.int(4) ?? 0,
                    output: columns.text(5), score: columns.double(6), passed: columns.int(7).map { $0 != 0 },
                    grades: columns.text(21), graderErrors: columns.int(20) ?? 0, judgeCostMicros: columns.int64(13),
                    inputTokens: columns.int(8), cachedInputTokens: columns.int(9), cacheWriteTokens: columns.int(23),
                    cacheWrite1hTokens: columns.int(24), outputTokens: columns.int(10),
                    usageSource: columns.text(11).flatMap(Usage.Source.init(rawValue:)),
                    costMicros: columns.int64(12), latencyMs: columns.double(14), ttftMs: columns.double(15),
                    outputTokensPerSecond: columns.double(16), httpStatus: columns.int(17),
                    // An error class this version does not know still marks the call as failed.
                    errorClass: columns.text(18).map { CallError.Kind(rawValue: $0) ?? .http },
                    errorMessage: columns.text(19), cacheHit: columns.int(22) == 1,
                    usageUntrusted: columns.int(25) == 1, finishReason: columns.text(26),
                    batched: columns.int(27) == 1))
                calls[calls.count - 1].startedAtMilliseconds = columns.storedDateMilliseconds(28)
            }
            return calls
        }
    }

    /// The cases of run `runID` in suite order, without their variables (reports do not show
    /// them; `variables` is `{}`): decoding each case's JSON took a tenth of a big report's time.
    public func reportCases(ofRun runID: Int64) throws -> [CaseRecord] {
        try readForAnalysis { db in
            var template = CaseRecord(runId: runID, taskId: "", caseId: "", position: 0, variables: [:])
            var cases: [CaseRecord] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT task_id, case_id, position FROM cases WHERE run_id = ? ORDER BY rowid",
                                           arguments: [runID])
            while let row = try rows.next() {
                template.taskId = row[0]
                template.caseId = row[1]
                template.position = row[2]
                cases.append(template)
            }
            return cases
        }
    }

    /// The `grades` JSON of the calls `ids` (those that have any), for the few calls a report
    /// shows whole: `reportCalls(ofRun:)` leaves most grades out to keep a big run small.
    public func grades(ofCalls ids: [Int64]) throws -> [Int64: String] {
        try readForAnalysis { db in
            var grades: [Int64: String] = [:]
            let statement = try db.cachedStatement(sql: "SELECT grades FROM calls WHERE id = ?")
            for id in ids {
                if let text = try String.fetchOne(statement, arguments: [id]) { grades[id] = text }
            }
            return grades
        }
    }

    /// The variables of the cases `cases` of run `runID`, in the same order; nil for a case not
    /// stored. A value that is not a string (none is written so) shows as its JSON.
    public func variables(ofRun runID: Int64, cases: [(taskID: String, caseID: String)]) throws -> [[String: String]?] {
        try readForAnalysis { db in
            let statement = try db.cachedStatement(
                sql: "SELECT variables FROM cases WHERE run_id = ? AND task_id = ? AND case_id = ?")
            return try cases.map { testCase in
                guard let text = try String.fetchOne(statement, arguments: [runID, testCase.taskID, testCase.caseID]),
                      let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
                else { return nil }
                return object.mapValues { value in
                    if let string = value as? String { return string }
                    let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys])
                    return data.map { String(decoding: $0, as: UTF8.self) } ?? "\(value)"
                }
            }
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
