import Foundation
import Testing
@testable import TradeoffKit

/// The report's price list shows every part of a price the run's calls were billed at, so a
/// reader can check each cost (it showed input and output alone).
struct PriceListTests {
    private static func d(_ text: String) -> Decimal { Decimal(string: text)! }

    /// Cache reads, both kinds of cache writes, a long-context tier and a per-request fee, used;
    /// batch prices, not used (no call went through a batch), not shown.
    @Test func everyPartOfATokenPriceTheCallsUsedIsShown() {
        let price = Price(inputPerMillion: 3, outputPerMillion: 15, cachedInputPerMillion: Self.d("0.3"),
                          cacheWritePerMillion: Self.d("3.75"), perRequest: Self.d("0.001"),
                          tiers: [PriceTier(aboveInputTokens: 200_000, inputPerMillion: 6, outputPerMillion: Self.d("22.5"),
                                            cachedInputPerMillion: Self.d("0.6"))],
                          batch: BatchPrice(inputPerMillion: Self.d("1.5")))
        let parts = PricedParts(cacheReadTokens: 10, cacheWrite5mTokens: 5, cacheWrite1hTokens: 100_000,
                                tierCalls: [200_000: 2])
        #expect(RunSection.tokenPrices(price, parts: parts) == "input $3.00, output $15.00 per M tokens; cache reads $0.30; "
                + "5-minute cache writes $3.75; 1-hour cache writes at 2 × input ($6.00); above 200,000 tokens (2 calls): "
                + "input $6.00, output $22.50, cache reads $0.60, 5-minute cache writes $3.75, 1-hour cache writes at 2 × "
                + "input ($12.00); $0.001 per request")
        // Parts no call used are left out; defaults say what they fall back to.
        #expect(RunSection.tokenPrices(Price(inputPerMillion: 1, outputPerMillion: 2), parts: PricedParts())
                == "input $1.00, output $2.00 per M tokens")
        #expect(RunSection.tokenPrices(Price(inputPerMillion: 1, outputPerMillion: 2), parts: PricedParts(cacheReadTokens: 1))
                == "input $1.00, output $2.00 per M tokens; cache reads at the input price")
    }

    /// The hourly price and what turns it into a cost per call: the throughput, where it came
    /// from, at which concurrency, and the cost of a unit of work.
    @Test func anHourlyPriceShowsReplicasUtilizationAndTheThroughputItWasCostedAt() {
        let measured = HourlyPricing.Basis(source: .measured,
                                           throughput: Throughput(perSecond: Self.d("1850.5"), unit: .outputTokens,
                                                                  concurrency: Self.d("7.8")),
                                           calls: 40, busySeconds: Self.d("12.5"))
        #expect(RunSection.hourlyPrice(HourlyPrice(perHour: Self.d("4.10"), replicas: 2, utilization: Self.d("0.6")),
                                       basis: measured)
                == "$4.10 per replica-hour × 2 replicas at 0.6 utilization: $13.666667 per hour; costed at 1,850.5 "
                + "output tokens/s at concurrency 7.8, measured in this run over 40 answered calls in 12.5 s of serving "
                + "(retry waits, failed attempts, queueing and idle time excluded; at another concurrency the deployment "
                + "serves another throughput): $2.051498 per M output tokens")
        let stated = HourlyPricing.Basis(source: .stated, throughput: Throughput(perSecond: 2, unit: .calls, concurrency: 16))
        #expect(RunSection.hourlyPrice(HourlyPrice(perHour: 2), basis: stated)
                == "$2.00 per replica-hour × 1 replica at full utilization (1): $2.00 per hour; costed at 2 calls/s at "
                + "concurrency 16, stated for production: $0.000278 per answered call")
        #expect(RunSection.hourlyPrice(HourlyPrice(perHour: 2), basis: nil).hasSuffix(
            "no throughput to cost calls at: the price states none and no call of the run was answered to measure it, "
                + "so its calls' costs are unknown (replayed answers keep what they cost when made)"))
        // A run costed before throughputs were recorded, or not costed yet, says so, rather than
        // that nothing was measured.
        #expect(RunSection.hourlyPrice(HourlyPrice(perHour: 2), basis: nil, madeAnswers: 3).hasSuffix(
            "no throughput was recorded with the run: it was costed by an older tradeoff (from its serving time), or "
                + "not yet (it is running, or stopped before its end); `tradeoff report --reprice` costs it at the "
                + "throughput measured over its answers"))
    }

    /// The parts come from the calls: their cache reads and writes, and the tier their prompt fell in.
    @Test func thePartsUsedAreCountedFromTheCalls() {
        var entry = ReportFixture.entry("claude", "x/claude", .frontier, price: ("3", "15"), simulated: false)
        entry.price?.tiers = [PriceTier(aboveInputTokens: 1_000, inputPerMillion: 6)]
        let run = RunRecord(id: 5, suite: "s", suitePath: "s.yaml", suiteHash: "h", catalogPath: "m.yaml",
                            toolVersion: "0.1.0", startedAt: ReportFixture.start, status: .completed)
        let cases = (1...3).map { CaseRecord(runId: 5, taskId: "t", caseId: "\($0)", position: $0, variables: [:]) }
        let calls = (1...3).map { index in
            var call = ReportFixture.answer("claude", "t", "\(index)", "ok", score: 1, cost: 10, latency: 5, runID: 5)
            call.inputTokens = index == 3 ? 5_000 : 100
            (call.cacheWriteTokens, call.cacheWrite1hTokens) = index == 1 ? (30, 20) : (0, 0)
            return call
        }
        let summary = RunSummary(run: run, models: [RunModelRecord(runId: 5, entry: entry)], cases: cases, calls: calls)
        #expect(summary.models[0].pricedParts == PricedParts(cacheReadTokens: 60, cacheWrite5mTokens: 10,
                                                             cacheWrite1hTokens: 20, tierCalls: [1_000: 1]))
        let markdown = MarkdownReport(summary).render()
        #expect(markdown.contains("claude: input $3.00, output $15.00 per M tokens; cache reads at the input price; "
                                  + "5-minute cache writes at the input price; 1-hour cache writes at 2 × input ($6.00); "
                                  + "above 1,000 tokens (1 call): input $6.00, output $15.00, cache reads at the input "
                                  + "price, 5-minute cache writes at the input price, 1-hour cache writes at 2 × input "
                                  + "($12.00) (undated)"), "\(markdown)")
    }
}
