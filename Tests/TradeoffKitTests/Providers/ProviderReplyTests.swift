import Foundation
import Testing
import TradeoffKit

/// Responses and streams in each provider's documented format (PROVIDERS.md), read into
/// replies with usage in the right parts.
struct ProviderReplyTests {
    let chat = ChatRequest(messages: [ChatMessage(role: .user, content: "hi")], temperature: 0, maxTokens: 16)

    private func model(_ provider: ProviderKind, stream: Bool, preset: ProviderPreset? = nil) -> ModelEntry {
        ModelEntry(id: "x", provider: provider, baseURL: "http://127.0.0.1:1", model: "m", modelClass: .open,
                   price: nil, apiKeyEnv: nil, preset: preset, stream: stream)
    }

    /// A 200 response; a stream arrives one event per piece, 10 ms apart.
    private func response(_ body: String, stream: Bool, status: Int = 200, headers: [String: String] = [:]) -> HTTPResponse {
        var arrivals: [BodyArrival] = []
        if stream {
            var offset = 0
            for (index, piece) in body.components(separatedBy: "\n\n").dropLast().enumerated() {
                offset += piece.utf8.count + 2
                arrivals.append(BodyArrival(endOffset: offset, seconds: 0.1 + 0.01 * Double(index)))
            }
        }
        var all = headers
        all["content-type"] = stream ? "text/event-stream" : "application/json"
        return HTTPResponse(status: status, headers: all, body: Data(body.utf8), timings: TransferTimings(total: 0.5),
                            arrivals: arrivals)
    }

    private func reply(_ body: String, _ provider: ProviderKind, stream: Bool, preset: ProviderPreset? = nil,
                       headers: [String: String] = [:]) -> Result<ProviderReply, CallError> {
        Provider.interpret(.success(response(body, stream: stream, headers: headers)), for: chat,
                           model: model(provider, stream: stream, preset: preset))
    }

    // MARK: OpenAI and compatible hosts

    @Test func openAICompletionWithCachedAndReasoningTokens() throws {
        let body = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"o3-mini-2025-01-31",
             "choices":[{"index":0,"message":{"role":"assistant","content":"5"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":1200,"completion_tokens":300,"total_tokens":1500,
                      "prompt_tokens_details":{"cached_tokens":1024},"completion_tokens_details":{"reasoning_tokens":256}}}
            """
        let answer = try reply(body, .openAI, stream: false, headers: ["x-request-id": "req_9"]).get()
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
        let answer = try reply(body, .openAI, stream: true).get()
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
        let answer = try reply(body, .openAICompatible, stream: true, preset: .openRouter).get()
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
        let answer = try reply(body, .openAICompatible, stream: true, preset: .groq).get()
        #expect(answer.usage == Usage(inputTokens: 12, outputTokens: 1, source: .reported))
    }

    @Test func streamWithoutUsageIsEstimatedNeverZero() throws {
        let body = "data: {\"choices\":[{\"delta\":{\"content\":\"forty two\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"
        let answer = try reply(body, .openAICompatible, stream: true, preset: .vllm).get()
        #expect(answer.usage.source == .estimated)
        #expect(answer.usage.outputTokens == 3)
        #expect(answer.usage.inputTokens > 0)
    }

    @Test func openRouterErrorInsideTheStreamIsARetryableServerError() {
        let body = """
            data: {"id":"g","choices":[{"index":0,"delta":{"content":"par"}}]}

            data: {"id":"g","error":{"code":502,"message":"Upstream provider error"},"choices":[{"index":0,"delta":{},"finish_reason":"error"}]}


            """
        guard case .failure(let error) = reply(body, .openAICompatible, stream: true, preset: .openRouter) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.kind == .server)
        #expect(error.message == "Upstream provider error")
        #expect(RetryPolicy.isRetryable(error))
    }

    @Test func streamEndingBeforeItsLastChunkIsCut() {
        let body = "data: {\"choices\":[{\"delta\":{\"content\":\"par\"}}]}\n\n"
        guard case .failure(let error) = reply(body, .openAI, stream: true) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.kind == .cutStream)
    }

    @Test func malformedBodyIsAMalformedResponse() {
        guard case .failure(let error) = reply(#"{"id":"x","choices":[{"mess"#, .openAI, stream: false) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.kind == .malformedResponse)
        #expect(error.message.hasPrefix("response body is not a chat completion: {\"id\""))
    }

    @Test func liteLLMReportsItsCostAndUpstreamModelInHeaders() throws {
        let body = #"{"model":"fast","choices":[{"message":{"content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":1}}"#
        let answer = try reply(body, .openAICompatible, stream: false, preset: .liteLLM,
                               headers: ["x-litellm-response-cost": "0.00042", "x-litellm-model-name": "gpt-4o-mini"]).get()
        #expect(answer.reportedCostMicros == 420)
        #expect(answer.servedModel == "gpt-4o-mini")
    }

    // MARK: Anthropic

    @Test func anthropicMessageKeepsCacheReadsAndWritesApart() throws {
        let body = """
            {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-20250514",
             "content":[{"type":"text","text":"Hi "},{"type":"text","text":"there"}],
             "stop_reason":"max_tokens","stop_sequence":null,
             "usage":{"input_tokens":50,"cache_creation_input_tokens":200,"cache_read_input_tokens":1000,"output_tokens":16}}
            """
        let answer = try reply(body, .anthropic, stream: false, headers: ["request-id": "req_a"]).get()
        #expect(answer.text == "Hi there")
        #expect(answer.usage == Usage(uncachedInputTokens: 50, cacheReadTokens: 1000, cacheWriteTokens: 200,
                                      outputTokens: 16, source: .reported))
        #expect(answer.usage.inputTokens == 1250)
        #expect(answer.finish == .length)
        #expect(answer.finishReasonRaw == "max_tokens")
        #expect(answer.requestID == "req_a")
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
        let answer = try reply(body, .anthropic, stream: true).get()
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
        guard case .failure(let error) = reply(body, .anthropic, stream: true) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.kind == .overloaded)
        #expect(RetryPolicy.isRetryable(error))
        #expect(error.billedUsage?.inputTokens == 5)
    }

    // MARK: Gemini

    @Test func geminiOutputIsCandidatesPlusThoughtsAndThoughtPartsAreSkipped() throws {
        let body = """
            {"candidates":[{"content":{"role":"model","parts":[{"text":"Let me think","thought":true},{"text":"4"}]},"finishReason":"STOP","index":0}],
             "usageMetadata":{"promptTokenCount":100,"cachedContentTokenCount":60,"candidatesTokenCount":1,"thoughtsTokenCount":40,"totalTokenCount":141},
             "modelVersion":"gemini-2.5-flash","responseId":"resp-1"}
            """
        let answer = try reply(body, .gemini, stream: false).get()
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
        let answer = try reply(body, .gemini, stream: true).get()
        #expect(answer.text == "Hello")
        #expect(answer.usage == Usage(inputTokens: 8, outputTokens: 2, source: .reported))
        #expect(answer.finish == .length)
    }

    @Test func geminiBlockedPromptIsContentFilteredNotRetried() {
        let body = #"{"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":7}}"#
        guard case .failure(let error) = reply(body, .gemini, stream: false) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.kind == .contentFiltered)
        #expect(error.message == "the prompt was blocked (SAFETY)")
        #expect(!RetryPolicy.isRetryable(error))
    }

    // MARK: Errors

    @Test(arguments: [
        // (status, headers, body, kind, message, retryAfter)
        (429, ["retry-after-ms": "1500", "retry-after": "2"], #"{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}"#,
         CallError.Kind.rateLimited, "Rate limit reached", 1.5),
        (429, ["retry-after": "3"], #"{"type":"error","error":{"type":"rate_limit_error","message":"Slow down"},"request_id":"req_1"}"#,
         .rateLimited, "Slow down", 3.0),
        (529, [:], #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#, .overloaded, "Overloaded", nil),
        (429, [:], #"{"error":{"code":429,"message":"Quota exceeded","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"38s"}]}}"#,
         .rateLimited, "Quota exceeded", 38.0),
        (401, [:], #"{"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","code":"invalid_api_key"}}"#,
         .auth, "Incorrect API key provided.", nil),
        (402, [:], #"{"error":{"code":402,"message":"Insufficient credits"}}"#, .outOfCredits, "Insufficient credits", nil),
        (503, [:], "<html>Service Unavailable</html>", .server, "<html>Service Unavailable</html>", nil),
    ] as [(Int, [String: String], String, CallError.Kind, String, Double?)])
    func httpErrorsCarryTheProvidersMessageAndWait(status: Int, headers: [String: String], body: String,
                                                    kind: CallError.Kind, message: String, retryAfter: Double?) {
        let result = Provider.interpret(.success(response(body, stream: false, status: status, headers: headers)),
                                        for: chat, model: model(.openAI, stream: false))
        guard case .failure(let error) = result else {
            Issue.record("expected an error")
            return
        }
        #expect(error.kind == kind)
        #expect(error.message == message)
        #expect(error.httpStatus == status)
        #expect(error.retryAfter == retryAfter)
    }

    @Test func geminiDailyQuotaIsNotRetried() {
        let body = #"{"error":{"code":429,"message":"Quota exceeded for metric generate_content_free_tier_requests","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaId":"GenerateRequestsPerDayPerProjectPerModel-FreeTier"}]}]}}"#
        guard case .failure(let error) = Provider.interpret(.success(response(body, stream: false, status: 429)), for: chat,
                                                            model: model(.gemini, stream: false)) else {
            Issue.record("expected an error")
            return
        }
        #expect(!RetryPolicy.isRetryable(error))
    }

    @Test func transportFailuresAreClassified() {
        let timeout = Provider.interpret(.failure(TransportError(code: 28, message: "Operation timed out")), for: chat,
                                         model: model(.openAI, stream: true))
        #expect(timeout.failure?.kind == .timeout)
        let refused = Provider.interpret(.failure(TransportError(code: 7, message: "Couldn't connect to server")), for: chat,
                                         model: model(.openAI, stream: true))
        #expect(refused.failure?.kind == .connection)
        let partial = response("data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n", stream: true)
        let cut = Provider.interpret(.failure(TransportError(code: 18, message: "transfer closed", partial: partial)),
                                     for: chat, model: model(.openAI, stream: true))
        #expect(cut.failure?.kind == .cutStream)
    }
}

