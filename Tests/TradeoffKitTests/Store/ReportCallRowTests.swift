import Foundation
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

/// A report keeps a call's grades only when it reads them, as the `CASE` of `instr` in SQL did
/// before the choice moved to SQLite's bytes.
struct ReportCallRowTests {
    @Test func gradesAreKeptWhenAGraderFailedOrTheReportReadsThem() throws {
        try withTemporaryDirectory { directory in
            let store = try ResultStore(path: directory.file("r.sqlite"))
            let runID = try CallRecordRowTests.beginRun(in: store)
            let start = Date(timeIntervalSince1970: 1_700_000_000)
            let cases: [(grades: String?, errors: Int, kept: Bool)] = [
                (#"[{"type":"exact","passed":true}]"#, 0, false),
                (#"[{"type":"json","metric":"f1","score":0.5}]"#, 0, true),
                (#"[{"type":"judge","judges":[]}]"#, 0, true),
                (#"[{"type":"regex","online":true}]"#, 0, true),
                (#"[{"type":"exact","passed":false}]"#, 1, true),
                (nil, 1, false),
                ("", 0, false),
                (#""metric""#, 0, false),  // the key needs its colon
                (#"[{"type":"exact","note":"é","metric":"ü"}]"#, 0, true),  // after other UTF-8
            ]
            try store.record(cases.enumerated().map { index, item in
                var call = CallRecord(runId: runID, modelId: "m", taskId: "t", caseId: "1", startedAt: start,
                                      finishedAt: start)
                call.repeatIndex = index
                call.output = "a"
                call.grades = item.grades
                call.graderErrors = item.errors
                return call
            })
            let calls = try store.reportCalls(ofRun: runID)
            #expect(calls.map(\.grades) == cases.map { $0.kept ? $0.grades : nil })
            #expect(calls.map(\.graderErrors) == cases.map(\.errors))
        }
    }
}
