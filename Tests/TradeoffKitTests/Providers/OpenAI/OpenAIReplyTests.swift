import Foundation
import Testing
import TradeoffKit

/// Chat completions and their streams, from OpenAI and compatible hosts (PROVIDERS.md), read into
/// replies with usage in the right parts.
struct OpenAIReplyTests {
    // MARK: OpenAI and compatible hosts

    @Test func openAICompletionWithCachedAndReasoningTokens() throws {
        let body = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"o3-mini-2025-01-31",
             "choices":[{"index":0,"message":{"role":"assistant","content":"5"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":1200,"completion_tokens":300,"total_tokens":1500,
                      "prompt_tokens_details":{"cached_tokens":1024},"completion_tokens_details":{"reasoning_tokens":256}}}
            """
        // A reasoning model given room for its 300 tokens.
        let chat = ChatRequest(messages: [ChatMessage(role: .user, content: "hi")], temperature: 0, maxTokens: 512)
        let answer = try WireFixture.reply(body, .openAI, stream: false, headers: ["x-request-id": "req_9"], chat: chat).get()
        #expect(answer.text == "5")
        #expect(answer.usage == Usage(uncachedInputTokens: 176, cacheReadTokens: 1024, outputTokens: 300,
                                      reasoningTokens: 256, source: .reported))
        #expect(answer.finish == .stop)
        #expect(answer.servedModel == "o3-mini-2025-01-31")
        #expect(answer.requestID == "req_9")
        #expect(answer.firstContentSeconds == nil)
    }

    @Test func openAIStreamTakesUsageFromTheFinalChunkAndTimesTheFirstToken() throws {
        let body = """
            data: {"id":"c","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}

            data: {"id":"c","choices":[{"index":0,"delta":{"content":"Hel"}}]}

            data: {"id":"c","choices":[{"index":0,"delta":{"content":"lo"}}]}

            data: {"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"length"}]}

            data: {"id":"c","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}

            data: [DONE]


            """
        let answer = try WireFixture.reply(body, .openAI, stream: true).get()
        #expect(answer.text == "Hello")
        #expect(answer.usage == Usage(inputTokens: 9, outputTokens: 2, source: .reported))
        #expect(answer.finish == .length)
        #expect(answer.finishReasonRaw == "length")
        #expect(abs(answer.firstContentSeconds! - 0.11) < 1e-9)
        #expect(abs(answer.lastChunkSeconds! - 0.15) < 1e-9)
        #expect(abs(answer.outputTokensPerSecond! - 2 / 0.04) < 1e-6)
    }

    @Test func openRouterStreamHasCommentsCostProviderAndUsageOnAChunkWithChoices() throws {
        let body = """
            : OPENROUTER PROCESSING

            data: {"id":"gen-1","provider":"Groq","model":"meta-llama/llama-3.3-70b-instruct","choices":[{"index":0,"delta":{"content":"42"}}]}

            data: {"id":"gen-1","provider":"Groq","model":"meta-llama/llama-3.3-70b-instruct","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":20,"completion_tokens":1,"total_tokens":21,"cost":0.0000125}}

            data: [DONE]


            """
        let answer = try WireFixture.reply(body, .openAICompatible, stream: true, preset: .openRouter).get()
        #expect(answer.text == "42")
        #expect(answer.servingProvider == "Groq")
        #expect(answer.reportedCostMicros == 13)
        #expect(answer.usage.source == .reported)
        #expect(answer.usage.inputTokens == 20)
    }

    @Test func groqStreamReportsUsageUnderXGroq() throws {
        let body = """
            data: {"id":"x","choices":[{"index":0,"delta":{"content":"ok"}}]}

            data: {"id":"x","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"x_groq":{"id":"req_01","usage":{"queue_time":0.01,"prompt_tokens":12,"prompt_time":0.001,"completion_tokens":1,"completion_time":0.002,"total_tokens":13,"total_time":0.003}}}

            data: [DONE]


            """
        let answer = try WireFixture.reply(body, .openAICompatible, stream: true, preset: .groq).get()
        #expect(answer.usage == Usage(inputTokens: 12, outputTokens: 1, source: .reported))
    }

    @Test func streamWithoutUsageIsEstimatedNeverZero() throws {
        let body = "data: {\"choices\":[{\"delta\":{\"content\":\"forty two\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"
        let answer = try WireFixture.reply(body, .openAICompatible, stream: true, preset: .vllm).get()
        #expect(answer.usage.source == .estimated)
        #expect(answer.usage.outputTokens == 3)
        #expect(answer.usage.inputTokens > 0)
    }

    @Test func openRouterErrorInsideTheStreamIsARetryableServerError() {
        let body = """
            data: {"id":"g","choices":[{"index":0,"delta":{"content":"par"}}]}

            data: {"id":"g","error":{"code":502,"message":"Upstream provider error"},"choices":[{"index":0,"delta":{},"finish_reason":"error"}]}


            """
        guard case .failure(let error) = WireFixture.reply(body, .openAICompatible, stream: true, preset: .openRouter) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.kind == .server)
        #expect(error.message == "Upstream provider error")
        #expect(RetryPolicy.isRetryable(error))
    }

    @Test func streamEndingBeforeItsLastChunkIsCut() {
        let body = "data: {\"choices\":[{\"delta\":{\"content\":\"par\"}}]}\n\n"
        guard case .failure(let error) = WireFixture.reply(body, .openAI, stream: true) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.kind == .cutStream)
    }

    @Test func malformedBodyIsAMalformedResponse() {
        guard case .failure(let error) = WireFixture.reply(#"{"id":"x","choices":[{"mess"#, .openAI, stream: false) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.kind == .malformedResponse)
        #expect(error.message.hasPrefix("response body is not a chat completion: {\"id\""))
    }

    @Test func liteLLMReportsItsCostAndUpstreamModelInHeaders() throws {
        let body = #"{"model":"fast","choices":[{"message":{"content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":1}}"#
        let answer = try WireFixture.reply(body, .openAICompatible, stream: false, preset: .liteLLM,
                               headers: ["x-litellm-response-cost": "0.00042", "x-litellm-model-name": "gpt-4o-mini"]).get()
        #expect(answer.reportedCostMicros == 420)
        #expect(answer.servedModel == "gpt-4o-mini")
    }
}
