import Foundation

/// The price of a self-hosted deployment (vLLM, Ollama, a dedicated endpoint) by the hour:
/// `price: {per_hour_usd: 4.10, replicas: 1}`.
///
/// A call costs its share of an hour of the deployment at its production throughput: the
/// `throughput` stated here, or else the one measured in the run. See `HourlyPricing` for the
/// formula and what it assumes.
public struct HourlyPrice: Sendable, Hashable, Codable {
    /// USD per hour of one replica (the GPU rent, or its amortized cost).
    public var perHour: Decimal
    /// Replicas serving the model; the deployment costs `perHour × replicas` an hour.
    public var replicas: Int
    /// The share of its hours the deployment spends serving in production, in (0, 1]; nil means 1
    /// (kept as busy as during the run). At 0.5 each call costs twice as much.
    public var utilization: Decimal?
    /// The deployment's throughput in production (`throughput: {output_tokens_per_second: 2400,
    /// concurrency: 32}`); nil to use the throughput measured in the run.
    public var throughput: Throughput?
    /// The price catalog entry the price came from; nil when written inline.
    public var id: String?
    /// The day the price was last known to be right.
    public var asOf: CalendarDay?
    /// Where the price came from.
    public var source: String?

    /// Creates an hourly price.
    public init(perHour: Decimal, replicas: Int = 1, utilization: Decimal? = nil, throughput: Throughput? = nil,
                id: String? = nil, asOf: CalendarDay? = nil, source: String? = nil) {
        self.perHour = perHour
        self.replicas = replicas
        self.utilization = utilization
        self.throughput = throughput
        self.id = id
        self.asOf = asOf
        self.source = source
    }

    /// USD per hour of the whole deployment, divided by its utilization.
    public var effectivePerHour: Decimal {
        let total = perHour * Decimal(replicas)
        guard let utilization, utilization > 0 else { return total }
        return total / utilization
    }
}
