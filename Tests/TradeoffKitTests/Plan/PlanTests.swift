import Foundation
import Testing
import TradeoffKit
import TradeoffTestSupport

struct ShardTests {
    @Test(arguments: 1...7)
    func shardsPartitionTheCasesExactlyOnce(count: Int) {
        let ids = (1...500).map { ("task\($0 % 3)", "case-\($0)") }
        var seen: [String: Int] = [:]
        for index in 1...count {
            let shard = Shard(index: index, count: count)
            for (task, id) in ids where shard.contains(taskID: task, caseID: id) { seen["\(task)/\(id)", default: 0] += 1 }
        }
        #expect(seen.count == ids.count)
        #expect(seen.values.allSatisfy { $0 == 1 })
    }

    @Test func slicesAreRoughlyEvenAndStable() {
        let shard = Shard(index: 2, count: 4)
        let members = (1...4_000).filter { shard.contains(taskID: "t", caseID: "\($0)") }.count
        #expect(members > 800 && members < 1_200)
        // A case's slice depends on its ids alone.
        #expect(Shard(index: 1, count: 3).contains(taskID: "triage", caseID: "T-1001")
                == Shard(index: 1, count: 3).contains(taskID: "triage", caseID: "T-1001"))
    }

    @Test(arguments: ["0/3", "4/3", "1/0", "a/b", "1", "1/2/3", "", "-1/2"])
    func badShardTextIsRejected(_ text: String) {
        #expect(Shard(text) == nil)
    }

    @Test func planKeepsOnlyTheShardsCases() {
        let cases = (1...30).map { TestCase(id: "\($0)", variables: [:]) }
        let task = SuiteTask(id: "t", system: nil, prompt: Template("q"), settings: .defaults, graders: [], cases: cases)
        let suite = Suite(name: "s", description: nil, path: "s.yaml", contentHash: "h", tasks: [task])
        let slices = (1...3).map { RunPlan(suite: suite, models: [], shard: Shard(index: $0, count: 3)) }
        #expect(slices.map(\.items.count).reduce(0, +) == 30)
        #expect(Set(slices.flatMap { $0.suite.tasks[0].cases.map(\.id) }).count == 30)
    }
}

struct RunEstimateTests {
    private let suite: Suite = {
        let task = SuiteTask(id: "t", system: Template("Be brief."), prompt: Template("Question {{n}}: what is 2 + 2?"),
                             settings: TaskSettings(temperature: 0, maxTokens: 100, threshold: 1), graders: [],
                             cases: (1...10).map { TestCase(id: "\($0)", variables: ["n": "\($0)"]) })
        return Suite(name: "s", description: nil, path: "s.yaml", contentHash: "h", tasks: [task])
    }()

    private func model(_ id: String, price: Price?) -> ModelEntry {
        ModelEntry(id: id, baseURL: "http://h/v1", model: id, modelClass: .open, price: price, apiKeyEnv: nil)
    }

    @Test func outputIsMaxTokensUntilObservedAndCostFollowsThePrice() {
        let price = Price(inputPerMillion: 1, outputPerMillion: 2)
        let plan = RunPlan(suite: suite, models: [model("a", price: price), model("b", price: nil)])
        let estimate = RunEstimate(plan, observedOutput: ["b": ["t": 3.2]])
        let a = estimate.models[0], b = estimate.models[1]
        // "Be brief." = 3 tokens + 3; "Question N: what is 2 + 2?" (27 or 28 chars) = 7 + 3.
        #expect(a.inputTokens == 10 * 16)
        #expect(a.outputTokens == 1_000 && a.outputSource == .maxTokens)
        #expect(a.costMicros == Int64(160 * 1 + 1_000 * 2))
        #expect(b.outputTokens == 40 && b.outputSource == .observed)
        #expect(b.costMicros == nil)
        #expect(estimate.totalCostMicros == 2_160)
    }

    @Test func judgesAreEstimatedPerAnswer() throws {
        let judge = model("judge", price: Price(inputPerMillion: 10, outputPerMillion: 20))
        var judged = suite
        judged.tasks[0].graders = [GraderSpec(.judge(JudgeSpec(judges: [JudgeSpec.Judge(id: "judge", entry: judge)],
                                                              rubric: Template("Is it 4?"), scale: .passFail)))]
        let plan = RunPlan(suite: judged, models: [model("a", price: nil), model("b", price: nil)])
        let estimate = RunEstimate(plan)
        let row = try #require(estimate.judges.first)
        // One judge call per answer: 10 cases × 2 candidates.
        #expect(estimate.judges.count == 1 && row.modelID == "judge" && row.calls == 20)
        let maxTokens = try #require(judged.tasks[0].graders[0].judge).maxTokens
        #expect(row.outputTokens == 20 * maxTokens && row.outputSource == .maxTokens)
        // The judge reads its prompt and each candidate's answer (at max_tokens: 100 each).
        #expect(row.inputTokens > 20 * 100)
        #expect(estimate.totalCostMicros == row.costMicros)
        let observed = RunEstimate(plan, observedJudgeOutput: ["judge": 12.5])
        #expect(observed.judges.first?.outputTokens == 20 * 13 && observed.judges.first?.outputSource == .observed)
    }

    @Test func observedOutputComesFromAnsweredCallsInTheStore() throws {
        try withTemporaryDirectory { directory in
            let store = try ResultStore(path: directory.file("r.sqlite"))
            let runID = try store.beginRun(RunRecord(suite: "s", suitePath: "s.yaml", suiteHash: "h", catalogPath: "m.yaml",
                                                     toolVersion: "t", startedAt: Date(), status: .running),
                                           models: [model("a", price: nil)], suite: suite)
            var calls: [CallRecord] = []
            for (index, tokens) in [4, 6, nil].enumerated() {
                var call = CallRecord(runId: runID, modelId: "a", taskId: "t", caseId: "\(index + 1)", startedAt: Date(),
                                      finishedAt: Date())
                if let tokens {
                    call.output = "x"
                    call.outputTokens = tokens
                } else {
                    call.errorClass = .timeout
                }
                calls.append(call)
            }
            try store.record(calls)
            #expect(try store.observedOutputTokens() == ["a": ["t": 5]])
        }
    }
}

/// `plan` costs a model priced by the hour at the throughput its price states, else at the one
/// measured in its latest earlier run (it called every such model unpriced).
struct HourlyPlanTests {
    private let suite: Suite = {
        let task = SuiteTask(id: "t", system: nil, prompt: Template("Question {{n}}"),
                             settings: TaskSettings(temperature: 0, maxTokens: 100, threshold: 1), graders: [],
                             cases: (1...10).map { TestCase(id: "\($0)", variables: ["n": "\($0)"]) })
        return Suite(name: "s", description: nil, path: "s.yaml", contentHash: "h", tasks: [task])
    }()

    private func model(_ id: String, throughput: Throughput? = nil) -> ModelEntry {
        ModelEntry(id: id, baseURL: "http://h/v1", model: id, modelClass: .open, price: nil,
                   hourlyPrice: HourlyPrice(perHour: Decimal(string: "3.60")!, throughput: throughput), apiKeyEnv: nil)
    }

    @Test func anHourlyPricedModelIsCostedAtItsStatedOrObservedThroughput() throws {
        try withTemporaryDirectory { directory in
            let store = try ResultStore(path: directory.file("r.sqlite"))
            let runID = try store.beginRun(RunRecord(suite: "s", suitePath: "s.yaml", suiteHash: "h", catalogPath: "m.yaml",
                                                     toolVersion: "t", startedAt: Date(), status: .running),
                                           models: [model("observed")], suite: suite)
            // Two answers of 50 tokens, one after the other, 1 s each: 50 tokens/s at concurrency 1. A
            // failed call is left out.
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            let calls = (1...3).map { index in
                var call = CallRecord(runId: runID, modelId: "observed", taskId: "t", caseId: "\(index)",
                                      startedAt: start.addingTimeInterval(Double(index - 1)),
                                      finishedAt: start.addingTimeInterval(Double(index)))
                call.latencyMs = 1_000
                if index < 3 {
                    (call.output, call.inputTokens, call.outputTokens) = ("x", 5, 50)
                } else {
                    call.errorClass = .timeout
                }
                return call
            }
            try store.record(calls)

            let models = [model("stated", throughput: Throughput(perSecond: 1_000, unit: .outputTokens)),
                          model("observed"), model("unseen")]
            let plan = RunPlan(suite: suite, models: models)
            let observed = try store.observedThroughput(of: ["observed", "unseen"])
            #expect(observed.keys.sorted() == ["observed"] && observed["observed"]?.runID == runID)
            let estimate = RunEstimate(plan, observedOutput: try store.observedOutputTokens(), observedThroughput: observed)
            // $3.60 an hour: 1 micro-dollar a token at 1,000 tokens/s, 20 at 50 tokens/s.
            #expect(estimate.models.map(\.outputTokens) == [1_000, 500, 1_000])
            #expect(estimate.models.map(\.costMicros) == [1_000, 10_000, nil])
            #expect(estimate.models.map { $0.hourlyBasis?.source } == [.stated, .measured, nil])
            #expect(estimate.totalCostMicros == 11_000)
            #expect(estimate.hourlyNotes(plan) == [
                "stated: $3.60 per hour × 1 replica, costed at 1,000 output tokens/s, stated for production",
                "observed: $3.60 per hour × 1 replica, costed at 50 output tokens/s at concurrency 1, measured in run \(runID)",
                "unseen: $3.60 per hour × 1 replica, unpriced: its price states no throughput and no earlier run in the "
                    + "database measured one (add 'throughput: {output_tokens_per_second: N}' to its price, or run it once)",
            ])
        }
    }
}
