import Foundation
import Testing
@testable import TradeoffKit

/// The `--format json` documents byte for byte where their shape is fixed by the types alone:
/// unknown values are null, never missing, so a consumer's `jq` path does not break.
struct CommandOutputTests {
    @Test func validationPinsEveryDiagnosticField() {
        let text = CommandOutput.validation([
            (file: "ok.yaml", diagnostics: []),
            (file: "bad.yaml", diagnostics: [
                Diagnostic(file: "bad.yaml", line: 3, column: 7, message: "unknown key 'modle'", sourceLine: "  modle: x"),
                Diagnostic(.warning, file: "data.csv", line: nil, column: nil, message: "no rows"),
            ]),
        ])
        #expect(text == #"{"command":"validate","files":[{"diagnostics":[],"errors":0,"file":"ok.yaml","ok":true,"warnings":0},"#
            + #"{"diagnostics":[{"column":7,"file":"bad.yaml","line":3,"message":"unknown key 'modle'","severity":"error","#
            + #""source_line":"  modle: x"},{"column":null,"file":"data.csv","line":null,"message":"no rows","#
            + #""severity":"warning","source_line":null}],"errors":1,"file":"bad.yaml","ok":false,"warnings":1}],"#
            + #""ok":false,"schema_version":1}"# + "\n")
    }

    @Test func warningsAloneKeepAFileOK() {
        let text = CommandOutput.validation([(file: "a.yaml", diagnostics: [Diagnostic(.warning, file: "a.yaml", line: 1,
                                                                                       column: 1, message: "old")])])
        #expect(text.contains(#""errors":0,"file":"a.yaml","ok":true,"warnings":1}],"ok":true"#))
    }

    @Test func historyGivesNullsForWhatIsUnknown() throws {
        let (summary, _) = ReportFixture.minimal
        let entry = ModelHistory.Entry(runID: 1, startedAt: ReportFixture.start, status: .running,
                                       suiteHash: "abc", summary: summary.models[0])
        let text = CommandOutput.history(ModelHistory(modelID: "solo", entries: [entry]))
        #expect(text == #"{"command":"history","model_id":"solo","runs":[{"calls":1,"cases":1,"cost_per_case_micros":null,"#
            + #""errors":0,"p95_latency_ms":12345.6,"pass_rate":1,"priced":false,"quality":{"lower":"#
            + "\(summary.models[0].qualityInterval!.lower),\"upper\":1,\"value\":1},"
            + #""run_id":1,"started_at":"2025-05-01T12:00:00Z","status":"running","suite_hash":"abc"}],"schema_version":1}"#
            + "\n")
    }
}
