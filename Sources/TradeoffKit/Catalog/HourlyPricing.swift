import Foundation

/// Costs the calls of a model priced by the hour (a deployment you run) from its throughput in
/// production, so a call's cost does not depend on how the harness happened to load the server.
///
/// The formula, per call:
///
///     cost per unit = per_hour_usd × replicas / utilization / (throughput × 3600)
///     cost of call  = cost per unit × its units
///
/// where the throughput counts output tokens per second (a call's units are the output tokens
/// it was billed for, failed attempts' included) or answered calls per second (an answer is one
/// unit; a failed call, none). The throughput is of the whole deployment, at the concurrency it
/// serves in production, and comes from one of two sources (`Basis.Source`):
/// - stated: the price's `throughput`, what the deployment sustains in production;
/// - measured: what it sustained in the run, over the model's answered calls only. The time
///   counted is the union of the answering attempts' transfers (`[finished − latency, finished]`):
///   retry waits, failed attempts, time queued in the harness and idle gaps are not in it, so a
///   backoff pause or a slow start changes nothing. The run's concurrency (the mean number of
///   calls in flight in that time) is part of the figure: a server batching 16 calls serves
///   more per second than one serving 1, so a run at low concurrency prices it dearer.
///
/// `utilization` (default 1) is the share of the paid hours the deployment does useful work in
/// production; at 0.5 every call costs twice as much.
public enum HourlyPricing {
    /// What a model's calls were costed at: the throughput, where it came from, and what it was
    /// measured over.
    public struct Basis: Sendable, Hashable {
        /// Where a throughput came from.
        public enum Source: String, Sendable, Hashable, CaseIterable {
            /// The price's `throughput`, stated for production.
            case stated
            /// Measured in a run.
            case measured
        }

        /// Stated in the price, or measured.
        public var source: Source
        /// The deployment's throughput the calls are costed at.
        public var throughput: Throughput
        /// For a measured throughput: the answered calls and the seconds at least one was in flight.
        public var calls: Int?
        public var busySeconds: Decimal?
        /// For a measured throughput read from an earlier run (by `plan`): that run.
        public var runID: Int64?

        /// Creates a basis.
        public init(source: Source, throughput: Throughput, calls: Int? = nil, busySeconds: Decimal? = nil,
                    runID: Int64? = nil) {
            self.source = source
            self.throughput = throughput
            self.calls = calls
            self.busySeconds = busySeconds
            self.runID = runID
        }
    }

    /// One call, as hourly pricing needs it.
    public struct Call: Sendable, Hashable {
        /// When the call ended.
        public var finishedAt: Date
        /// The answering attempt's transfer time, milliseconds; nil when unknown.
        public var latencyMs: Double?
        /// Whether the call was answered.
        public var answered: Bool
        /// Output tokens of the answer.
        public var outputTokens: Int
        /// Output tokens of every billed attempt, the answer's included.
        public var billedOutputTokens: Int
        /// Whether any attempt reported or was estimated a usage.
        public var billed: Bool

        /// Creates a call.
        public init(finishedAt: Date, latencyMs: Double?, answered: Bool, outputTokens: Int,
                    billedOutputTokens: Int? = nil, billed: Bool = true) {
            self.finishedAt = finishedAt
            self.latencyMs = latencyMs
            self.answered = answered
            self.outputTokens = outputTokens
            self.billedOutputTokens = billedOutputTokens ?? outputTokens
            self.billed = billed
        }
    }

    /// The throughput `price` states, or else the one measured over `calls`; nil when it states
    /// none and no answered call can be measured.
    public static func basis(for price: HourlyPrice, calls: [Call]) -> Basis? {
        if let stated = price.throughput { return Basis(source: .stated, throughput: stated) }
        return measure(calls)
    }

    /// The throughput the deployment sustained over the answered `calls` (see the type's
    /// documentation): output tokens per second when the answers have tokens, else calls per
    /// second; nil when no answered call has a duration.
    public static func measure(_ calls: [Call]) -> Basis? {
        // Each answer with the seconds its answering attempt was in flight.
        let answered: [(call: Call, seconds: Double)] = calls.compactMap { call in
            guard call.answered, let ms = call.latencyMs, ms.isFinite, ms > 0 else { return nil }
            return (call, ms / 1000)
        }
        guard !answered.isEmpty else { return nil }
        let busy = union(answered.map { ($0.call.finishedAt.addingTimeInterval(-$0.seconds), $0.call.finishedAt) })
        guard busy > 0 else { return nil }
        let tokens = answered.reduce(0) { $0 + $1.call.outputTokens }
        let unit: Throughput.Unit = tokens > 0 ? .outputTokens : .calls
        let perSecond = significant(Double(tokens > 0 ? tokens : answered.count) / busy, digits: 6)
        let inFlight = answered.reduce(0) { $0 + $1.seconds } / busy
        return Basis(source: .measured,
                     throughput: Throughput(perSecond: perSecond, unit: unit, concurrency: significant(inFlight, digits: 3)),
                     calls: answered.count, busySeconds: significant(busy, digits: 6))
    }

    /// Micro-dollars per unit of `throughput` at `price`.
    public static func microsPerUnit(_ price: HourlyPrice, at throughput: Throughput) -> Decimal {
        guard throughput.perSecond > 0 else { return 0 }
        // USD/hour × 1e6 micro-dollars/USD ÷ (units/s × 3600 s/hour)
        return price.effectivePerHour * 1_000_000 / (throughput.perSecond * 3600)
    }

    /// What `call` costs at `price` and `throughput`, micro-dollars; nil when nothing was billed
    /// (no usage in any attempt, or a failed call priced per answer).
    public static func costMicros(of call: Call, _ price: HourlyPrice, at throughput: Throughput) -> Int64? {
        let units: Int
        switch throughput.unit {
        case .outputTokens:
            guard call.billed else { return nil }
            units = call.billedOutputTokens
        case .calls:
            guard call.answered else { return nil }
            units = 1
        }
        return Price.roundedMicros(microsPerUnit(price, at: throughput) * Decimal(units))
    }

    /// Seconds covered by at least one interval.
    static func union(_ intervals: [(Date, Date)]) -> Double {
        let sorted = intervals.map { ($0.0, max($0.0, $0.1)) }.sorted { $0.0 < $1.0 }
        guard var current = sorted.first else { return 0 }
        var covered: TimeInterval = 0
        for interval in sorted.dropFirst() {
            if interval.0 <= current.1 {
                current.1 = max(current.1, interval.1)
            } else {
                covered += current.1.timeIntervalSince(current.0)
                current = interval
            }
        }
        return covered + current.1.timeIntervalSince(current.0)
    }

    /// `value` as a decimal rounded to `digits` significant digits, so a measured figure is
    /// shown and stored as the exact number the costs were computed with.
    static func significant(_ value: Double, digits: Int) -> Decimal {
        guard value.isFinite, value > 0 else { return 0 }
        let decimals = max(0, digits - 1 - Int(log10(value).rounded(.down)))
        guard var decimal = Decimal(string: String(format: "%.\(decimals)f", value)) else { return 0 }
        NSDecimalCompact(&decimal)  // 100, not 100.000
        return decimal
    }
}
