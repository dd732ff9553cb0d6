import Foundation
@testable import TradeoffKit

/// Fixed runs, built row by row, for the summary and report tests.
enum ReportFixture {
    static let start = Date(timeIntervalSince1970: 1_746_100_800)  // 2025-05-01T12:00:00Z

    /// Three models (two simulated and priced, one real and unpriced) on two tasks, with errors
    /// and answers full of characters that Markdown, HTML and spreadsheets treat specially.
    static var mixed: (summary: RunSummary, calls: [CallRecord]) {
        let run = RunRecord(id: 42, suite: "support-triage", suitePath: "suites/support-triage.yaml",
                            suiteHash: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                            catalogPath: "catalog.yaml", toolVersion: "0.1.0", startedAt: start,
                            finishedAt: start.addingTimeInterval(252.4), status: .incomplete)
        let models = [
            model("frontier-a", "acme/frontier-a", .frontier, price: ("2.50", "10"), simulated: true),
            model("open-b", "meta/open-b", .open, price: ("0.10", "0.40"), simulated: true),
            model("local-c", "local/c", .open, price: nil, simulated: false),
        ]
        let cases = [
            CaseRecord(runId: 42, taskId: "classify", caseId: "1", position: 0, variables: ["ticket": "refund"]),
            CaseRecord(runId: 42, taskId: "classify", caseId: "2", position: 1, variables: ["ticket": "login"]),
            CaseRecord(runId: 42, taskId: "classify", caseId: "3", position: 2, variables: ["ticket": "bug"]),
            CaseRecord(runId: 42, taskId: "extract", caseId: "a", position: 0, variables: ["text": "x"]),
            CaseRecord(runId: 42, taskId: "extract", caseId: "b", position: 1, variables: ["text": "y"]),
        ]
        // Recorded in completion order, not suite order, as a concurrent run records them.
        let calls = [
            answer("open-b", "extract", "b", "\tindented", score: 0, cost: 20, latency: 5000),
            answer("frontier-a", "classify", "1", "billing", score: 1, cost: 1234, latency: 800),
            answer("frontier-a", "classify", "2", "a | b", score: 1, cost: 1300, latency: 900),
            answer("frontier-a", "classify", "3", "line one\nline two", score: 0.5, cost: 1250, latency: 1000),
            answer("frontier-a", "extract", "a", "<script>alert('x')</script>", score: 1, cost: 2000, latency: 1200),
            answer("frontier-a", "extract", "b", "=SUM(A1)", score: 0, cost: 2100, latency: 3000),
            answer("open-b", "classify", "1", "billing", score: 1, cost: 15, latency: 300),
            answer("open-b", "classify", "2", "-42", score: 0, cost: 16, latency: 320),
            failure("open-b", "classify", "3", .rateLimited,
                    "Too many requests | retry <b>later</b> & again\nsee \"docs\"", status: 429),
            answer("open-b", "extract", "a", "@user, \"quoted\"", score: 2.0 / 3.0, cost: 17, latency: 340),
            answer("local-c", "classify", "1", "billing", score: 1, cost: nil, latency: 4000, source: .estimated),
            failure("local-c", "classify", "2", .timeout, "Operation timed out after 120000 ms", status: nil),
            answer("local-c", "classify", "3", "bug", score: 1, cost: nil, latency: 4500, source: .estimated),
            failure("local-c", "extract", "a", .server, "upstream overloaded", status: 503),
            answer("local-c", "extract", "b", "{\"x\": 1}", score: 1, cost: nil, latency: 7.25, source: .estimated),
        ]
        return (RunSummary(run: run, models: models, cases: cases, calls: calls), calls)
    }

    /// A run still going, on one unpriced real model, without errors.
    static var minimal: (summary: RunSummary, calls: [CallRecord]) {
        let run = RunRecord(id: 1, suite: "tiny `suite` <1>", suitePath: "suites/tiny.yaml",
                            suiteHash: "abcdef0123456789", catalogPath: "models.yaml", toolVersion: "0.1.0",
                            startedAt: start, status: .running)
        let models = [model("solo", "vendor/solo", .frontier, price: nil, simulated: false)]
        let cases = [CaseRecord(runId: 1, taskId: "only", caseId: "1", position: 0, variables: [:])]
        let calls = [answer("solo", "only", "1", "yes", score: 1, cost: nil, latency: 12_345.6, runID: 1)]
        return (RunSummary(run: run, models: models, cases: cases, calls: calls), calls)
    }

    /// A run that decides something: a frontier model, a cheap open model good enough for one
    /// task, and a cheaper one that is not, on 40 + 40 cases, at δ = 0.1 with a 2M/month volume.
    static var decision: (summary: RunSummary, calls: [CallRecord]) {
        let run = RunRecord(id: 7, suite: "helpdesk", suitePath: "suites/helpdesk.yaml", suiteHash: String(repeating: "ab", count: 32),
                            catalogPath: "models.yaml", toolVersion: "0.1.0", startedAt: start,
                            finishedAt: start.addingTimeInterval(95), status: .completed)
        let models = decisionModels
        var cases: [CaseRecord] = []
        var calls: [CallRecord] = []
        for task in ["classify", "extract"] {
            for index in 0..<40 {
                let caseID = "\(task.prefix(1))\(index + 1)"
                cases.append(CaseRecord(runId: 7, taskId: task, caseId: caseID, position: index, variables: [:]))
                let failing: [String: Bool] = [
                    "frontier": false,
                    "open-good": task == "extract" && index % 20 == 3,  // 2 of 40 extract cases
                    "open-bad": task == "classify" ? index % 2 == 0 : index % 8 == 5,  // 20 and 5
                ]
                for (name, cost, base) in [("frontier", Int64(1000), 900.0), ("open-good", 100, 400), ("open-bad", 10, 150)] {
                    let fails = failing[name]!
                    var call = answer(name, task, caseID, fails ? "wrong | <answer>" : "ok", score: fails ? 0 : 1,
                                      cost: cost, latency: base + Double((index * 37) % 200), runID: 7)
                    if name == "frontier" {
                        call.ttftMs = 100 + Double(index)
                        call.outputTokensPerSecond = 50 + Double(index % 10)
                        call.streamed = true
                    }
                    calls.append(call)
                }
            }
        }
        let settings = AnalysisSettings(margin: 0.1, volume: Volume(casesPerMonth: 2_000_000))
        return (RunSummary(run: run, models: models, cases: cases, calls: calls, settings: settings), calls)
    }

    /// The llama.cpp run, shrunk: the configured reference passes 7 of 40 cases (none of
    /// `summarize`), the other model 23, every case the reference passes among them, at 112% of
    /// the reference's cost per case by default (`cost` micro-dollars a call against
    /// `referenceCost`; nil: unpriced).
    static func betterThanReference(cost: Int64? = 1120, referenceCost: Int64? = 1000) -> RunSummary {
        let run = RunRecord(id: 8, suite: "local", suitePath: "suites/local.yaml", suiteHash: String(repeating: "cd", count: 32),
                            catalogPath: "models.yaml", toolVersion: "0.1.0", startedAt: start,
                            finishedAt: start.addingTimeInterval(60), status: .completed)
        let models = [
            model("gemma3-270m", "gemma3:270m", .open, price: referenceCost == nil ? nil : ("0.10", "0.40"), simulated: false,
                  runID: 8),
            model("qwen3-0.6b", "qwen3:0.6b", .open, price: cost == nil ? nil : ("0.11", "0.45"), simulated: false, runID: 8),
        ]
        var cases: [CaseRecord] = []
        var calls: [CallRecord] = []
        for task in ["classify", "summarize"] {
            for index in 0..<20 {
                let caseID = "\(task.prefix(1))\(index + 1)"
                cases.append(CaseRecord(runId: 8, taskId: task, caseId: caseID, position: index, variables: [:]))
                let referencePasses = task == "classify" && index < 7
                let otherPasses = task == "classify" ? index < 15 : index < 8
                calls.append(answer("gemma3-270m", task, caseID, "x", score: referencePasses ? 1 : 0, cost: referenceCost,
                                    latency: 500, runID: 8))
                calls.append(answer("qwen3-0.6b", task, caseID, "x", score: otherPasses ? 1 : 0, cost: cost,
                                    latency: 600, runID: 8))
            }
        }
        return RunSummary(run: run, models: models, cases: cases, calls: calls,
                          settings: AnalysisSettings(reference: "gemma3-270m"))
    }

    static var decisionModels: [RunModelRecord] {
        [
            model("frontier", "acme/frontier", .frontier, price: ("2.50", "10"), simulated: false, runID: 7),
            model("open-good", "meta/open-good", .open, price: ("0.25", "1"), simulated: false, runID: 7),
            model("open-bad", "meta/open-bad", .open, price: ("0.02", "0.1"), simulated: false, runID: 7),
        ]
    }

    static var decisionCases: [CaseRecord] {
        ["classify", "extract"].flatMap { task in
            (0..<40).map { CaseRecord(runId: 7, taskId: task, caseId: "\(task.prefix(1))\($0 + 1)", position: $0, variables: [:]) }
        }
    }

    static func model(_ id: String, _ name: String, _ modelClass: ModelClass, price: (String, String)?,
                      simulated: Bool, runID: Int64 = 42) -> RunModelRecord {
        RunModelRecord(runId: runID, entry: entry(id, name, modelClass, price: price, simulated: simulated))
    }

    static func entry(_ id: String, _ name: String, _ modelClass: ModelClass, price: (String, String)?,
                      simulated: Bool) -> ModelEntry {
        let price = price.map { Price(inputPerMillion: Decimal(string: $0.0)!, outputPerMillion: Decimal(string: $0.1)!) }
        return ModelEntry(id: id, baseURL: "http://127.0.0.1:8080/v1", model: name, modelClass: modelClass,
                          price: price, apiKeyEnv: nil, simulated: simulated)
    }

    /// An answered call; it passes when `score` is 1.
    static func answer(_ model: String, _ task: String, _ testCase: String, _ output: String, score: Double,
                       cost: Int64?, latency: Double, source: Usage.Source = .reported, runID: Int64 = 42,
                       repeatIndex: Int = 0) -> CallRecord {
        var call = CallRecord(runId: runID, modelId: model, taskId: task, caseId: testCase, startedAt: start,
                              finishedAt: start.addingTimeInterval(latency / 1000))
        call.repeatIndex = repeatIndex
        call.output = output
        call.score = score
        call.passed = score >= 1
        call.inputTokens = 100
        call.cachedInputTokens = source == .reported ? 20 : 0
        call.outputTokens = 10
        call.usageSource = source
        call.costMicros = cost
        call.latencyMs = latency
        call.httpStatus = 200
        return call
    }

    /// A call that produced no answer.
    static func failure(_ model: String, _ task: String, _ testCase: String, _ kind: CallError.Kind,
                        _ message: String, status: Int?, runID: Int64 = 42) -> CallRecord {
        var call = CallRecord(runId: runID, modelId: model, taskId: task, caseId: testCase, startedAt: start,
                              finishedAt: start.addingTimeInterval(1))
        call.errorClass = kind
        call.errorMessage = message
        call.httpStatus = status
        return call
    }
}

/// Compares text with a golden file under `Fixtures/golden/`, byte for byte.
///
/// `UPDATE_GOLDEN=1 swift test ...` rewrites the files instead; review the diff before committing.
enum Golden {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/golden")

    /// Nil when `actual` matches the golden file `name`, else what differs.
    static func mismatch(_ actual: String, _ name: String) throws -> String? {
        let url = folder.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            return nil
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            return "missing golden file \(url.path); run the tests with UPDATE_GOLDEN=1 to create it"
        }
        let expected = String(decoding: data, as: UTF8.self)
        guard expected != actual else { return nil }
        // Split on LF only, so a CR difference shows up in the line.
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(expectedLines.count, actualLines.count) {
            let want = index < expectedLines.count ? String(expectedLines[index]) : "<end of file>"
            let got = index < actualLines.count ? String(actualLines[index]) : "<end of file>"
            if want != got {
                return "\(name) differs at line \(index + 1):\n  expected: \(want.debugDescription)\n"
                    + "  actual:   \(got.debugDescription)\n(UPDATE_GOLDEN=1 rewrites the golden files)"
            }
        }
        return "\(name) differs"
    }
}

/// One case of a triage task on three models: one passes (graded by a judge too, its grades
/// read with the summary), one fails with a long answer (its grades read for the page alone),
/// one could not answer.
enum DrillDownFixture {
    static var run: (summary: RunSummary, calls: [CallRecord]) {
        let run = RunRecord(id: 3, suite: "desk", suitePath: "suites/desk.yaml", suiteHash: "abcdef0123456789",
                            catalogPath: "models.yaml", toolVersion: "0.1.0", startedAt: ReportFixture.start,
                            finishedAt: ReportFixture.start.addingTimeInterval(3), status: .completed)
        let models = [ReportFixture.model("big", "v/big", .frontier, price: ("10", "50"), simulated: false, runID: 3),
                      ReportFixture.model("small", "v/small", .open, price: ("1", "2"), simulated: false, runID: 3),
                      ReportFixture.model("down", "v/down", .open, price: ("1", "2"), simulated: false, runID: 3)]
        let cases = [CaseRecord(runId: 3, taskId: "triage", caseId: "t1", position: 0, variables: [:])]
        var big = ReportFixture.answer("big", "triage", "t1", "billing", score: 1, cost: 1_500, latency: 812, runID: 3)
        big.grades = grades(judged: true)
        big.judgeCostMicros = 30
        var small = ReportFixture.answer("small", "triage", "t1", String(repeating: "x", count: 400), score: 0, cost: 20,
                                         latency: 90, runID: 3)
        small.id = 3
        big.id = 2
        var down = ReportFixture.failure("down", "triage", "t1", .server, "upstream <overloaded>", status: 503, runID: 3)
        down.id = 4
        let calls = [big, small, down]
        return (RunSummary(run: run, models: models, cases: cases, calls: calls), calls)
    }

    /// The grades of the passing answer (with a judge), or of the failing one.
    static func grades(judged: Bool) -> String {
        guard judged else {
            return GraderOutcome.encoded([GraderOutcome(type: "exact", score: 0, weight: 1, reason: "expected \"billing\"",
                                                        metric: "accuracy")])
        }
        return GraderOutcome.encoded([
            GraderOutcome(type: "exact", score: 1, weight: 1, reason: "matches \"billing\"", metric: "accuracy"),
            GraderOutcome(type: "judge", score: 1, weight: 1, reason: "1 of 1 judges passed", metric: "judged", judges: [
                JudgeOpinion(model: "judge-1", score: 1, passed: true, verdict: "pass", reason: "names the <right> queue",
                             costMicros: 30)]),
        ])
    }
}
