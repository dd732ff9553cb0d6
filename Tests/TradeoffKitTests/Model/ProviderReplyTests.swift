import Testing
@testable import TradeoffKit

struct ProviderReplyTests {
    /// A reasoning model streamed 100 answer tokens in 1 s after 1,900 reasoning tokens it never
    /// streamed: 100 tok/s, not the 2,000 that counting every output token over the answer's
    /// window gives (the Gemini at 1,333 tok/s against 85–157 for the others).
    @Test(arguments: [
        // output, reasoning → tokens/s over first 1.0 s to last 2.0 s
        (2000, 1900, 100.0 as Double?),
        (100, 0, 100.0),
        (50, 50, nil),  // nothing visible streamed: no speed
        (50, 80, nil),  // reasoning beyond the output (untrusted usage): no speed, never negative
    ] as [(Int, Int, Double?)])
    func outputSpeedCountsOnlyTheStreamedAnswer(output: Int, reasoning: Int, expected: Double?) {
        let reply = ProviderReply(text: "x", usage: Usage(inputTokens: 10, outputTokens: output, reasoningTokens: reasoning,
                                                          source: .reported),
                                  firstContentSeconds: 1.0, lastChunkSeconds: 2.0)
        #expect(reply.outputTokensPerSecond == expected)
    }
}
