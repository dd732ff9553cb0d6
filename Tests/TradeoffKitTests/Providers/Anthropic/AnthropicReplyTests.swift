import Foundation
import Testing
import TradeoffKit

/// Messages and their event streams (PROVIDERS.md), read into replies with cache reads and writes apart.
struct AnthropicReplyTests {
    // MARK: Anthropic

    @Test func anthropicMessageKeepsCacheReadsAndWritesApart() throws {
        let body = """
            {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-20250514",
             "content":[{"type":"text","text":"Hi "},{"type":"text","text":"there"}],
             "stop_reason":"max_tokens","stop_sequence":null,
             "usage":{"input_tokens":50,"cache_creation_input_tokens":200,"cache_read_input_tokens":1000,"output_tokens":16}}
            """
        let answer = try WireFixture.reply(body, .anthropic, stream: false, headers: ["request-id": "req_a"]).get()
        #expect(answer.text == "Hi there")
        #expect(answer.usage == Usage(uncachedInputTokens: 50, cacheReadTokens: 1000, cacheWriteTokens: 200,
                                      outputTokens: 16, source: .reported))
        #expect(answer.usage.inputTokens == 1250)
        #expect(answer.finish == .length)
        #expect(answer.finishReasonRaw == "max_tokens")
        #expect(answer.requestID == "req_a")
    }

    /// `cache_creation` splits the writes: 1-hour writes are billed at 2× input, 5-minute ones at 1.25×.
    @Test func anthropicOneHourCacheWritesAreKeptApart() throws {
        let body = """
            {"id":"msg_1h","type":"message","role":"assistant","model":"claude-sonnet-4-5",
             "content":[{"type":"text","text":"ok"}],"stop_reason":"end_turn",
             "usage":{"input_tokens":10,"cache_creation_input_tokens":100300,"cache_read_input_tokens":0,
                      "cache_creation":{"ephemeral_5m_input_tokens":300,"ephemeral_1h_input_tokens":100000},
                      "output_tokens":2}}
            """
        // A prompt long enough to be 100,310 tokens (a shorter one could not be, and its usage is not trusted).
        let prompt = ChatRequest(messages: [ChatMessage(role: .user, content: String(repeating: "word ", count: 30_000))],
                                 temperature: 0, maxTokens: 16)
        let answer = try WireFixture.reply(body, .anthropic, stream: false, chat: prompt).get()
        #expect(answer.usage == Usage(uncachedInputTokens: 10, cacheWriteTokens: 100_300, cacheWrite1hTokens: 100_000,
                                      outputTokens: 2, source: .reported))
        #expect(answer.usage.cacheWrite5mTokens == 300)
        #expect(answer.usage.inputTokens == 100_310)
    }

    @Test func anthropicStreamUsageIsCumulativeAndMergedPerField() throws {
        let body = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_2","type":"message","role":"assistant","model":"claude-haiku","content":[],"stop_reason":null,"usage":{"input_tokens":25,"cache_read_input_tokens":0,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: ping
            data: {"type": "ping"}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"!"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}

            event: message_stop
            data: {"type":"message_stop"}


            """
        let answer = try WireFixture.reply(body, .anthropic, stream: true).get()
        #expect(answer.text == "Hello!")
        #expect(answer.usage == Usage(uncachedInputTokens: 25, outputTokens: 15, source: .reported))
        #expect(answer.finish == .stop)
        #expect(answer.servedModel == "claude-haiku")
        #expect(abs(answer.firstContentSeconds! - 0.13) < 1e-9)
    }

    @Test func anthropicOverloadAfterTheStreamStartedIsRetried() {
        let body = """
            event: message_start
            data: {"type":"message_start","message":{"id":"m","model":"c","content":[],"usage":{"input_tokens":5,"output_tokens":1}}}

            event: error
            data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}


            """
        guard case .failure(let error) = WireFixture.reply(body, .anthropic, stream: true) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.kind == .overloaded)
        #expect(RetryPolicy.isRetryable(error))
        #expect(error.billedUsage?.inputTokens == 5)
    }
}
