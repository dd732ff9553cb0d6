import GRDB

/// The calls of a run as `ResultStore.readReportCalls(ofRun:_:)` handed them over, read again from
/// the database by position: a report folds a big run's calls once and reads back only those it
/// shows whole, and the calls file row by row.
public struct StoredCalls: CallSource {
    public typealias Failure = StoreError

    let store: ResultStore
    let runID: Int64
    /// Each position's row id.
    let rowIDs: [Int64]

    /// How many calls were read.
    public var count: Int { rowIDs.count }

    public func calls(at positions: [Int]) throws(StoreError) -> [ReportCall] {
        var calls: [ReportCall] = []
        calls.reserveCapacity(positions.count)
        do {
            try read(at: positions, columns: ReportCallRow.columns) { calls.append($0) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(path: store.path, underlying: error)
        }
        return calls
    }

    /// The calls at `positions` with the columns the calls file writes (`CSVReport.callColumns`);
    /// the others read as absent.
    public func forEach(at positions: [Int], _ body: (ReportCall) throws -> Void) throws {
        try read(at: positions, columns: ReportCallRow.callsFileColumns, body)
    }

    private func read(at positions: [Int], columns: String, _ body: (ReportCall) throws -> Void) throws {
        // What `body` throws goes out as it is, not as a database error.
        var bodyError: (any Error)?
        try store.read { db in
            let statement = try db.makeStatement(sql: "SELECT \(columns) FROM calls WHERE id = ?")
            var row = ReportCallRow(statement.sqliteStatement, runID: runID)
            for position in positions {
                try row.select(id: rowIDs[position], in: db)
                guard try row.step(in: db) else {
                    throw DatabaseError(resultCode: .SQLITE_NOTFOUND,
                                        message: "call \(rowIDs[position]) of run \(runID) is no longer stored")
                }
                do { try body(row.call()) } catch { bodyError = error; return }
            }
        }
        if let bodyError { throw bodyError }
    }
}
