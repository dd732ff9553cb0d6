import Foundation

/// What a response's rate-limit headers say is left of the account's limits, and when each
/// part resets.
///
/// - OpenAI, Groq, Azure and OpenAI-compatible gateways: `x-ratelimit-remaining-requests`,
///   `x-ratelimit-remaining-tokens`, with `x-ratelimit-reset-requests` / `-tokens` as durations
///   (`6m0s`, `12ms`, `1s`).
/// - Anthropic: `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-remaining`,
///   with `-reset` as RFC 3339 timestamps.
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

    /// Reads the headers (names lowercased); nil when there are none.
    ///
    /// - Parameter now: when the response was read, to turn Anthropic's reset timestamps into waits.
    public init?(_ headers: [String: String], now: Date = Date()) {
        var found = RateLimitHeaders()
        if let remaining = Self.integer(headers["x-ratelimit-remaining-requests"]) {
            let reset = headers["x-ratelimit-reset-requests"].flatMap(ErrorResponse.seconds(fromDuration:)) ?? 0
            found.requests = Allowance(remaining: remaining, resetsIn: reset)
        }
        if let remaining = Self.integer(headers["x-ratelimit-remaining-tokens"]) {
            let reset = headers["x-ratelimit-reset-tokens"].flatMap(ErrorResponse.seconds(fromDuration:)) ?? 0
            found.tokens = Allowance(remaining: remaining, resetsIn: reset)
        }
        func anthropic(_ part: String) -> Allowance? {
            guard let remaining = Self.integer(headers["anthropic-ratelimit-\(part)-remaining"]) else { return nil }
            let reset = headers["anthropic-ratelimit-\(part)-reset"].flatMap(Self.date(rfc3339:))
            return Allowance(remaining: remaining, resetsIn: max(0, reset?.timeIntervalSince(now) ?? 0))
        }
        found.requests = found.requests ?? anthropic("requests")
        // The combined limit when there is one, else the input-token limit (what a prompt uses up).
        found.tokens = found.tokens ?? anthropic("tokens") ?? anthropic("input-tokens")
        guard found.requests != nil || found.tokens != nil else { return nil }
        self = found
    }

    private static func integer(_ text: String?) -> Int? {
        text.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }

    private static func date(rfc3339 text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: trimmed) { return date }
        formatter.formatOptions.insert(.withFractionalSeconds)
        return formatter.date(from: trimmed)
    }
}
