import Foundation
import Testing
@testable import TradeoffKit

/// Self-hosted models priced by the hour: the run's serving time, shared by the calls.
struct HourlyPricingTests {
    private let start = Date(timeIntervalSince1970: 1_800_000_000)

    private func call(_ from: Double, _ to: Double, busy: Double? = nil) -> HourlyPricing.Call {
        HourlyPricing.Call(startedAt: start.addingTimeInterval(from), finishedAt: start.addingTimeInterval(to), busyMs: busy)
    }

    @Test func theServingTimeIsPaidAndSharedByHowLongEachCallHeldIt() {
        // $3.60 an hour is $0.001 a second. Two overlapping calls cover 0–3 s; a third 10–11 s.
        let price = HourlyPrice(perHour: Decimal(string: "3.60")!)
        let allocation = HourlyPricing.allocate(price, calls: [call(0, 2, busy: 2_000), call(1, 3, busy: 2_000),
                                                               call(10, 11, busy: 1_000)])
        #expect(allocation.servingMs == 4_000)
        #expect(allocation.totalMicros == 4_000)
        #expect(allocation.callMicros == [1_600, 1_600, 800])
    }

    @Test func replicasAndUtilizationScaleTheCost() {
        let calls = [call(0, 1, busy: 1_000)]
        let base = HourlyPricing.allocate(HourlyPrice(perHour: Decimal(string: "3.60")!), calls: calls)
        let two = HourlyPricing.allocate(HourlyPrice(perHour: Decimal(string: "3.60")!, replicas: 2), calls: calls)
        let half = HourlyPricing.allocate(HourlyPrice(perHour: Decimal(string: "3.60")!, utilization: Decimal(string: "0.5")!),
                                          calls: calls)
        #expect((base.totalMicros, two.totalMicros, half.totalMicros) == (1_000, 2_000, 2_000))
    }

    @Test func sharesAddUpExactlyAndFallBackToWallTime() {
        // $4.10 an hour for 7 ms is 7.972... micro-dollars, rounded to 8, split 3 ways by largest remainder.
        let price = HourlyPrice(perHour: Decimal(string: "4.10")!)
        let allocation = HourlyPricing.allocate(price, calls: [call(0, 0.007), call(0, 0.007), call(0, 0.007)])
        #expect(allocation.totalMicros == 8)
        #expect(allocation.callMicros == [3, 3, 2])
        #expect(allocation.callMicros.reduce(0, +) == allocation.totalMicros)
        #expect(HourlyPricing.allocate(price, calls: []).callMicros.isEmpty)
        // Calls that held nothing share equally.
        #expect(HourlyPricing.allocate(price, calls: [call(0, 0, busy: 0), call(0, 0, busy: 0)]).callMicros == [0, 0])
    }

    @Test func splitIsProportionalByLargestRemainder() {
        #expect(HourlyPricing.split(10, by: [1, 1, 1]) == [4, 3, 3])
        #expect(HourlyPricing.split(100, by: [1, 3]) == [25, 75])
        #expect(HourlyPricing.split(1, by: [1, 2]) == [0, 1])
    }
}
