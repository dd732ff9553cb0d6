import Foundation
import Testing
import TradeoffKit

/// `anthropic-ratelimit-*` headers, with their resets as RFC 3339 timestamps.
struct AnthropicRateLimitTests {
    @Test func requestsAndInputTokensWhenThereIsNoCombinedLimit() throws {
        let now = try #require(ISO8601DateFormatter().date(from: "2026-11-25T10:00:00Z"))
        let headers = try #require(Provider.rateLimits(in: [
            "anthropic-ratelimit-requests-limit": "50", "anthropic-ratelimit-requests-remaining": "0",
            "anthropic-ratelimit-requests-reset": "2026-11-25T10:00:12Z",
            "anthropic-ratelimit-input-tokens-remaining": "4000",
            "anthropic-ratelimit-input-tokens-reset": "2026-11-25T10:00:01.500Z",
        ], for: WireFixture.model(.anthropic), now: now))
        #expect(headers.requests == .init(remaining: 0, resetsIn: 12))
        #expect(headers.tokens == .init(remaining: 4_000, resetsIn: 1.5))
    }

    @Test func combinedTokenLimitWinsAndPastResetsAreNow() throws {
        let now = try #require(ISO8601DateFormatter().date(from: "2026-11-25T10:00:00Z"))
        let headers = try #require(Provider.rateLimits(in: [
            "anthropic-ratelimit-tokens-remaining": "90000", "anthropic-ratelimit-tokens-reset": "2026-11-25T09:59:00Z",
            "anthropic-ratelimit-input-tokens-remaining": "4000",
        ], for: WireFixture.model(.anthropic), now: now))
        #expect(headers.requests == nil)
        #expect(headers.tokens == .init(remaining: 90_000, resetsIn: 0))
    }

    @Test func openAIsHeadersAreNotAnthropics() {
        #expect(Provider.rateLimits(in: ["x-ratelimit-remaining-requests": "3", "x-ratelimit-reset-requests": "1s"],
                                    for: WireFixture.model(.anthropic)) == nil)
    }
}
