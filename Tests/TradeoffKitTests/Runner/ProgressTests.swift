import Foundation
import Testing
@testable import TradeoffKit

struct ProgressTests {
    private final class Screen: @unchecked Sendable {
        // @unchecked: written only from the test's thread, one call at a time.
        var text = ""
    }

    @Test func aTerminalGetsALinePerModelAndATotalWithAnETA() {
        let screen = Screen()
        let progress = Progress(mode: .live) { screen.text += $0 }
        progress.start(models: ["gpt-4o", "llama"], callsPerModel: 4)
        progress.record(modelID: "gpt-4o", failed: false, costMicros: 1_500, latencyMs: 120)
        #expect(screen.text.contains("gpt-4o  1/4  0 errors  $0.0015  p50 120 ms"))
        #expect(screen.text.contains("llama   0/4  0 errors  $0.00  p50 -"))
        #expect(screen.text.contains("progress: 1/8 calls (12%), 0 errors, $0.0015 spent"))
        #expect(screen.text.contains(", ETA "))

        screen.text = ""
        progress.record(modelID: "llama", failed: true, costMicros: 0, latencyMs: nil)
        progress.finish()
        // The finish redraw goes back over the three lines drawn before.
        #expect(screen.text.hasPrefix("\r\u{1B}[2A\u{1B}[J"))
        #expect(screen.text.contains("llama   1/4  1 errors"))
        #expect(screen.text.hasSuffix("\n"))
    }

    /// A resumed run counts the whole run: what earlier sessions recorded is done (it showed
    /// `1/342 (0%)` for a run holding 342), and only this session's calls set the pace of the ETA.
    @Test func aResumedRunCountsWhatItRecordedBefore() {
        let screen = Screen()
        let progress = Progress(mode: .plain(interval: 0)) { screen.text += $0 }
        progress.start(models: ["a", "b"], callsPerModel: 171,
                       recorded: ["a": .init(calls: 171, failed: 1, costMicros: 2_000),
                                  "b": .init(calls: 140, failed: 0, costMicros: 500)])
        progress.record(modelID: "b", failed: false, costMicros: 10, latencyMs: 5)
        #expect(screen.text.hasPrefix("progress: 312/342 calls (91%), 1 errors, $0.00251 spent, "))
        #expect(screen.text.contains(", ETA "))
        #expect(screen.text.hasSuffix(" | a 171/171  b 141/171\n"))
    }

    @Test func logsGetOnePlainLineAtMostEveryInterval() {
        let screen = Screen()
        let progress = Progress(mode: .plain(interval: 3_600)) { screen.text += $0 }
        progress.start(models: ["a"], callsPerModel: 2)
        progress.record(modelID: "a", failed: false, costMicros: 0, latencyMs: 5)
        progress.record(modelID: "a", failed: false, costMicros: 0, latencyMs: 5)
        progress.finish()
        let lines = screen.text.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.last?.hasPrefix("progress: 2/2 calls (100%), 0 errors, $0.00 spent") == true)
        #expect(!screen.text.contains("\u{1B}"))
    }
}
