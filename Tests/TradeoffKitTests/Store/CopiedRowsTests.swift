import Foundation
import GRDB
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

/// The read-ahead's reading thread copies each row's columns (`CopiedRows`) and the calls are
/// decoded from the copies: they must be the calls decoded from the statement itself, whatever
/// SQLite holds in a column.
struct CopiedRowsTests {
    @Test func eachColumnHasAKind() throws {
        try withTemporaryDirectory { directory in
            let store = try ResultStore(path: directory.file("r.sqlite"))
            let count = try store.read { db in
                try db.makeStatement(sql: ResultStore.reportScanSQL).columnCount
            }
            #expect(ReportCallRow.kinds.count == count)
        }
    }

    /// NULLs, empty text, numbers stored as text and text stored as numbers, a blob that is not
    /// UTF-8, a date in another form GRDB reads, a grader's grades kept and dropped.
    @Test func copiesDecodeAsTheStatementDoes() throws {
        try withTemporaryDirectory { directory in
            let store = try ResultStore(path: directory.file("r.sqlite"))
            let runID = try CallRecordRowTests.beginRun(in: store)
            let start = Date(timeIntervalSince1970: 1_700_000_000.123)
            try store.record((0..<9).map { index in
                var call = CallRecord(runId: runID, modelId: "m", taskId: "t", caseId: "1", startedAt: start,
                                      finishedAt: start.addingTimeInterval(1))
                call.repeatIndex = index
                call.output = index == 1 ? "" : index == 3 ? nil : "answer \(index), \"quoted\""
                call.score = Double(index) / 8
                call.passed = index % 2 == 0
                call.inputTokens = 100 + index
                call.costMicros = Int64(index) * 1_000_001
                call.latencyMs = 12.5 * Double(index)
                call.errorClass = index == 3 ? .rateLimited : nil
                call.errorMessage = index == 3 ? "slow down" : nil
                call.grades = index == 4 ? #"{"metric":"accuracy"}"# : #"{"exact":true}"#
                call.promptVariant = index == 5 ? "terse" : nil
                return call
            })
            try store.write { db in
                try db.execute(sql: """
                    UPDATE calls SET error_message = 42, input_tokens = '17', score = '0.25', latency_ms = 3
                      WHERE repeat_index = 6;
                    UPDATE calls SET output = x'FF00E9', error_message = '', usage_source = NULL,
                      started_at = '2023-11-14T22:13:20Z' WHERE repeat_index = 7;
                    UPDATE calls SET grader_errors = 1 WHERE repeat_index = 5;
                    UPDATE calls SET started_at = 'not a date', output_tokens = 1.5, cost_micros = NULL WHERE repeat_index = 8;
                    """)
            }
            var direct: [ReportCall] = []
            _ = try store.readReportCalls(ofRun: runID) { direct.append($0) }
            var copied: [ReportCall] = []
            _ = try store.readReportCallsAhead(ofRun: runID, batchSize: 4) { copied.append($0) }
            #expect(direct.count == 9)
            #expect(copied == direct)
            #expect(direct[6].errorMessage == "42" && direct[6].inputTokens == 17 && direct[6].score == 0.25)
            #expect(direct[1].output == "" && direct[7].errorMessage == "")
            // Grades naming a metric or of a grader that failed are kept, and only those.
            #expect(direct[4].grades != nil && direct[5].grades != nil && direct[0].grades == nil)
        }
    }
}
