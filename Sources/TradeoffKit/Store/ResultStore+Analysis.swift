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
    /// Filled: id, model, task, case, repeat, output, score, passed, tokens, usage source, cost,
    /// judge cost, latency, TTFT, output speed, HTTP status, error class and message, grader
    /// errors, and grades when they name a metric, hold judges or have an error. Every other
    /// property keeps its default (`startedAt` and `finishedAt` are the epoch): use
    /// `calls(ofRun:)` for whole rows. A column read by a report must be added here.
    public func reportCalls(ofRun runID: Int64) throws -> [CallRecord] {
        try readForAnalysis { db in
            let epoch = Date(timeIntervalSince1970: 0)
            var calls: [CallRecord] = []
            let rows = try Row.fetchCursor(db, sql: """
                SELECT id, model_id, task_id, case_id, repeat_index, output, score, passed, input_tokens,
                  cached_input_tokens, output_tokens, usage_source, cost_micros, judge_cost_micros, latency_ms, ttft_ms,
                  output_tokens_per_second, http_status, error_class, error_message, grader_errors,
                  CASE WHEN grader_errors > 0 OR instr(grades, '"metric":') > 0 OR instr(grades, '"judges":') > 0
                    THEN grades END,
                  cached_from
                FROM calls WHERE run_id = ? ORDER BY id
                """, arguments: [runID])
            while let row = try rows.next() {
                var call = CallRecord(runId: runID, modelId: row[1], taskId: row[2], caseId: row[3], startedAt: epoch,
                                      finishedAt: epoch)
                call.id = row[0]
                call.repeatIndex = row[4]
                call.output = row[5]
                call.score = row[6]
                call.passed = row[7]
                call.inputTokens = row[8]
                call.cachedInputTokens = row[9]
                call.outputTokens = row[10]
                call.usageSource = row[11]
                call.costMicros = row[12]
                call.judgeCostMicros = row[13]
                call.latencyMs = row[14]
                call.ttftMs = row[15]
                call.outputTokensPerSecond = row[16]
                call.httpStatus = row[17]
                call.errorClass = row[18]
                call.errorMessage = row[19]
                call.graderErrors = (row[20] as Int?) ?? 0
                // Grades only where the Grading section reads them: metrics, judges, grader errors.
                call.grades = row[21]
                call.cachedFrom = row[22]
                calls.append(call)
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
