import Foundation
import GRDB
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

struct CaseRecordTests {
    static let variables: [String: String] = [
        "ticket": "Refund/return \"now\"\n\t\u{1}é 😀", "a/b": "</script>", "": "", "Z": "\\", "a10": "x", "a2": "y",
    ]

    /// The variables column reads as `JSONEncoder` with `.sortedKeys` wrote it (slashes escaped).
    @Test func variablesAreWhatJSONEncoderWrote() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let record = CaseRecord(runId: 1, taskId: "t", caseId: "1", position: 0, variables: Self.variables)
        #expect(record.variables == String(decoding: try encoder.encode(Self.variables), as: UTF8.self))
        #expect(CaseRecord(runId: 1, taskId: "t", caseId: "1", position: 0, variables: [:]).variables == "{}")
    }

    @Test func fastInsertStoresWhatInsertStores() throws {
        try withTemporaryDirectory { directory in
            let store = try ResultStore(path: directory.file("r.sqlite"))
            let runID = try store.beginRun(
                RunRecord(suite: "s", suitePath: "s", suiteHash: "h", catalogPath: "c", toolVersion: "t", startedAt: Date(),
                          status: .running),
                models: [], suite: Suite(name: "s", description: nil, path: "s", contentHash: "h", tasks: []))
            try store.pool.write { db in
                try CaseRecord(runId: runID, taskId: "t", caseId: "grdb", position: 3, variables: Self.variables).insert(db)
                try CaseRecord(runId: runID, taskId: "t", caseId: "fast", position: 3, variables: Self.variables).insertFast(db)
            }
            let rows = try store.pool.read { db in
                try Row.fetchAll(db, sql: "SELECT *, typeof(position) AS position_type FROM cases ORDER BY case_id DESC")
            }
            #expect(rows.count == 2)
            for column in rows[0].columnNames where column != "case_id" {
                #expect(rows[0][column] as DatabaseValue == rows[1][column] as DatabaseValue, "\(column)")
            }
        }
    }
}
