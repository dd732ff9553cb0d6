import Foundation
import Testing
@testable import TradeoffKit

/// Self-hosted models priced by the hour: a call costs its share of an hour of the deployment
/// at its production throughput, stated or measured, whatever the run's retry waits and pauses.
struct HourlyPricingTests {
    private static func d(_ text: String) -> Decimal { Decimal(string: text)! }
    private let start = Date(timeIntervalSince1970: 1_800_000_000)

    /// An answered call ending `to` seconds in, whose answering attempt took `seconds`.
    private func answer(_ to: Double, seconds: Double, tokens: Int) -> HourlyPricing.Call {
        HourlyPricing.Call(finishedAt: start.addingTimeInterval(to), latencyMs: seconds * 1000, answered: true,
                           outputTokens: tokens)
    }

    @Test(arguments: [
        // $3.60 an hour is 3,600,000 micro-dollars; at 1,000 tokens/s an hour serves 3,600,000 tokens.
        ("3.60", 1, nil, Throughput(perSecond: 1_000, unit: .outputTokens), 100, 100),
        ("3.60", 2, nil, Throughput(perSecond: 1_000, unit: .outputTokens), 100, 200),
        ("3.60", 1, "0.5", Throughput(perSecond: 1_000, unit: .outputTokens), 100, 200),
        // 0.5 calls/s is 1,800 calls an hour: 2,000 micro-dollars each, whatever its tokens.
        ("3.60", 1, nil, Throughput(perSecond: d("0.5"), unit: .calls), 7, 2_000),
        // $4.10 / (2,400 × 3,600) = 0.4745370... micro-dollars a token; × 512 = 242.96.
        ("4.10", 1, nil, Throughput(perSecond: 2_400, unit: .outputTokens, concurrency: 32), 512, 243),
    ] as [(String, Int, String?, Throughput, Int, Int64)])
    func aCallCostsItsShareOfAnHourAtTheThroughput(perHour: String, replicas: Int, utilization: String?,
                                                   throughput: Throughput, tokens: Int, micros: Int64) {
        let price = HourlyPrice(perHour: Self.d(perHour), replicas: replicas, utilization: utilization.map(Self.d))
        #expect(HourlyPricing.costMicros(of: answer(1, seconds: 1, tokens: tokens), price, at: throughput) == micros)
    }

    @Test func failedAttemptsTokensAreBilledAndAFailedCallCostsNothingPerAnswer() {
        let price = HourlyPrice(perHour: Self.d("3.60"))
        let tokens = Throughput(perSecond: 1_000, unit: .outputTokens), calls = Throughput(perSecond: 1, unit: .calls)
        let retried = HourlyPricing.Call(finishedAt: start, latencyMs: 10, answered: true, outputTokens: 40,
                                         billedOutputTokens: 90)
        let failed = HourlyPricing.Call(finishedAt: start, latencyMs: 10, answered: false, outputTokens: 0,
                                        billedOutputTokens: 0, billed: false)
        #expect(HourlyPricing.costMicros(of: retried, price, at: tokens) == 90)
        #expect(HourlyPricing.costMicros(of: failed, price, at: tokens) == nil)
        #expect(HourlyPricing.costMicros(of: failed, price, at: calls) == nil)
        #expect(HourlyPricing.costMicros(of: retried, price, at: calls) == 1_000)
    }

    /// Only the answering attempts' transfers count: two overlap over 0–3 s, a third runs 10–11 s,
    /// the wait between them and a failed call are left out.
    @Test func theMeasuredThroughputCountsTheTimeAnswersWereInFlight() throws {
        let failed = HourlyPricing.Call(finishedAt: start.addingTimeInterval(10), latencyMs: 7_000, answered: false,
                                        outputTokens: 0)
        let basis = try #require(HourlyPricing.measure([answer(2, seconds: 2, tokens: 200), answer(3, seconds: 2, tokens: 100),
                                                        failed, answer(11, seconds: 1, tokens: 100)]))
        #expect(basis.source == .measured && basis.calls == 3 && basis.busySeconds == 4)
        // 400 tokens in 4 s; 5 call-seconds in 4 s of serving is 1.25 calls in flight.
        #expect(basis.throughput == Throughput(perSecond: 100, unit: .outputTokens, concurrency: Self.d("1.25")))
        // Answers without tokens are counted as calls.
        #expect(HourlyPricing.measure([answer(1, seconds: 1, tokens: 0), answer(1, seconds: 1, tokens: 0)])?.throughput
                == Throughput(perSecond: 2, unit: .calls, concurrency: 2))
        #expect(HourlyPricing.measure([failed]) == nil)
        // Measured figures keep six significant digits: 200 tokens in 3 s.
        #expect(HourlyPricing.measure([answer(3, seconds: 3, tokens: 200)])?.throughput.perSecond == Self.d("66.6667"))
    }

    /// The same calls at concurrency 1 and at concurrency 8: a stated throughput prices them the
    /// same; a measured one is what the run sustained, and says at which concurrency.
    @Test func aStatedThroughputDoesNotDependOnHowTheRunLoadedTheServer() throws {
        let sequential = (1...8).map { answer(Double($0), seconds: 1, tokens: 100) }
        let parallel = (1...8).map { _ in answer(1, seconds: 1, tokens: 100) }
        let stated = HourlyPrice(perHour: Self.d("3.60"), throughput: Throughput(perSecond: 500, unit: .outputTokens))
        func costs(_ price: HourlyPrice, _ calls: [HourlyPricing.Call]) throws -> [Int64?] {
            let basis = try #require(HourlyPricing.basis(for: price, calls: calls))
            return calls.map { HourlyPricing.costMicros(of: $0, price, at: basis.throughput) }
        }
        #expect(try costs(stated, sequential) == Array(repeating: 200, count: 8))
        #expect(try costs(stated, parallel) == Array(repeating: 200, count: 8))
        #expect(HourlyPricing.basis(for: stated, calls: parallel)?.source == .stated)

        let measured = HourlyPrice(perHour: Self.d("3.60"))
        #expect(HourlyPricing.basis(for: measured, calls: sequential)?.throughput
                == Throughput(perSecond: 100, unit: .outputTokens, concurrency: 1))
        #expect(HourlyPricing.basis(for: measured, calls: parallel)?.throughput
                == Throughput(perSecond: 800, unit: .outputTokens, concurrency: 8))
        #expect(try costs(measured, sequential) == Array(repeating: 1_000, count: 8))
        #expect(try costs(measured, parallel) == Array(repeating: 125, count: 8))
    }
}
