import Foundation
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

/// The packed `ReportCall` reads back what was put in, nil included, and clamps what it cannot
/// hold instead of wrapping it.
struct ReportCallTests {
    private static func call() -> ReportCall {
        ReportCall(id: 7, runId: 3, modelId: "m", taskId: "t", caseId: "c", repeatIndex: 2, output: "answer",
                   score: 0.25, passed: false, grades: "[]", graderErrors: 1, judgeCostMicros: 5, inputTokens: 100,
                   cachedInputTokens: 10, cacheWriteTokens: 20, cacheWrite1hTokens: 4, outputTokens: 30,
                   usageSource: .estimated, costMicros: 1_234_567, latencyMs: 812.5, ttftMs: 90.25,
                   outputTokensPerSecond: 41.5, httpStatus: 200, errorClass: nil, errorMessage: "why",
                   cacheHit: true, usageUntrusted: true, finishReason: "length")
    }

    @Test func everyPropertyReadsBackWhatWasGiven() {
        let call = Self.call()
        #expect(call.id == 7 && call.runId == 3 && call.repeatIndex == 2 && call.output == "answer")
        #expect(call.score == 0.25 && call.passed == false && call.grades == "[]" && call.graderErrors == 1)
        #expect(call.judgeCostMicros == 5 && call.inputTokens == 100 && call.cachedInputTokens == 10)
        #expect(call.cacheWriteTokens == 20 && call.cacheWrite1hTokens == 4 && call.outputTokens == 30)
        #expect(call.usageSource == .estimated && call.costMicros == 1_234_567 && call.latencyMs == 812.5)
        #expect(call.ttftMs == 90.25 && call.outputTokensPerSecond == 41.5 && call.httpStatus == 200)
        #expect(call.errorMessage == "why" && call.cacheHit && call.usageUntrusted && call.finish == .length)
        #expect(MemoryLayout<ReportCall>.stride <= 176)
    }

    @Test func theStartTimeReadsBackToTheMillisecond() {
        var call = Self.call()
        #expect(call.startedAt == nil)
        call.startedAt = Date(timeIntervalSince1970: 1_796_518_923.4564)
        #expect(call.startedAtMilliseconds == 1_796_518_923_456)
        #expect(call.startedAt == Date(timeIntervalSince1970: 1_796_518_923.456))
        call.httpStatus = 99_999
        #expect(call.httpStatus == Int(Int16.max) - 1 && call.startedAtMilliseconds == 1_796_518_923_456)
    }

    @Test func nilStaysNilAndZeroStaysZero() {
        var call = Self.call()
        call.id = nil
        call.score = nil
        call.latencyMs = nil
        call.costMicros = nil
        call.inputTokens = nil
        call.httpStatus = nil
        call.grades = nil
        call.finishReason = nil
        #expect(call.id == nil && call.score == nil && call.latencyMs == nil && call.costMicros == nil)
        #expect(call.inputTokens == nil && call.httpStatus == nil && call.grades == nil && call.finish == nil)
        // Clearing one rare text keeps the other.
        #expect(call.errorMessage == "why")
        call.costMicros = 0
        call.inputTokens = 0
        call.score = 0
        #expect(call.costMicros == 0 && call.inputTokens == 0 && call.score == 0)
        #expect(call.ttftMs == 90.25, "setting one field leaves the others")
    }

    @Test func callsWithTheSameMissingNumbersAreEqual() {
        var a = Self.call()
        a.ttftMs = nil
        a.score = nil
        let b = a
        #expect(a == b && Set([a, b]).count == 1)
        var c = a
        c.latencyMs = nil
        #expect(a != c)
    }

    @Test func whatCannotBeHeldIsClampedNotWrapped() {
        var call = Self.call()
        call.inputTokens = Int(Int32.max) + 10
        call.outputTokens = -5_000_000_000
        #expect(call.inputTokens == Int(Int32.max) - 1)
        #expect(call.outputTokens == Int(Int32.min) + 1)
        call.finishReason = "something-new"
        #expect(call.finish == .other)
    }

    @Test func aRunsCallsAreReadAloneWhenAnotherRunsRowsAreInterleaved() throws {
        try withTemporaryDirectory { directory in
            let store = try ResultStore(path: directory.file("r.sqlite"))
            let suite = Suite(name: "s", description: nil, path: "s.yaml", contentHash: "h", tasks: [
                SuiteTask(id: "t", system: nil, prompt: Template("{{q}}"), settings: .defaults, graders: [GraderSpec(.jsonValid)],
                          cases: (1...4).map { TestCase(id: "\($0)", variables: ["q": "\($0)"]) }),
            ])
            let run = RunRecord(suite: "s", suitePath: "s.yaml", suiteHash: "h", catalogPath: "c.yaml", toolVersion: "0",
                                startedAt: ReportFixture.start, status: .running)
            let model = ReportFixture.entry("m", "x/m", .open, price: ("1", "2"), simulated: true)
            let first = try store.beginRun(run, models: [model], suite: suite)
            let second = try store.beginRun(run, models: [model], suite: suite)
            // Two processes writing at once: the runs' ids interleave.
            for testCase in 1...4 {
                try store.record([ReportFixture.answer("m", "t", "\(testCase)", "a\(testCase)", score: 1, cost: 1, latency: 1,
                                                       runID: first)])
                try store.record([ReportFixture.answer("m", "t", "\(testCase)", "b\(testCase)", score: 0, cost: 1, latency: 1,
                                                       runID: second)])
            }
            #expect(try store.reportCalls(ofRun: first).map { $0.output ?? "" } == ["a1", "a2", "a3", "a4"])
            #expect(try store.reportCalls(ofRun: second).map { $0.output ?? "" } == ["b1", "b2", "b3", "b4"])
            #expect(try store.reportCalls(ofRun: 99).isEmpty)
        }
    }

    @Test func recentTextsHandBackTheSameTextWhateverTheOrder() {
        var recent = RecentTexts(limit: 4)
        let inputs = (0..<200).map { "model-with-a-long-name-\($0 % 7)" } + ["", "é", "e\u{301}"]
        for input in inputs {
            let text = Array(input.utf8).withUnsafeBufferPointer { recent.text($0) }
            #expect(text == input)
        }
    }
}
