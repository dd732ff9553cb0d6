import Foundation

/// Costs the calls of a model priced by the hour (a deployment you run), from the time the
/// deployment spent serving the run.
///
/// The formula, per model:
///
///     serving hours  = length of the union of the calls' [started, finished] intervals / 3600
///     run cost       = per_hour_usd × replicas × serving hours / utilization
///     cost of call i = run cost × busy_i / Σ busy          (busy_i = call i's latency)
///
/// So the deployment is paid for the time at least one call was in flight, and that cost is
/// shared by the calls in proportion to how long each held it; calls that overlap share the
/// hardware. Assumptions:
/// - The deployment served only this run while it ran; idle time before, between and after the
///   calls is not charged (you would not pay for it in production if you kept it busy).
/// - The run's concurrency is what the deployment sustains in production. With too few calls
///   in flight it is under-used and each call looks dearer than it would at full load.
/// - `utilization` (default 1, full utilization) is the share of paid hours the deployment
///   does useful work in production; at 0.5 every call costs twice as much. Measure it from
///   your serving metrics.
/// - Failed calls held the deployment too and carry their share (a timeout is expensive).
///
/// Amounts are split in integer micro-dollars by largest remainder, so the calls' costs add
/// up exactly to the rounded run cost.
public enum HourlyPricing {
    /// One call's timing.
    public struct Call: Sendable, Hashable {
        /// When the call started (its first attempt).
        public var startedAt: Date
        /// When it ended.
        public var finishedAt: Date
        /// How long it held the deployment, in milliseconds (the successful attempt); nil to use
        /// `finishedAt − startedAt`.
        public var busyMs: Double?

        /// Creates a call timing.
        public init(startedAt: Date, finishedAt: Date, busyMs: Double? = nil) {
            self.startedAt = startedAt
            self.finishedAt = finishedAt
            self.busyMs = busyMs
        }
    }

    /// What a run of an hourly-priced model cost.
    public struct Allocation: Sendable, Hashable {
        /// Milliseconds during which at least one call was in flight.
        public var servingMs: Int64
        /// The cost of those milliseconds, in micro-dollars.
        public var totalMicros: Int64
        /// Each call's share, in the order the calls were given; they add up to `totalMicros`.
        public var callMicros: [Int64]
    }

    /// Shares the cost of serving `calls` at `price` among them.
    public static func allocate(_ price: HourlyPrice, calls: [Call]) -> Allocation {
        guard !calls.isEmpty else { return Allocation(servingMs: 0, totalMicros: 0, callMicros: []) }
        let servingMs = unionMs(calls)
        // USD/hour × ms / 3.6e6 ms/hour × 1e6 micro-dollars/USD = USD/hour × ms / 3.6
        let total = Price.roundedMicros(price.effectivePerHour * Decimal(servingMs) / Decimal(string: "3.6")!)
        var weights = calls.map { call -> Int64 in
            let ms = call.busyMs ?? call.finishedAt.timeIntervalSince(call.startedAt) * 1000
            return ms.isFinite ? max(0, Int64((ms * 1000).rounded())) : 0  // microseconds
        }
        if weights.allSatisfy({ $0 == 0 }) { weights = Array(repeating: 1, count: calls.count) }
        return Allocation(servingMs: servingMs, totalMicros: total, callMicros: split(total, by: weights))
    }

    /// `total` split in proportion to `weights` (not all zero), by largest remainder.
    static func split(_ total: Int64, by weights: [Int64]) -> [Int64] {
        let sum = Decimal(weights.reduce(0, +))
        var shares: [Int64] = []
        var remainders: [(index: Int, remainder: Decimal)] = []
        for (index, weight) in weights.enumerated() {
            let exact = Decimal(total) * Decimal(weight) / sum
            let floor = exact.rounded(.down)
            shares.append(floor.int64Value)
            remainders.append((index, exact - floor))
        }
        var left = total - shares.reduce(0, +)
        for (index, _) in remainders.sorted(by: { $0.remainder != $1.remainder ? $0.remainder > $1.remainder : $0.index < $1.index })
        where left > 0 {
            shares[index] += 1
            left -= 1
        }
        return shares
    }

    /// Milliseconds covered by at least one call, rounded to whole milliseconds.
    static func unionMs(_ calls: [Call]) -> Int64 {
        let intervals = calls.map { ($0.startedAt, max($0.startedAt, $0.finishedAt)) }.sorted { $0.0 < $1.0 }
        var covered: TimeInterval = 0
        var current = intervals[0]
        for interval in intervals.dropFirst() {
            if interval.0 <= current.1 {
                current.1 = max(current.1, interval.1)
            } else {
                covered += current.1.timeIntervalSince(current.0)
                current = interval
            }
        }
        covered += current.1.timeIntervalSince(current.0)
        return Int64((covered * 1000).rounded())
    }
}
