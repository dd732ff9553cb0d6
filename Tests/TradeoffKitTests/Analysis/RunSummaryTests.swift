import Foundation
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

struct RunSummaryTests {
    private let summary = ReportFixture.mixed.summary

    private func model(_ id: String) throws -> ModelSummary {
        try #require(summary.models.first { $0.modelID == id })
    }

    @Test func keepsModelsInRunOrderAndTasksInCaseOrder() {
        #expect(summary.models.map(\.modelID) == ["frontier-a", "open-b", "local-c"])
        #expect(summary.tasks.map(\.taskID) == ["classify", "extract"])
        #expect(summary.tasks.map(\.caseCount) == [3, 2])
    }

    @Test func summarizesAPricedModelWithoutErrors() throws {
        let frontier = try model("frontier-a")
        #expect(frontier.modelClass == .frontier && frontier.simulated && frontier.priced)
        #expect((frontier.calls, frontier.answered, frontier.errors, frontier.passed) == (5, 5, 0, 3))
        #expect(abs(frontier.quality! - 0.7) < 1e-12)
        #expect(frontier.passRate == 0.6)
        #expect(frontier.totalCostMicros == 7884)
        #expect(frontier.costPerCaseMicros == 1577)  // 1576.8 rounds up
        #expect(frontier.latency?.p50 == 1000)
        #expect(abs(frontier.latency!.p95 - 2640) < 1e-9)
        #expect((frontier.inputTokens, frontier.cachedInputTokens, frontier.outputTokens) == (500, 100, 50))
        #expect(frontier.errorGroups.isEmpty)
    }

    @Test func keepsErrorsApartFromQualityCostAndLatency() throws {
        let open = try model("open-b")
        #expect((open.calls, open.answered, open.errors, open.passed) == (5, 4, 1, 1))
        #expect(abs(open.quality! - (0 + 1 + 0 + 2.0 / 3.0) / 4) < 1e-12)
        #expect(open.passRate == 0.25)
        #expect(open.totalCostMicros == 68)
        #expect(open.costPerCaseMicros == 17)  // over the 4 answered calls, not the 5 made
        #expect(open.latency?.p50 == 330)
        #expect(abs(open.latency!.p95 - 4301) < 1e-9)
        #expect(open.inputTokens == 400)
        #expect(open.errorGroups == [ErrorGroup(errorClass: .rateLimited, count: 1,
                                                exampleMessage: "Too many requests | retry <b>later</b> & again\nsee \"docs\"")])
    }

    @Test func leavesTheCostOfAnUnpricedModelUnknown() throws {
        let local = try model("local-c")
        #expect(!local.priced)
        #expect(local.totalCostMicros == nil)
        #expect(local.costPerCaseMicros == nil)
        #expect(local.quality == 1 && local.passRate == 1)
        #expect(local.latency?.p50 == 4000)
        #expect(summary.totalSpendMicros == 7952)  // 7884 + 68: the priced models only
        #expect(summary.unpricedModels.map(\.modelID) == ["local-c"])
        #expect(summary.simulatedModels.map(\.modelID) == ["frontier-a", "open-b"])
        #expect((summary.callCount, summary.errorCount) == (15, 3))
    }

    @Test func groupsErrorsByClassMostFrequentFirst() {
        let calls = [
            ReportFixture.failure("m", "t", "1", .timeout, "first timeout", status: nil),
            ReportFixture.failure("m", "t", "2", .server, "bad gateway", status: 502),
            ReportFixture.failure("m", "t", "3", .timeout, "second timeout", status: nil),
            ReportFixture.failure("m", "t", "4", .auth, "no key", status: 401),
        ]
        #expect(ErrorGroup.groups(of: calls.map(ReportCall.init)) == [
            ErrorGroup(errorClass: .timeout, count: 2, exampleMessage: "first timeout"),
            ErrorGroup(errorClass: .auth, count: 1, exampleMessage: "no key"),
            ErrorGroup(errorClass: .server, count: 1, exampleMessage: "bad gateway"),
        ])
    }

    @Test func summarizesEachTaskPerModel() throws {
        let classify = try #require(summary.tasks.first)
        let frontier = try #require(classify.perModel["frontier-a"])
        #expect((frontier.calls, frontier.answered, frontier.errors) == (3, 3, 0))
        #expect(abs(frontier.quality! - 2.5 / 3) < 1e-12)
        #expect(abs(frontier.passRate! - 2.0 / 3) < 1e-12)
        let open = try #require(classify.perModel["open-b"])
        #expect((open.answered, open.errors, open.passRate, open.quality) == (2, 1, 0.5, 0.5))
        let extract = try #require(summary.tasks.last)
        let local = try #require(extract.perModel["local-c"])
        #expect((local.answered, local.errors, local.passRate) == (1, 1, 1))
    }

    @Test func aModelWithNoAnswerHasNoMeasures() throws {
        let run = RunRecord(id: 3, suite: "s", suitePath: "s.yaml", suiteHash: "h", catalogPath: "c.yaml",
                            toolVersion: "0.1.0", startedAt: ReportFixture.start, status: .incomplete)
        let models = [ReportFixture.model("down", "x/down", .open, price: ("1", "1"), simulated: false, runID: 3)]
        let cases = [CaseRecord(runId: 3, taskId: "t", caseId: "1", position: 0, variables: [:])]
        let calls = [ReportFixture.failure("down", "t", "1", .connection, "connection refused", status: nil, runID: 3)]
        let down = try #require(RunSummary(run: run, models: models, cases: cases, calls: calls).models.first)
        #expect((down.calls, down.answered, down.errors) == (1, 0, 1))
        #expect(down.quality == nil && down.passRate == nil)
        #expect(down.latency?.p50 == nil && down.latency?.p95 == nil)
        #expect(down.totalCostMicros == 0)  // priced, and nothing was billed
        #expect(down.costPerCaseMicros == nil)
    }

    @Test(arguments: [
        (7884, 5, 1577), (10, 3, 3), (11, 2, 6), (5, 3, 2), (1, 2, 1), (1, 3, 0), (0, 4, 0), (-11, 2, -6),
        (9_000_000_000_000_000_001, 2, 4_500_000_000_000_000_001),
    ] as [(Int64, Int64, Int64)])
    func costPerCaseRoundsHalfUp(total: Int64, answered: Int64, expected: Int64) {
        #expect(CostMath.roundedQuotient(total, answered) == expected)
    }

    @Test func ordersCallsByModelCaseAndRepeat() {
        let calls = [
            ReportFixture.answer("local-c", "classify", "1", "x", score: 1, cost: nil, latency: 1),
            ReportFixture.answer("frontier-a", "extract", "a", "x", score: 1, cost: 1, latency: 1, repeatIndex: 1),
            ReportFixture.answer("frontier-a", "classify", "3", "x", score: 1, cost: 1, latency: 1),
            ReportFixture.answer("frontier-a", "extract", "a", "x", score: 1, cost: 1, latency: 1),
        ]
        let ordered = summary.ordered(calls).map { "\($0.modelId)/\($0.taskId)/\($0.caseId)/\($0.repeatIndex)" }
        #expect(ordered == ["frontier-a/classify/3/0", "frontier-a/extract/a/0", "frontier-a/extract/a/1",
                            "local-c/classify/1/0"])
    }

    @Test func loadsARunFromTheStore() throws {
        try withTemporaryDirectory { directory in
            let store = try ResultStore(path: directory.file("results.sqlite"))
            let suite = Suite(name: "s", description: nil, path: "s.yaml", contentHash: "h", tasks: [
                SuiteTask(id: "t", system: nil, prompt: Template("{{q}}"), settings: .defaults,
                          graders: [GraderSpec(.jsonValid)],
                          cases: [TestCase(id: "1", variables: ["q": "a"]), TestCase(id: "2", variables: ["q": "b"])]),
            ])
            let run = RunRecord(suite: "s", suitePath: "s.yaml", suiteHash: "h", catalogPath: "c.yaml",
                                toolVersion: "0.1.0", startedAt: ReportFixture.start, status: .running)
            let models = [
                ReportFixture.entry("b", "x/b", .open, price: ("0.5", "1.5"), simulated: true),
                ReportFixture.entry("a", "x/a", .frontier, price: nil, simulated: false),
            ]
            let runID = try store.beginRun(run, models: models, suite: suite)
            try store.record([
                ReportFixture.answer("a", "t", "2", "{}", score: 1, cost: nil, latency: 20, runID: runID),
                ReportFixture.answer("b", "t", "1", "{}", score: 1, cost: 9, latency: 10, runID: runID),
                ReportFixture.failure("b", "t", "2", .server, "HTTP 500", status: 500, runID: runID),
            ])
            try store.finishRun(runID, status: .incomplete, at: ReportFixture.start.addingTimeInterval(5))

            let loaded = try RunSummary.load(from: store, runID: runID)
            #expect(loaded.run.status == .incomplete)
            #expect(loaded.models.map(\.modelID) == ["b", "a"])
            #expect(loaded.models.map(\.simulated) == [true, false])
            #expect(loaded.models.map(\.totalCostMicros) == [9, nil])
            #expect(loaded.models.map(\.errors) == [1, 0])
            #expect(loaded.tasks.map(\.caseCount) == [2])
            let direct = RunSummary(run: try #require(try store.run(runID)), models: try store.models(ofRun: runID),
                                    cases: try store.cases(ofRun: runID), calls: try store.calls(ofRun: runID))
            #expect(loaded.models == direct.models)
            #expect(loaded.tasks == direct.tasks)

            #expect(throws: UnknownRunError(path: store.path, runID: runID + 1)) {
                try RunSummary.load(from: store, runID: runID + 1)
            }
            #expect("\(UnknownRunError(path: "r.sqlite", runID: 9))" == "r.sqlite: no run 9")
        }
    }
}
