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
