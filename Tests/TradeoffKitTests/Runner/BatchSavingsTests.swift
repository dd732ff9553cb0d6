import FakeProvider
import Foundation
import GRDB
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

/// The report says what batch mode saved: the batched calls' cost beside what their stored usage
/// costs at the ordinary prices, exact to the micro-dollar, in Markdown, HTML and JSON.
struct BatchSavingsTests: BatchRunScenario {
    let apiKey = "sk-batch"

    /// A price whose batch half is not whole micro-dollars per token, so each call rounds.
    var price: Price { Price(inputPerMillion: Decimal(string: "2.5")!, outputPerMillion: 10) }

    func entry(on server: FakeProviderServer) -> ModelEntry {
        fakeModelEntry(id: "a", served: "sim/a", server: server, price: price)
    }

    @Test func theReportSaysWhatTheSameCallsCostAtOrdinaryPrices() throws {
        try withTemporaryDirectory { directory in
            try withServer { server in
                let store = try ResultStore(path: directory.file("r.sqlite"))
                let outcome = try run(RunPlan(suite: suite(), models: [model(server, batch: true)]), in: store)
                #expect(outcome.status == .completed && outcome.batched == 12)
                // From the stored tokens: 2.5 and 10 micro-dollars a token, or half in a batch,
                // each call rounded half up to a whole micro-dollar.
                let tokens = try DatabaseQueue(path: directory.file("r.sqlite")).read { db in
                    try Row.fetchAll(db, sql: "SELECT input_tokens, output_tokens FROM calls WHERE batched = 1")
                        .map { (Int64($0[0] as Int), Int64($0[1] as Int)) }
                }
                #expect(tokens.count == 12)
                let ordinary = tokens.reduce(Int64(0)) { $0 + ($1.0 * 5 + $1.1 * 20 + 1) / 2 }
                let batch = tokens.reduce(Int64(0)) { $0 + ($1.0 * 5 + $1.1 * 20 + 2) / 4 }
                #expect(batch == outcome.costMicros && ordinary > batch)

                let summary = try RunSummary.load(from: store, runID: outcome.runID)
                let sentence = "Batch saved \(Money.exact(micros: ordinary - batch)): \(Money.exact(micros: batch)) at batch "
                    + "prices vs \(Money.exact(micros: ordinary)) ordinary"
                #expect(MarkdownReport(summary).render().contains(sentence), "\(sentence)")
                let calls = try store.reportCalls(ofRun: outcome.runID)
                #expect(HTMLReport(summary, cases: summary.drillDown(calls: calls), callsFile: "r.calls.csv").render()
                    .contains(sentence))
                let json = try #require(try JSONSerialization.jsonObject(with: Data(JSONReport(summary).render().utf8))
                    as? [String: Any])
                let models = try #require(json["models"] as? [[String: Any]])
                let entry = try #require(models.first?["batch"] as? [String: Any])
                #expect(entry["cost_at_batch_prices_micros"] as? Int == Int(batch))
                #expect(entry["cost_at_ordinary_prices_micros"] as? Int == Int(ordinary))
                #expect(entry["saved_micros"] as? Int == Int(ordinary - batch))
            }
        }
    }

    @Test(arguments: [(Int64(0), "$0.00"), (5, "$0.000005"), (1_500_000, "$1.50"), (1_234_500_012, "$1,234.500012"),
                      (-120, "-$0.00012")])
    func exactMoneyShowsEveryMicroDollar(micros: Int64, text: String) {
        #expect(Money.exact(micros: micros) == text)
    }
}
