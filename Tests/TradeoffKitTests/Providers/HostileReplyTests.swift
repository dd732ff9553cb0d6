import Foundation
import Testing
@testable import TradeoffKit

/// Provider replies are untrusted input: usage that cannot be true of the request, numbers sent
/// as strings, invalid UTF-8, repeated keys and a stream with the wrong `Content-Type` — the
/// answer is kept, and usage that cannot be trusted is estimated and flagged, never priced as
/// sent. Read through `Provider.interpret`, as the runner reads replies.
struct HostileReplyTests {
    private static func openAI(usage: String, content: String = "5") -> String {
        #"{"id":"c","model":"m","choices":[{"message":{"content":"\#(content)"},"finish_reason":"stop"}],"usage":\#(usage)}"#
    }

    // MARK: Usage that cannot be true

    @Test(arguments: [
        (#"{"prompt_tokens":-1000000,"completion_tokens":3}"#, "the provider reported -1000000 input tokens, below zero"),
        (#"{"prompt_tokens":10,"completion_tokens":-7}"#, "the provider reported -7 output tokens, below zero"),
        (#"{"prompt_tokens":10,"completion_tokens":1000000000000000}"#,
         "the provider reported 1000000000000000 output tokens, more than the request allowed (at most 84)"),
        (#"{"prompt_tokens":1000000000000000,"completion_tokens":1}"#,
         "the provider reported 1000000000000000 input tokens, more than the prompt could make (at most 4130)"),
        (#"{"prompt_tokens":10,"completion_tokens":1,"prompt_tokens_details":{"cached_tokens":-5}}"#, nil),
    ])
    func impossibleUsageIsEstimatedAndFlaggedAndTheAnswerKept(_ usage: String, _ reason: String?) throws {
        let reply = try WireFixture.reply(Self.openAI(usage: usage), .openAI).get()
        #expect(reply.text == "5")
        if let reason {
            #expect(reply.usage == {
                var estimate = Usage.estimated(for: WireFixture.chat, answer: "5")
                estimate.untrustedReason = reason
                return estimate
            }())
        } else {
            // A negative cached count is clamped into the prompt's (OpenAI's cached ⊆ prompt).
            #expect(reply.usage.untrustedReason == nil)
            #expect(reply.usage.inputTokens == 10)
        }
    }

    @Test func usageWithinWhatTheRequestAllowsIsKept() throws {
        let reply = try WireFixture.reply(Self.openAI(usage: #"{"prompt_tokens":4000,"completion_tokens":84}"#), .openAI).get()
        #expect(reply.usage == Usage(inputTokens: 4000, outputTokens: 84, source: .reported))
    }

    @Test func aLargerLimitInTheExtraBodyRaisesWhatOutputIsPossible() {
        var model = WireFixture.model(.openAICompatible)
        model.extraBody = ["max_tokens": .integer(2000)]
        let body = Self.openAI(usage: #"{"prompt_tokens":10,"completion_tokens":1500}"#)
        let reply = Provider.interpret(.success(WireFixture.response(body)), for: WireFixture.chat, model: model)
        #expect((try? reply.get().usage.outputTokens) == 1500)
        #expect((try? reply.get().usage.untrustedReason) == .some(nil))
    }

    @Test func anthropicAndGeminiUsageIsCheckedTheSameWay() throws {
        let anthropic = #"""
            {"id":"msg_1","model":"claude","content":[{"type":"text","text":"5"}],"stop_reason":"end_turn",
             "usage":{"input_tokens":10,"output_tokens":5,"cache_read_input_tokens":-500}}
            """#
        let gemini = #"""
            {"candidates":[{"content":{"parts":[{"text":"5"}]},"finishReason":"STOP"}],
             "usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":9223372036854775807,"thoughtsTokenCount":9}}
            """#
        let fromAnthropic = try WireFixture.reply(anthropic, .anthropic).get()
        let fromGemini = try WireFixture.reply(gemini, .gemini).get()
        #expect(fromAnthropic.usage.untrustedReason == "the provider reported -500 cache read tokens, below zero")
        #expect(fromGemini.usage.untrustedReason?.hasPrefix("the provider reported 9223372036854775807 output tokens") == true)
        #expect(fromAnthropic.usage.source == .estimated && fromGemini.usage.source == .estimated)
    }

    @Test func aNegativeOrAbsurdChargeIsNotUsed() throws {
        var model = WireFixture.model(.openAICompatible)
        model.price = Price(inputPerMillion: 1, outputPerMillion: 2)
        for (cost, reason) in [("-52.5", "the provider reported a charge of -$52.50, below zero"),
                               ("12500000000", "the provider reported a charge of $12,500,000,000.00, more than 100 "
                                + "times what the request could cost at the catalog's prices")] {
            let body = Self.openAI(usage: #"{"prompt_tokens":10,"completion_tokens":2,"cost":\#(cost)}"#)
            let reply = try Provider.interpret(.success(WireFixture.response(body)), for: WireFixture.chat, model: model).get()
            #expect(reply.reportedCostMicros == nil)
            #expect(reply.usage.untrustedReason == reason)
            // The tokens themselves could be true: they are kept.
            #expect(reply.usage.source == .reported)
        }
    }

    @Test func aFailedAttemptsImpossibleUsageIsBilledAsAnEstimateOfItsPrompt() throws {
        let body = """
            data: {"id":"c","choices":[],"usage":{"prompt_tokens":-99999999,"completion_tokens":2}}

            data: {"id":"c","error":{"message":"upstream died","code":502}}


            """
        let error = try #require(WireFixture.reply(body, .openAI, stream: true).failure)
        let billed = try #require(error.billedUsage)
        #expect(billed.source == .estimated)
        #expect(billed.inputTokens == Usage.estimated(for: WireFixture.chat, answer: "").inputTokens)
        #expect(billed.untrustedReason == "the provider reported -99999999 input tokens, below zero")
    }

    // MARK: Numbers as strings, unreadable usage

    @Test(arguments: [true, false])
    func numbersSentAsStringsAreReadAsNumbers(stream: Bool) throws {
        let usage = #"{"prompt_tokens":"10","completion_tokens":" 3 ","prompt_tokens_details":{"cached_tokens":"4"}}"#
        let body = stream
            ? "data: {\"id\":\"c\",\"choices\":[{\"delta\":{\"content\":\"5\"},\"finish_reason\":\"stop\"}]}\n\n"
                + "data: {\"id\":\"c\",\"choices\":[],\"usage\":\(usage)}\n\ndata: [DONE]\n\n"
            : Self.openAI(usage: usage)
        let reply = try WireFixture.reply(body, .openAI, stream: stream).get()
        #expect(reply.text == "5")
        #expect(reply.usage == Usage(inputTokens: 10, cachedInputTokens: 4, outputTokens: 3, source: .reported))
    }

    @Test func anthropicAndGeminiReadNumbersSentAsStrings() throws {
        let anthropic = #"""
            {"id":"msg_1","content":[{"type":"text","text":"5"}],"stop_reason":"end_turn",
             "usage":{"input_tokens":"10","output_tokens":"2"}}
            """#
        let gemini = #"""
            {"candidates":[{"content":{"parts":[{"text":"5"}]},"finishReason":"STOP"}],
             "usageMetadata":{"promptTokenCount":"10","candidatesTokenCount":"2"}}
            """#
        #expect(try WireFixture.reply(anthropic, .anthropic).get().usage == Usage(uncachedInputTokens: 10, outputTokens: 2,
                                                                                   source: .reported))
        #expect(try WireFixture.reply(gemini, .gemini).get().usage == Usage(inputTokens: 10, outputTokens: 2,
                                                                             source: .reported))
    }

    @Test(arguments: [#"{"prompt_tokens":"ten","completion_tokens":2}"#, #"{"prompt_tokens":[10],"completion_tokens":2}"#,
                      #"{"prompt_tokens":true,"completion_tokens":2}"#, #""lots""#])
    func usageOfTheWrongTypeKeepsTheAnswerWithAnEstimate(_ usage: String) throws {
        let reply = try WireFixture.reply(Self.openAI(usage: usage), .openAI).get()
        #expect(reply.text == "5")
        #expect(reply.usage.source == .estimated)
        #expect(reply.usage.untrustedReason == "the provider's usage could not be read as token counts")
    }

    @Test func aBadCountInAnAnthropicStreamKeepsTheAnswer() throws {
        let body = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_1","model":"claude","usage":{"input_tokens":{"n":10}}}}

            event: content_block_delta
            data: {"type":"content_block_delta","delta":{"type":"text_delta","text":"5"}}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":false}}

            event: message_stop
            data: {"type":"message_stop"}


            """
        let reply = try WireFixture.reply(body, .anthropic, stream: true).get()
        #expect(reply.text == "5")
        #expect(reply.usage.untrustedReason == "the provider's usage could not be read as token counts")
    }

    // MARK: Invalid UTF-8

    private static func withInvalidUTF8(_ text: String) -> Data {
        var data = Data()
        let parts = text.components(separatedBy: "@")
        for (index, part) in parts.enumerated() {
            if index > 0 { data += [0xC3, 0x28, 0xFF] }
            data += Data(part.utf8)
        }
        return data
    }

    @Test(arguments: [ProviderKind.openAI, .anthropic, .gemini])
    func invalidUTF8InABodyBecomesReplacementCharacters(_ provider: ProviderKind) throws {
        let body = switch provider {
        case .anthropic:
            #"{"id":"m","content":[{"type":"text","text":"caf@!"}],"stop_reason":"end_turn","usage":{"input_tokens":3,"output_tokens":2}}"#
        case .gemini:
            #"{"candidates":[{"content":{"parts":[{"text":"caf@!"}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":2}}"#
        default:
            Self.openAI(usage: #"{"prompt_tokens":3,"completion_tokens":2}"#, content: "caf@!")
        }
        let reply = try WireFixture.reply(bytes: Self.withInvalidUTF8(body), provider, stream: false,
                                          headers: ["content-type": "application/json"]).get()
        #expect(reply.text == "caf\u{FFFD}(\u{FFFD}!")
        #expect(reply.usage.source == .reported)
    }

    @Test(arguments: [ProviderKind.openAI, .anthropic, .gemini])
    func invalidUTF8InAStreamBecomesReplacementCharacters(_ provider: ProviderKind) throws {
        let body = switch provider {
        case .anthropic:
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"caf@!\"}}\n\n"
                + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"}}\n\n"
                + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"
        case .gemini:
            "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"caf@!\"}]},\"finishReason\":\"STOP\"}]}\n\n"
        default:
            "data: {\"id\":\"c\",\"choices\":[{\"delta\":{\"content\":\"caf@!\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"
        }
        let reply = try WireFixture.reply(bytes: Self.withInvalidUTF8(body), provider, stream: true,
                                          headers: ["content-type": "text/event-stream"]).get()
        #expect(reply.text == "caf\u{FFFD}(\u{FFFD}!")
    }

    // MARK: Repeated keys, a stream's Content-Type

    @Test(arguments: [ProviderKind.openAI, .anthropic, .gemini])
    func aRepeatedKeyKeepsItsLastValue(_ provider: ProviderKind) throws {
        let body = switch provider {
        case .anthropic:
            #"{"id":"m","content":[{"type":"text","text":"first"}],"content":[{"type":"text","text":"last"}],"stop_reason":"end_turn","usage":{"input_tokens":3,"output_tokens":2,"output_tokens":4}}"#
        case .gemini:
            #"{"candidates":[{"content":{"parts":[{"text":"first"}]},"finishReason":"STOP"}],"candidates":[{"content":{"parts":[{"text":"last"}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":2,"candidatesTokenCount":4}}"#
        default:
            // A `cost` sends the body past the fast path, to the tolerant reading.
            #"{"choices":[{"message":{"content":"first"},"finish_reason":"stop"}],"choices":[{"message":{"content":"last"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":2,"completion_tokens":4,"cost":0.0001}}"#
        }
        let reply = try WireFixture.reply(body, provider).get()
        #expect(reply.text == "last")
        #expect(reply.usage.outputTokens == 4)
    }

    @Test(arguments: [ProviderKind.openAI, .anthropic, .gemini], ["application/json", "text/plain", "text/html"])
    func aStreamWithTheWrongContentTypeIsReadAsAStream(_ provider: ProviderKind, _ contentType: String) throws {
        let body = switch provider {
        case .anthropic:
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}\n\n"
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"5\"}}\n\n"
                + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"
        case .gemini:
            "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"5\"}]},\"finishReason\":\"STOP\"}]}\n\n"
        default:
            ": keep-alive\n\ndata: {\"id\":\"c\",\"choices\":[{\"delta\":{\"content\":\"5\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"
        }
        let reply = try WireFixture.reply(bytes: Data(body.utf8), provider, stream: true,
                                          headers: ["content-type": contentType]).get()
        #expect(reply.text == "5")
    }

    @Test func aJSONBodyToAStreamedRequestIsReadAsJSONWhateverItsContentType() throws {
        let body = Self.openAI(usage: #"{"prompt_tokens":3,"completion_tokens":1}"#)
        let reply = try WireFixture.reply(bytes: Data(body.utf8), .openAI, stream: true,
                                          headers: ["content-type": "text/event-stream"]).get()
        #expect(reply.text == "5")
    }

    @Test(arguments: [ProviderKind.openAI, .anthropic, .gemini])
    func anErrorBodyIsReadTheSameWay(_ provider: ProviderKind) throws {
        let body = switch provider {
        case .anthropic: #"{"type":"error","error":{"type":"api_error","message":"first","message":"caf@ down"}}"#
        case .gemini: #"{"error":{"code":503,"message":"first","message":"caf@ down","status":"UNAVAILABLE"}}"#
        default: #"{"error":{"message":"first","message":"caf@ down","type":"server_error"}}"#
        }
        let error = try #require(WireFixture.reply(bytes: Self.withInvalidUTF8(body), provider, stream: false,
                                                   headers: ["content-type": "application/json"], status: 503).failure)
        #expect(error.message == "caf\u{FFFD}(\u{FFFD} down")
    }
}
