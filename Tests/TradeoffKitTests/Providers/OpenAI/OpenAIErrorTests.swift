import Foundation
import Testing
import TradeoffKit

/// OpenAI's error body `{"error": {"message", "type", "param", "code"}}` and its headers, as
/// OpenAI, Azure and compatible hosts send them.
struct OpenAIErrorTests {
    @Test(arguments: [
        // (kind of host, status, headers, body, kind, message, retryAfter)
        (ProviderKind.openAI, 429, ["retry-after-ms": "1500", "retry-after": "2"],
         #"{"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}"#,
         CallError.Kind.rateLimited, "Rate limit reached", 1.5),
        (.openAI, 401, [:], #"{"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","code":"invalid_api_key"}}"#,
         .auth, "Incorrect API key provided.", nil),
        (.openAICompatible, 402, [:], #"{"error":{"code":402,"message":"Insufficient credits"}}"#,
         .outOfCredits, "Insufficient credits", nil),
        // Older vLLM: the message at the top level.
        (.openAICompatible, 400, [:], #"{"object":"error","message":"max_tokens is too large","type":"BadRequestError","code":400}"#,
         .badRequest, "max_tokens is too large", nil),
        // LiteLLM forwards the upstream's wait under its own prefix.
        (.openAICompatible, 429, ["llm_provider-retry-after": "4"], #"{"error":{"message":"cooling down","type":"None","code":"429"}}"#,
         .rateLimited, "cooling down", 4.0),
        // A gateway relaying Anthropic's overload.
        (.openAICompatible, 503, [:], #"{"error":{"message":"Overloaded","type":"overloaded_error"}}"#, .overloaded, "Overloaded", nil),
        (.azureOpenAI, 503, [:], "<html>Service Unavailable</html>", .server, "<html>Service Unavailable</html>", nil),
        (.openAI, 500, [:], "", .server, "HTTP 500 with an empty body", nil),
    ] as [(ProviderKind, Int, [String: String], String, CallError.Kind, String, Double?)])
    func httpErrorsCarryTheMessageAndTheWait(provider: ProviderKind, status: Int, headers: [String: String], body: String,
                                             kind: CallError.Kind, message: String, retryAfter: Double?) throws {
        let error = try #require(WireFixture.reply(body, provider, status: status, headers: headers).failure)
        #expect(error.kind == kind)
        #expect(error.message == message)
        #expect(error.httpStatus == status)
        #expect(error.retryAfter == retryAfter)
    }

    @Test func requestIDComesFromXRequestIDAndAzuresApimRequestID() throws {
        let body = #"{"error":{"message":"Rate limit reached","type":"requests"}}"#
        let openAI = try #require(WireFixture.reply(body, .openAI, status: 429, headers: ["x-request-id": "req_o1"]).failure)
        #expect(openAI.requestID == "req_o1")
        let azure = try #require(WireFixture.reply(body, .azureOpenAI, status: 429,
                                                   headers: ["apim-request-id": "5f8e-apim"]).failure)
        #expect(azure.requestID == "5f8e-apim")
        // Anthropic's header name is Anthropic's.
        let other = try #require(WireFixture.reply(body, .openAI, status: 429, headers: ["request-id": "req_a"]).failure)
        #expect(other.requestID == nil)
    }

    @Test func shouldRetryHeaderOverridesTheStatus() throws {
        let body = #"{"error":{"message":"try later","type":"server_error"}}"#
        let noRetry = try #require(WireFixture.reply(body, .openAI, status: 500, headers: ["x-should-retry": "false"]).failure)
        #expect(noRetry.shouldRetry == false)
        #expect(!RetryPolicy.isRetryable(noRetry))
        let retry = try #require(WireFixture.reply(body, .openAI, status: 400, headers: ["x-should-retry": "True"]).failure)
        #expect(RetryPolicy.isRetryable(retry))
    }

    @Test func errorInsideA200CompletionIsClassedByItsCode() throws {
        let body = #"{"id":"gen-2","error":{"code":429,"message":"Rate limited upstream"}}"#
        let error = try #require(WireFixture.reply(body, .openAICompatible, preset: .openRouter,
                                                   headers: ["x-request-id": "req_r"]).failure)
        #expect(error.kind == .rateLimited)
        #expect(error.message == "Rate limited upstream")
        #expect(error.httpStatus == 200)
        #expect(error.requestID == "req_r")
    }
}
