import Foundation

/// What a response's rate-limit headers say is left of the account's limits, and when each
/// part resets. Each wire format reads its own headers into this (`Provider.rateLimits(in:for:)`).
public struct RateLimitHeaders: Sendable, Hashable {
    /// A quantity left until a moment.
    public struct Allowance: Sendable, Hashable {
        public var remaining: Int
        /// Seconds from when the response was read until the allowance is refilled.
        public var resetsIn: Double

        public init(remaining: Int, resetsIn: Double) {
            self.remaining = remaining
            self.resetsIn = resetsIn
        }
    }

    public var requests: Allowance?
    public var tokens: Allowance?

    public init(requests: Allowance? = nil, tokens: Allowance? = nil) {
        self.requests = requests
        self.tokens = tokens
    }

    /// A count header's value (`...-remaining`), nil when absent or not a whole number.
    static func count(_ text: String?) -> Int? {
        text.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }
}
