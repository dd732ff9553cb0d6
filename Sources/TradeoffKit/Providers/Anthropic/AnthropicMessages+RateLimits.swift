import Foundation

extension AnthropicMessages {
    /// `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-remaining`, with
    /// `-reset` as RFC 3339 timestamps.
    func rateLimits(in headers: [String: String], now: Date) -> RateLimitHeaders? {
        func allowance(_ part: String) -> RateLimitHeaders.Allowance? {
            guard let remaining = RateLimitHeaders.count(headers["anthropic-ratelimit-\(part)-remaining"]) else { return nil }
            let reset = headers["anthropic-ratelimit-\(part)-reset"].flatMap(Self.date(rfc3339:))
            return RateLimitHeaders.Allowance(remaining: remaining, resetsIn: max(0, reset?.timeIntervalSince(now) ?? 0))
        }
        // The combined limit when there is one, else the input-token limit (what a prompt uses up).
        let found = RateLimitHeaders(requests: allowance("requests"), tokens: allowance("tokens") ?? allowance("input-tokens"))
        return found.requests == nil && found.tokens == nil ? nil : found
    }

    private static func date(rfc3339 text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: trimmed) { return date }
        formatter.formatOptions.insert(.withFractionalSeconds)
        return formatter.date(from: trimmed)
    }
}
