import Foundation
import Testing
@testable import TradeoffKit

/// Each wire format's documented refusal, read as the runner reads it and graded by
/// `not-refusal`: the provider rule fires on the finish reason the reply carries.
struct RefusalWireTests {
    private func graded(_ reply: ProviderReply) throws -> GraderOutcome {
        let context = GradingContext(taskID: "t", caseID: "c", modelID: "m", system: nil, prompt: "hi",
                                     finishReason: reply.finish, finishReasonRaw: reply.finishReasonRaw)
        return try Grader(GraderSpec(.notRefusal())).evaluate(answer: reply.text, variables: [:], captures: [:],
                                                               context: context).outcome
    }

    @Test func anthropicsRefusalStopReason() throws {
        let body = """
            {"id":"msg_r","type":"message","role":"assistant","model":"claude-sonnet-4-5",
             "content":[{"type":"text","text":"Let me think about"}],"stop_reason":"refusal","stop_sequence":null,
             "usage":{"input_tokens":9,"output_tokens":4}}
            """
        let reply = try WireFixture.reply(body, .anthropic).get()
        #expect(reply.finish == .contentFilter && reply.finishReasonRaw == "refusal")
        let outcome = try graded(reply)
        #expect(!outcome.passed)
        #expect(outcome.reason == "refused: the provider ended the answer with finish reason 'refusal' (refused or filtered)")
    }

    /// Structured outputs: `message.refusal` instead of content; its text becomes the answer.
    @Test func openAIsMessageRefusal() throws {
        let body = """
            {"id":"c1","object":"chat.completion","model":"gpt-4o","choices":[{"index":0,
             "message":{"role":"assistant","content":null,"refusal":"I'm sorry, I cannot assist with that request."},
             "finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":9,"total_tokens":18}}
            """
        let reply = try WireFixture.reply(body, .openAI).get()
        #expect(reply.text == "I'm sorry, I cannot assist with that request.")
        #expect(reply.finish == .contentFilter)
        let outcome = try graded(reply)
        #expect(!outcome.passed && outcome.reason.hasPrefix("refused: the provider ended the answer with finish reason"))
    }

    @Test func openAIsContentFilter() throws {
        let body = """
            {"id":"c2","object":"chat.completion","model":"gpt-4o","choices":[{"index":0,
             "message":{"role":"assistant","content":"Here is"},"finish_reason":"content_filter"}],
             "usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}
            """
        let reply = try WireFixture.reply(body, .openAI).get()
        let outcome = try graded(reply)
        #expect(!outcome.passed && outcome.reason.contains("finish reason 'content_filter'"))
    }

    @Test(arguments: ["SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "RECITATION"])
    func geminisSafetyFinishReasons(raw: String) throws {
        let body = """
            {"candidates":[{"content":{"role":"model","parts":[{"text":"Sure"}]},"finishReason":"\(raw)","index":0}],
             "usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":1,"totalTokenCount":10},"responseId":"r1"}
            """
        let reply = try WireFixture.reply(body, .gemini).get()
        #expect(reply.finish == .contentFilter && reply.finishReasonRaw == raw)
        let outcome = try graded(reply)
        #expect(!outcome.passed && outcome.reason.contains("finish reason '\(raw)'"))
    }

    /// A safety stop usually comes with no content at all: an empty answer, still refused.
    @Test func geminisSafetyStopWithoutContent() throws {
        let body = """
            {"candidates":[{"finishReason":"SAFETY","index":0,"safetyRatings":[{"category":"HARM_CATEGORY_HARASSMENT",
             "probability":"HIGH","blocked":true}]}],"usageMetadata":{"promptTokenCount":9,"totalTokenCount":9}}
            """
        let reply = try WireFixture.reply(body, .gemini).get()
        #expect(reply.text == "")
        let outcome = try graded(reply)
        #expect(!outcome.passed && outcome.reason.contains("finish reason 'SAFETY'"))
    }

    @Test func anOrdinaryAnswerPasses() throws {
        let body = """
            {"id":"c3","object":"chat.completion","model":"gpt-4o","choices":[{"index":0,
             "message":{"role":"assistant","content":"Paris","refusal":null},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":9,"completion_tokens":1,"total_tokens":10}}
            """
        #expect(try graded(try WireFixture.reply(body, .openAI).get()).passed)
    }
}
