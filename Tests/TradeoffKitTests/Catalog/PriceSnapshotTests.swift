import Foundation
import GRDB
import Testing
import TradeoffTestSupport
@testable import TradeoffKit

/// Every run keeps the prices it used; hourly prices are costed after the run; a stored run can
/// be costed again at today's prices without changing it.
struct PriceSnapshotTests {
    private let d = PriceFixtures.decimal
    private let suite = Suite(name: "s", description: nil, path: "s.yaml", contentHash: "hash", tasks: [
        SuiteTask(id: "t", system: nil, prompt: Template("{{q}}"), settings: .defaults,
                  graders: [GraderSpec(.jsonValid)],
                  cases: [TestCase(id: "1", variables: ["q": "a"]), TestCase(id: "2", variables: ["q": "b"])]),
    ])

    private var tiered: Price {
        Price(inputPerMillion: 3, outputPerMillion: 15, cachedInputPerMillion: d("0.3"), cacheWritePerMillion: d("3.75"),
              cacheWrite1hPerMillion: 6, perRequest: d("0.001"),
              tiers: [PriceTier(aboveInputTokens: 200_000, inputPerMillion: 6, outputPerMillion: d("22.5"),
                                cacheWrite1hPerMillion: 12)],
              batch: BatchPrice(inputPerMillion: d("1.5")), id: "anthropic/claude-sonnet-4-5", asOf: PriceFixtures.day,
              source: "LiteLLM model_prices_and_context_window.json: claude-sonnet-4-5")
    }

    private func models() -> [ModelEntry] {
        [ModelEntry(id: "api", baseURL: "http://h/v1", model: "m", modelClass: .frontier, price: tiered, apiKeyEnv: nil),
         ModelEntry(id: "gpu", baseURL: "http://h/v1", model: "m", modelClass: .open, price: nil,
                    hourlyPrice: HourlyPrice(perHour: d("3.60"), replicas: 1, utilization: d("0.5"), source: "rent"),
                    apiKeyEnv: nil),
         ModelEntry(id: "free", baseURL: "http://h/v1", model: "m", modelClass: .open, price: nil, apiKeyEnv: nil,
                    location: SourceLocation(file: "suites/models.yaml", line: 12, column: 5))]
    }

    private func call(_ runID: Int64, _ model: String, _ caseID: String, input: Int, output: Int, seconds: Double) -> CallRecord {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var call = CallRecord(runId: runID, modelId: model, taskId: "t", caseId: caseID, startedAt: start,
                              finishedAt: start.addingTimeInterval(seconds))
        call.output = "{}"
        call.inputTokens = input
        call.cachedInputTokens = 0
        call.outputTokens = output
        call.usageSource = .reported
        call.latencyMs = seconds * 1000
        return call
    }

    private func record(in store: ResultStore) throws -> Int64 {
        let run = RunRecord(suite: "s", suitePath: "s.yaml", suiteHash: "hash", catalogPath: "m.yaml",
                            toolVersion: "0.1.0", startedAt: Date(timeIntervalSince1970: 1_800_000_000), status: .running)
        let runID = try store.beginRun(run, models: models(), suite: suite)
        var calls: [CallRecord] = []
        for (model, entry) in zip(["api", "gpu", "free"], models()) {
            for caseID in ["1", "2"] {
                var call = self.call(runID, model, caseID, input: caseID == "1" ? 1_000 : 300_000, output: 100,
                                     seconds: caseID == "1" ? 1 : 3)
                if let price = entry.price { call.setComputedCost(price.costMicros(of: call.billedUsages[0])) }
                calls.append(call)
            }
        }
        try store.record(calls)
        return runID
    }

    @Test func theSnapshotKeepsEveryPriceFieldAndGivesThePriceBack() throws {
        try withTemporaryDirectory { directory in
            let store = try ResultStore(path: directory.file("r.sqlite"))
            let runID = try record(in: store)
            let stored = try store.models(ofRun: runID)
            #expect(stored.map(\.isPriced) == [true, true, false])
            #expect(stored[0].pricing == .tokens(tiered))
            #expect(stored[0].priceTiers == #"[{"above":200000,"cache_write_1h":"12","input":"6","output":"22.5"}]"#)
            #expect(stored[0].priceAsOf == "2026-11-25" && stored[0].priceId == "anthropic/claude-sonnet-4-5")
            #expect(stored[0].priceProvenance == "anthropic/claude-sonnet-4-5, as of 2026-11-25, source: LiteLLM "
                    + "model_prices_and_context_window.json: claude-sonnet-4-5")
            #expect(stored[1].pricing == .hourly(HourlyPrice(perHour: d("3.60"), replicas: 1, utilization: d("0.5"),
                                                             source: "rent")))
            #expect(stored[1].pricePerHour == "3.6" && stored[1].priceInput == nil)
            #expect(stored[2].pricing == nil && stored[2].priceSource == nil && stored[2].priceProvenance == "unpriced")
            // The columns are there for SQL too.
            let row = try DatabaseQueue(path: directory.file("r.sqlite")).read { db in
                try Row.fetchOne(db, sql: "SELECT price_input, price_cache_write, price_per_request, price_batch_input, "
                                 + "price_batch_output, price_source FROM run_models WHERE model_id = 'api'")
            }
            let columns = try #require(row)
            let values: [String?] = ["price_input", "price_cache_write", "price_per_request", "price_batch_input",
                                     "price_batch_output"].map { columns[$0] }
            #expect(values == ["3", "3.75", "0.001", "1.5", nil])
        }
    }

    @Test func anInlinePriceNamesItsCatalogLineAsSource() {
        var entry = models()[2]
        entry.price = Price(inputPerMillion: 1, outputPerMillion: 2)
        let record = RunModelRecord(runId: 1, entry: entry)
        #expect(record.priceSource == "suites/models.yaml:12" && record.priceAsOf == nil)
        #expect(record.priceProvenance == "undated, source: suites/models.yaml:12")
    }

    @Test func hourlyPricedCallsAreCostedAfterTheRun() throws {
        try withTemporaryDirectory { directory in
            let store = try ResultStore(path: directory.file("r.sqlite"))
            let runID = try record(in: store)
            // gpu: answers of 100 tokens over 0–1 s and 0–3 s: 200 tokens in 3 s of serving, 66.6667
            // tokens/s; at $3.60/h ÷ 0.5 utilization, 2,000 micro-dollars a second, so 30 a token.
            #expect(try store.applyHourlyPricing(runID: runID) == 6_000)
            let calls = try store.calls(ofRun: runID).filter { $0.modelId == "gpu" }
            #expect(calls.map(\.costMicros) == [3_000, 3_000])
            let basis = try #require(try store.models(ofRun: runID)[1].hourlyBasis)
            #expect(basis == HourlyPricing.Basis(source: .measured,
                                                 throughput: Throughput(perSecond: d("66.6667"), unit: .outputTokens,
                                                                        concurrency: d("1.33")),
                                                 calls: 2, busySeconds: 3))
            // Costing again gives the same.
            #expect(try store.applyHourlyPricing(runID: runID) == 6_000)
            #expect(calls.allSatisfy { $0.costSource == .computed && $0.computedCostMicros == $0.costMicros })
            // Unpriced stays unknown, never $0.
            #expect(try store.calls(ofRun: runID).filter { $0.modelId == "free" }.allSatisfy { $0.costMicros == nil })
        }
    }

    /// The same answers, with the second after a 120-second retry wait, or after ten idle
    /// minutes: the same cost. (Costed from the run's serving span, the wait made it 61 times dearer.)
    @Test func aRetryWaitOrAnIdleGapDoesNotChangeTheCost() throws {
        try withTemporaryDirectory { directory in
            var costs: [[Int64?]] = []
            for (name, started, finished, backoff) in [("calm", 1.0, 2.0, 0.0), ("backoff", 1, 122, 120), ("idle", 601, 602, 0)] {
                let store = try ResultStore(path: directory.file("\(name).sqlite"))
                let run = RunRecord(suite: "s", suitePath: "s.yaml", suiteHash: "hash", catalogPath: "m.yaml",
                                    toolVersion: "0.1.0", startedAt: Date(timeIntervalSince1970: 1_800_000_000),
                                    status: .running)
                let runID = try store.beginRun(run, models: [models()[1]], suite: suite)
                let first = call(runID, "gpu", "1", input: 10, output: 100, seconds: 1)
                var second = call(runID, "gpu", "2", input: 10, output: 100, seconds: 1)
                second.startedAt = first.startedAt.addingTimeInterval(started)
                second.finishedAt = first.startedAt.addingTimeInterval(finished)
                (second.attempts, second.backoffMs) = (backoff > 0 ? 2 : 1, backoff * 1000)
                try store.record([first, second])
                try store.applyHourlyPricing(runID: runID)
                costs.append(try store.calls(ofRun: runID).map(\.costMicros))
            }
            // 200 tokens in 2 s of serving at $7.20 an hour: 20 micro-dollars a token.
            #expect(costs == Array(repeating: [2_000, 2_000], count: 3))
        }
    }

    /// Each shard measures the throughput of its own answers; the merged run is costed again at
    /// the throughput over all of them (here served at once), so its costs agree with the basis
    /// its report shows (it kept the first shard's basis and each shard's costs).
    @Test func aMergedRunIsCostedAtTheThroughputOfEveryShard() throws {
        try withTemporaryDirectory { directory in
            var paths: [String] = []
            for caseID in ["1", "2"] {
                var slice = suite
                slice.tasks[0].cases.keep(where: { $0.id == caseID })
                let store = try ResultStore(path: directory.file("shard\(caseID).sqlite"))
                let run = RunRecord(suite: "s", suitePath: "s.yaml", suiteHash: "hash", catalogPath: "m.yaml",
                                    toolVersion: "0.1.0", startedAt: Date(timeIntervalSince1970: 1_800_000_000),
                                    status: .running)
                let runID = try store.beginRun(run, models: [models()[1]], suite: slice)
                try store.record([call(runID, "gpu", caseID, input: 10, output: 100, seconds: 1)])
                // Alone: 100 tokens/s at $7.20 an hour, 20 micro-dollars a token.
                #expect(try store.applyHourlyPricing(runID: runID) == 2_000)
                try store.finishRun(runID, status: .completed)
                try store.close()
                paths.append(directory.file("shard\(caseID).sqlite"))
            }
            let merged = try ResultStore.merge(paths, into: directory.file("all.sqlite"))
            let store = try ResultStore(path: directory.file("all.sqlite"))
            // Together: 200 tokens in the same second, 2 calls in flight; 10 micro-dollars a token.
            #expect(try store.calls(ofRun: merged.runID).map(\.costMicros) == [1_000, 1_000])
            let basis = try #require(try store.models(ofRun: merged.runID).first?.hourlyBasis)
            #expect(basis.calls == 2 && basis.throughput == Throughput(perSecond: 200, unit: .outputTokens, concurrency: 2))
        }
    }

    @Test func aStatedThroughputIsKeptWithThePrice() {
        var entry = models()[1]
        entry.hourlyPrice?.throughput = Throughput(perSecond: 2_400, unit: .outputTokens, concurrency: 32)
        let record = RunModelRecord(runId: 1, entry: entry)
        #expect(record.priceThroughput == #"{"concurrency":"32","output_tokens_per_second":"2400","source":"stated"}"#)
        #expect(record.pricing == entry.pricing)
        #expect(record.hourlyBasis?.source == .stated)
    }

    @Test func repricingCostsACopyAtTodaysPricesAndLeavesTheRunAlone() throws {
        try withTemporaryDirectory { directory in
            let store = try ResultStore(path: directory.file("r.sqlite"))
            let runID = try record(in: store)
            try store.applyHourlyPricing(runID: runID)
            let before = try store.calls(ofRun: runID)
            // Call 1: 1,000 in, 100 out at the base price; call 2: 300,000 in, above the tier.
            #expect(before.filter { $0.modelId == "api" }.map(\.costMicros) == [5_500, 1_803_250])

            // Same prices: same costs.
            let same = Catalog(path: "m.yaml", models: models())
            try store.withRepricedCopy(ofRun: runID, catalog: same) { copy, repricing throws in
                #expect(try copy.calls(ofRun: runID).map(\.costMicros) == before.map(\.costMicros))
                #expect(repricing.changes.map(\.after) == repricing.changes.map(\.before))
            }

            // Today: the API model is cheaper, the GPU dearer, and the unpriced model has a price.
            var today = models()
            today[0].price = Price(inputPerMillion: 1, outputPerMillion: 5, asOf: CalendarDay("2026-12-01"), source: "new")
            today[1].hourlyPrice = HourlyPrice(perHour: d("7.20"), source: "new rent")
            today[2].price = Price(inputPerMillion: 1, outputPerMillion: 1)
            var copyPath = ""
            let changes = try store.withRepricedCopy(ofRun: runID, catalog: Catalog(path: "m.yaml", models: today)) {
                copy, repricing in
                copyPath = copy.path
                let calls = try copy.calls(ofRun: runID)
                #expect(calls.filter { $0.modelId == "api" }.map(\.costMicros) == [1_500, 300_500])
                #expect(calls.filter { $0.modelId == "gpu" }.map(\.costMicros) == [3_000, 3_000])
                #expect(calls.filter { $0.modelId == "free" }.map(\.costMicros) == [1_100, 300_100])
                #expect(try copy.models(ofRun: runID)[0].priceSource == "new")
                return repricing.changes
            }
            #expect(changes.map(\.before) == [1_808_750, 6_000, nil])
            #expect(changes.map(\.after) == [302_000, 6_000, 301_200])
            #expect(changes[0].pricesAfter == "as of 2026-12-01, source: new")

            // The stored run is untouched, and the copy is gone.
            #expect(try store.calls(ofRun: runID).map(\.costMicros) == before.map(\.costMicros))
            #expect(try store.models(ofRun: runID)[0].pricing == .tokens(tiered))
            // Only this copy: other tests may be repricing in the same temporary folder right now.
            #expect(!copyPath.isEmpty)
            for suffix in ["", "-wal", "-shm"] { #expect(!FileManager.default.fileExists(atPath: copyPath + suffix)) }
        }
    }

    /// Failed attempts that reported usage were billed: their tokens are stored with the call, so
    /// repricing at unchanged prices gives the run's own costs (it dropped them: $0.286381 became
    /// $0.285156).
    @Test func failedAttemptsAreStoredAndRepricedAsTheyWereBilled() throws {
        try withTemporaryDirectory { directory in
            let store = try ResultStore(path: directory.file("r.sqlite"))
            let runID = try record(in: store)
            // Two attempts cut after reporting usage (one above the tier), then the answer; and a
            // call whose every attempt failed, the last without usage.
            let cut = Usage(uncachedInputTokens: 1_001, cacheReadTokens: 1, outputTokens: 7, source: .reported)
            let long = Usage(uncachedInputTokens: 200_001, cacheWriteTokens: 10, cacheWrite1hTokens: 4, outputTokens: 1,
                             source: .reported)
            let answer = Usage(uncachedInputTokens: 1_001, cacheReadTokens: 1, outputTokens: 33, source: .reported)
            var retried = call(runID, "api", "1", input: 0, output: 0, seconds: 1)
            retried.repeatIndex = 1
            retried.settleCost(usage: answer, billedUsage: [cut, long], lastAttemptFailed: false, price: tiered)
            var failed = call(runID, "api", "2", input: 0, output: 0, seconds: 1)
            (failed.repeatIndex, failed.output, failed.errorClass) = (1, nil, .cutStream)
            (failed.inputTokens, failed.cachedInputTokens, failed.outputTokens, failed.usageSource) = (nil, nil, nil, nil)
            failed.settleCost(usage: nil, billedUsage: [cut], lastAttemptFailed: true, price: tiered)
            let paid = [cut, long, answer].reduce(Int64(0)) { $0 + tiered.costMicros(of: $1) }
            #expect(retried.costMicros == paid)
            #expect(failed.costMicros == tiered.costMicros(of: cut))
            try store.record([retried, failed])
            try store.applyHourlyPricing(runID: runID)

            let stored = try store.calls(ofRun: runID).filter { $0.repeatIndex == 1 }
            #expect(stored.map(\.costMicros) == [paid, tiered.costMicros(of: cut)])
            #expect(stored[0].failedAttemptsUsage == """
                [{"cache_write_1h_tokens":0,"cache_write_tokens":0,"cached_input_tokens":1,"input_tokens":1002,\
                "output_tokens":7,"reasoning_tokens":0,"usage_source":"reported"},\
                {"cache_write_1h_tokens":4,"cache_write_tokens":10,"cached_input_tokens":0,"input_tokens":200011,\
                "output_tokens":1,"reasoning_tokens":0,"usage_source":"reported"}]
                """)
            #expect(stored[0].inputTokens == 1_002 && stored[0].outputTokens == 33)
            #expect(stored[1].inputTokens == nil && stored[1].failedAttemptsUsage != nil)

            let before = try store.calls(ofRun: runID)
            try store.withRepricedCopy(ofRun: runID, catalog: Catalog(path: "m.yaml", models: models())) { copy, repricing throws in
                #expect(try copy.calls(ofRun: runID).map(\.costMicros) == before.map(\.costMicros))
                #expect(repricing.changes.map(\.after) == repricing.changes.map(\.before))
            }
        }
    }

    @Test func aModelMissingFromTodaysCatalogKeepsItsRecordedPrices() throws {
        try withTemporaryDirectory { directory in
            let store = try ResultStore(path: directory.file("r.sqlite"))
            let runID = try record(in: store)
            let catalog = Catalog(path: "m.yaml", models: [models()[2]])
            try store.withRepricedCopy(ofRun: runID, catalog: catalog) { copy, repricing throws in
                #expect(repricing.changes.map(\.missingFromCatalog) == [true, true, false])
                #expect(try copy.calls(ofRun: runID).filter { $0.modelId == "api" }.map(\.costMicros) == [5_500, 1_803_250])
            }
            #expect(throws: UnknownRunError.self) {
                try store.withRepricedCopy(ofRun: 99, catalog: catalog) { _, _ in }
            }
        }
    }
}
