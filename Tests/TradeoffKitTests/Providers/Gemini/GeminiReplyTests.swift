import Foundation
import Testing
import TradeoffKit

/// GenerateContent responses and their streams (PROVIDERS.md), read into replies.
struct GeminiReplyTests {
    // MARK: Gemini

    @Test func geminiOutputIsCandidatesPlusThoughtsAndThoughtPartsAreSkipped() throws {
        let body = """
            {"candidates":[{"content":{"role":"model","parts":[{"text":"Let me think","thought":true},{"text":"4"}]},"finishReason":"STOP","index":0}],
             "usageMetadata":{"promptTokenCount":100,"cachedContentTokenCount":60,"candidatesTokenCount":1,"thoughtsTokenCount":40,"totalTokenCount":141},
             "modelVersion":"gemini-2.5-flash","responseId":"resp-1"}
            """
        let answer = try WireFixture.reply(body, .gemini, stream: false).get()
        #expect(answer.text == "4")
        #expect(answer.usage == Usage(uncachedInputTokens: 40, cacheReadTokens: 60, outputTokens: 41, reasoningTokens: 40,
                                      source: .reported))
        #expect(answer.finish == .stop)
        #expect(answer.servedModel == "gemini-2.5-flash")
        #expect(answer.requestID == "resp-1")
    }

    @Test func geminiStreamJoinsChunksAndTakesTheLastUsage() throws {
        let body = """
            data: {"candidates":[{"content":{"role":"model","parts":[{"text":"Hel"}]}}],"usageMetadata":{"promptTokenCount":8}}

            data: {"candidates":[{"content":{"role":"model","parts":[{"text":"lo"}]},"finishReason":"MAX_TOKENS"}],"usageMetadata":{"promptTokenCount":8,"candidatesTokenCount":2,"totalTokenCount":10}}


            """
        let answer = try WireFixture.reply(body, .gemini, stream: true).get()
        #expect(answer.text == "Hello")
        #expect(answer.usage == Usage(inputTokens: 8, outputTokens: 2, source: .reported))
        #expect(answer.finish == .length)
    }

    @Test func geminiBlockedPromptIsContentFilteredNotRetried() {
        let body = #"{"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":7}}"#
        guard case .failure(let error) = WireFixture.reply(body, .gemini, stream: false) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.kind == .contentFiltered)
        #expect(error.message == "the prompt was blocked (SAFETY)")
        #expect(!RetryPolicy.isRetryable(error))
    }
}
