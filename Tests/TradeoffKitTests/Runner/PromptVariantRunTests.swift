import FakeProvider
import Foundation
import GRDB
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

/// Prompt variants end to end against the fake provider over HTTP: every (model, case, variant)
/// asked once in its own words, recorded with its variant, reported as arms, and resumed
/// without asking a recorded variant again.
struct PromptVariantRunTests {
    /// One task in two wordings: `compute` is a question the fake answers, `ask` one it does not.
    static let suite: Suite = {
        var task = SuiteTask(id: "sum", system: nil, prompt: nil, settings: TaskSettings(temperature: 0, maxTokens: 16),
                             graders: [GraderSpec(.exact(expected: Template("{{sum}}"), normalize: [.trim]))],
                             cases: [TestCase(id: "c1", variables: ["a": "2", "b": "3", "sum": "5"]),
                                     TestCase(id: "c2", variables: ["a": "4", "b": "4", "sum": "8"])])
        task.prompts = [PromptVariant(id: "compute", prompt: Template("Compute: {{a}} + {{b}}")),
                        PromptVariant(id: "ask", prompt: Template("What is {{a}} plus {{b}}?"))]
        return Suite(name: "wordings", description: nil, path: "wordings.yaml", contentHash: "h", tasks: [task],
                     reference: "a · compute")
    }()

    private func run(_ plan: RunPlan, store: ResultStore, resuming: Resumption? = nil) throws -> Int64 {
        let client = try HTTPClient()
        defer { client.shutdown() }
        let runner = try Runner(plan: plan, store: store, client: client, environment: ["TRADEOFF_TEST_KEY": "test-key"],
                                cache: .write, resuming: resuming)
        let context = plan.suite.context(reference: plan.suite.reference, margin: 0.05, gates: [], volume: nil,
                                         models: plan.models.map(\.id))
        return try runner.run(catalogPath: "models.yaml", context: context).runID
    }

    private func withModels(_ body: (FakeProviderServer, [ModelEntry], ResultStore) throws -> Void) throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(models: [.init(name: "sim/a", latencyMs: 1), .init(name: "sim/b", latencyMs: 1)]) { server in
                let store = try ResultStore(path: directory.file("r.sqlite"))
                try body(server, [fakeModelEntry(id: "a", served: "sim/a", server: server),
                                  fakeModelEntry(id: "b", served: "sim/b", server: server)], store)
            }
        }
    }

    @Test func everyVariantIsAskedOnceOnEveryModelInItsOwnWords() throws {
        try withModels { server, models, store in
            let plan = RunPlan(suite: Self.suite, models: models)
            #expect(plan.summary == "2 cases × 2 prompt variants × 2 models = 8 calls")
            // The requests differ by variant in the prompt alone.
            let item = plan.items[0], other = plan.items[1]
            #expect(plan.variant(of: item) == "compute" && plan.variant(of: other) == "ask")
            #expect(plan.chatRequest(for: item).messages == [ChatMessage(role: .user, content: "Compute: 2 + 3")])
            #expect(plan.chatRequest(for: other).messages == [ChatMessage(role: .user, content: "What is 2 plus 3?")])

            let runID = try run(plan, store: store)
            let calls = try store.calls(ofRun: runID)
            #expect(calls.count == 8)
            let keys = calls.map { "\($0.modelId)/\($0.caseId)/\($0.promptVariant ?? "-")" }
            #expect(Set(keys) == Set(["a", "b"].flatMap { m in ["c1", "c2"].flatMap { c in ["compute", "ask"].map { "\(m)/\(c)/\($0)" } } }))
            #expect(server.requestCount(model: "sim/a") == 4 && server.requestCount(model: "sim/b") == 4)
            for call in calls {
                // The fake answers the `compute` wording and not the other: each call was asked in its own.
                if call.promptVariant == "compute" {
                    #expect(call.passed == true)
                } else {
                    #expect(call.output == "I'm not sure.")
                    #expect(call.passed == false)
                }
            }
            // The cache key differs by variant, because the request does.
            let hashes = Dictionary(grouping: calls) { "\($0.modelId)/\($0.caseId)" }.mapValues { Set($0.compactMap(\.requestHash)) }
            #expect(hashes.values.allSatisfy { $0.count == 2 })
        }
    }

    @Test func theReportComparesEachModelInEachWordingAsAnArm() throws {
        try withModels { _, models, store in
            let runID = try run(RunPlan(suite: Self.suite, models: models), store: store)
            let (summary, calls) = try RunSummary.loadWithCalls(from: store, runID: runID,
                                                                settings: AnalysisSettings(reference: "a · compute"))
            #expect(summary.models.map(\.modelID) == ["a · compute", "a · ask", "b · compute", "b · ask"])
            #expect(summary.models.map(\.quality) == [1, 0, 1, 0])
            #expect(summary.referenceID == "a · compute")
            #expect(summary.comparisons.map(\.modelID) == ["a · ask", "b · compute", "b · ask"])
            let view = try #require(summary.promptVariants)
            #expect(view.rows.map(\.modelID) == ["a", "b"])
            #expect(view.rows.map(\.best) == ["compute", "compute"])
            #expect(view.rows.first?.margin?.difference == 1)
            #expect(view.bestOn.map(\.variant) == ["compute"] && view.bestOn.first?.models == ["a", "b"])

            let markdown = MarkdownReport(summary).render()
            #expect(markdown.contains("## Prompt variants"))
            #expect(markdown.contains("| a | 1.000"))
            let json = JSONReport(summary).render()
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            let variants = try #require(object["prompt_variants"] as? [String: Any])
            #expect(variants["variants"] as? [String] == ["compute", "ask"])
            let firstModel = try #require((object["models"] as? [[String: Any]])?.first)
            #expect(firstModel["model_id"] as? String == "a" && firstModel["prompt_variant"] as? String == "compute")
            var csv = Data()
            try CSVReport(summary).writeCalls(from: calls) { csv.append(contentsOf: $0) }
            let lines = String(decoding: csv, as: UTF8.self).components(separatedBy: "\r\n")
            #expect(lines[0] == (CSVReport.callColumns + ["prompt_variant"]).joined(separator: ","))
            #expect(lines[1].hasPrefix("2,\(runID),a,sum,c1,") && lines[1].hasSuffix(",compute"))
        }
    }

    @Test func aResumedRunAsksOnlyTheVariantsNotRecorded() throws {
        try withModels { server, models, store in
            let plan = RunPlan(suite: Self.suite, models: models)
            let runID = try run(plan, store: store)
            // As if the run had stopped before model a was asked in the `ask` wording.
            try store.pool.write { db in
                try db.execute(sql: "DELETE FROM calls WHERE model_id = 'a' AND prompt_variant = 'ask'")
                try db.execute(sql: "UPDATE runs SET status = 'interrupted' WHERE id = ?", arguments: [runID])
            }
            let resumption = try Resumption.find("latest", for: plan, in: store, retryingErrors: false)
            #expect(resumption.recorded.count == 6)
            #expect(try run(plan, store: store, resuming: resumption) == runID)
            #expect(server.requestCount(model: "sim/a") == 6, "only the two missing calls are made")
            #expect(server.requestCount(model: "sim/b") == 4)
            let calls = try store.calls(ofRun: runID)
            #expect(calls.count == 8)
            #expect(Set(calls.map { "\($0.modelId)/\($0.caseId)/\($0.promptVariant ?? "-")" }).count == 8)
            #expect(calls.filter { $0.modelId == "a" && $0.promptVariant == "ask" }.allSatisfy { $0.output == "I'm not sure." })
        }
    }

    @Test func aShardKeepsEveryVariantOfEachOfItsCases() {
        let models = [ModelEntry(id: "m", baseURL: "http://127.0.0.1:1/v1", model: "m", modelClass: .open, price: nil,
                                 apiKeyEnv: nil)]
        var covered: [String] = []
        for index in 1...2 {
            let plan = RunPlan(suite: Self.suite, models: models, shard: Shard(index: index, count: 2))
            let cases = Set(plan.items.map { plan.suite.tasks[$0.taskIndex].cases[$0.caseIndex].id })
            #expect(plan.items.count == cases.count * 2)
            for item in plan.items {
                covered.append("\(plan.suite.tasks[item.taskIndex].cases[item.caseIndex].id)/\(plan.variant(of: item) ?? "-")")
            }
        }
        #expect(covered.sorted() == ["c1/ask", "c1/compute", "c2/ask", "c2/compute"])
    }

    @Test func aGateNamesAnArm() throws {
        let gate = try Gate(parsing: "quality(a · compute) >= 0.9")
        #expect(gate.modelID == "a · compute")
        #expect(gate.problem(modelIDs: ["a · compute", "a · ask"]) == nil)
    }
}
