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
    /// Reading a big run whole holds every call at once: `readReportCalls(ofRun:_:)` hands them
    /// over one at a time instead.
    public func reportCalls(ofRun runID: Int64) throws -> [ReportCall] {
        var calls: [ReportCall] = []
        _ = try readReportCalls(ofRun: runID, reserve: { calls.reserveCapacity($0) }) { calls.append($0) }
        return calls
    }

    /// Hands the calls of run `runID` to `body` one at a time, in the order they were recorded,
    /// with only the columns the analysis and the reports read; returns them as a `CallSource`
    /// that reads any of them again by its position in that order.
    ///
    /// Grades are read only when they name a metric, hold judges or have an error (what the
    /// Grading section reads). A column read by a report must be added here (`ReportCallRow`) and
    /// to `ReportCall`.
    ///
    /// A report of a million calls spends much of its time here, so the rows are read with
    /// SQLite's own column functions rather than decoded cell by cell, and the run's calls are
    /// scanned in id order between its first and last id (calls of one run sit together: ids grow
    /// as calls are recorded) instead of through the index and a sort.
    public func readReportCalls(ofRun runID: Int64, reserve: (Int) -> Void = { _ in },
                                _ body: (ReportCall) throws -> Void) throws -> StoredCalls {
        var rowIDs: [Int64] = []
        try scanReportRows(ofRun: runID, reserve: { reserve($0); rowIDs.reserveCapacity($0) }) { row in
            let call = row.call()
            rowIDs.append(call.id ?? -1)
            try body(call)
        }
        return StoredCalls(store: self, runID: runID, rowIDs: rowIDs)
    }

    /// Steps through the report's query over run `runID`'s calls (`reportScanSQL`), `body` given
    /// each row in turn; `reserve` is first told how many there are. What `body` throws goes out
    /// as it is, not as a database error.
    func scanReportRows(ofRun runID: Int64, reserve: (Int) -> Void = { _ in },
                        _ body: (inout ReportCallRow) throws -> Void) throws {
        var bodyError: (any Error)?
        try readForAnalysis { db in
            let range = try Row.fetchOne(db, sql: "SELECT MIN(id), MAX(id), COUNT(*) FROM calls WHERE run_id = ?",
                                         arguments: [runID])
            guard let range, let first: Int64 = range[0], let last: Int64 = range[1] else { return }
            reserve(range[2])
            let statement = try db.makeStatement(sql: Self.reportScanSQL)
            try statement.setArguments([first, last, runID])
            var row = ReportCallRow(statement.sqliteStatement, runID: runID)
            while try row.step(in: db) {
                do { try body(&row) } catch { bodyError = error; return }
            }
        }
        if let bodyError { throw bodyError }
    }

    /// The query a report reads a run's calls with (`readReportCalls(ofRun:_:)`): its first id,
    /// its last id and the run's id as arguments, every column `ReportCallRow` reads. `make bench`
    /// runs it in C as the report's floor.
    public static let reportScanSQL =
        "SELECT \(ReportCallRow.columns) FROM calls WHERE id BETWEEN ? AND ? AND +run_id = ? ORDER BY id"

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

    /// The ids a report of run `runID` compares, for `--reference` and `--gate`: its models in
    /// `run_models` order, or with prompt variants each (model, variant) arm's label.
    public func armIDs(ofRun runID: Int64) throws -> [String] {
        let models = try self.models(ofRun: runID).map(\.modelId)
        return PromptArm.labels(models: models, variants: try run(runID)?.context?.variants ?? [])
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
