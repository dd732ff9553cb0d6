import Foundation

/// How much a deployment serves per second at a given number of calls in flight: output tokens
/// per second, or calls per second. Of the whole deployment (all its replicas together).
///
/// Stated in a catalog as the production throughput of an hourly price
/// (`throughput: {output_tokens_per_second: 2400, concurrency: 32}`), or measured from a run
/// (`HourlyPricing.measure`).
public struct Throughput: Sendable, Hashable, Codable {
    /// What is counted per second.
    public enum Unit: String, Sendable, Hashable, Codable, CaseIterable {
        /// Output tokens (reasoning included): a call costs in proportion to the tokens it generates.
        case outputTokens = "output_tokens_per_second"
        /// Answered calls: every answer costs the same.
        case calls = "calls_per_second"

        /// `output tokens/s` or `calls/s`.
        public var label: String { self == .outputTokens ? "output tokens/s" : "calls/s" }
    }

    /// Units per second, greater than 0.
    public var perSecond: Decimal
    /// What `perSecond` counts.
    public var unit: Unit
    /// The calls in flight at which the throughput holds; nil when not said.
    public var concurrency: Decimal?

    /// Creates a throughput.
    public init(perSecond: Decimal, unit: Unit, concurrency: Decimal? = nil) {
        self.perSecond = perSecond
        self.unit = unit
        self.concurrency = concurrency
    }
}
