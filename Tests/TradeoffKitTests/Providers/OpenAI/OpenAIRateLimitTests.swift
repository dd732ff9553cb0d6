import Foundation
import Testing
@testable import TradeoffKit

/// `x-ratelimit-*` headers, with their resets as Go durations.
struct OpenAIRateLimitTests {
    @Test(arguments: [ProviderKind.openAI, .azureOpenAI, .openAICompatible])
    func remainingAndResetsAreRead(provider: ProviderKind) throws {
        let headers = try #require(Provider.rateLimits(in: [
            "x-ratelimit-limit-requests": "500", "x-ratelimit-remaining-requests": "499",
            "x-ratelimit-reset-requests": "120ms", "x-ratelimit-limit-tokens": "30000",
            "x-ratelimit-remaining-tokens": "29000", "x-ratelimit-reset-tokens": "6m0s",
        ], for: WireFixture.model(provider)))
        #expect(headers.requests == .init(remaining: 499, resetsIn: 0.12))
        #expect(headers.tokens == .init(remaining: 29_000, resetsIn: 360))
    }

    @Test func noRateLimitHeaders() {
        let model = WireFixture.model(.openAI)
        #expect(Provider.rateLimits(in: ["content-type": "application/json", "x-ratelimit-remaining-requests": "lots"],
                                    for: model) == nil)
        // Anthropic's names are Anthropic's.
        #expect(Provider.rateLimits(in: ["anthropic-ratelimit-requests-remaining": "3"], for: model) == nil)
    }

    @Test(arguments: [
        ("6m0s", 360.0), ("12ms", 0.012), ("1s", 1), ("1.5s", 1.5), ("1h2m3s", 3723), ("20", 20),
    ] as [(String, Double)])
    func goDurationsAreSeconds(text: String, seconds: Double) throws {
        let read = try #require(OpenAIChatCompletions.seconds(fromDuration: text))
        #expect(abs(read - seconds) < 1e-9)
    }

    @Test(arguments: ["", "soon", "5 s", "3d", "1-2s"])
    func notDurations(text: String) {
        #expect(OpenAIChatCompletions.seconds(fromDuration: text) == nil)
    }
}
