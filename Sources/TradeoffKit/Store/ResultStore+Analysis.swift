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
    public func reportCalls(ofRun runID: Int64) throws -> [ReportCall] {
        try readForAnalysis { db in
            var calls: [ReportCall] = []
            let rows = try Row.fetchCursor(db, sql: """
                SELECT id, model_id, task_id, case_id, repeat_index, output, score, passed, input_tokens,
                  cached_input_tokens, output_tokens, usage_source, cost_micros, judge_cost_micros, latency_ms, ttft_ms,
                  output_tokens_per_second, http_status, error_class, error_message, grader_errors,
                  CASE WHEN grader_errors > 0 OR instr(grades, '"metric":') > 0 OR instr(grades, '"judges":') > 0
                    THEN grades END,
                  cached_from, cache_write_tokens, cache_write_1h_tokens, usage_untrusted IS NOT NULL,
                  finish_reason, batched
                FROM calls WHERE run_id = ? ORDER BY id
                """, arguments: [runID])
            while let row = try rows.next() {
                calls.append(ReportCall(
                    id: row[0], runId: runID, modelId: row[1], taskId: row[2], caseId: row[3], repeatIndex: row[4],
                    output: row[5], score: row[6], passed: row[7],
                    // Grades only where the Grading section reads them: metrics, judges, grader errors.
                    grades: row[21], graderErrors: (row[20] as Int?) ?? 0, judgeCostMicros: row[13],
                    inputTokens: row[8], cachedInputTokens: row[9], cacheWriteTokens: row[23], cacheWrite1hTokens: row[24],
                    outputTokens: row[10], usageSource: row[11],
                    costMicros: row[12], latencyMs: row[14], ttftMs: row[15], outputTokensPerSecond: row[16],
                    httpStatus: row[17], errorClass: row[18], errorMessage: row[19], cacheHit: (row[22] as Int64?) != nil,
                    usageUntrusted: row[25], finishReason: row[26], batched: row[27]))
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
