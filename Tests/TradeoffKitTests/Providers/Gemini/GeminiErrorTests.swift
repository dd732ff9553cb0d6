import Foundation
import Testing
@testable import TradeoffKit

/// Google's error body `{"error": {"code", "message", "status", "details": [...]}}`, whose typed
/// details say what the status does not: a wrong key, the wait, a daily quota.
struct GeminiErrorTests {
    @Test func invalidKeyIsAnAuthErrorThoughTheStatusIs400() throws {
        let body = """
            {"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT",
             "details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com",
                         "metadata":{"service":"generativelanguage.googleapis.com"}},
                        {"@type":"type.googleapis.com/google.rpc.LocalizedMessage","locale":"en-US","message":"API key not valid."}]}}
            """
        let error = try #require(WireFixture.reply(body, .gemini, status: 400).failure)
        #expect(error.kind == .auth)
        #expect(error.message == "API key not valid. Please pass a valid API key.")
        #expect(error.httpStatus == 400)
        #expect(!RetryPolicy.isRetryable(error))
    }

    @Test func otherInvalidArgumentsAreBadRequests() throws {
        let body = #"{"error":{"code":400,"message":"* GenerateContentRequest.contents: contents is not specified","status":"INVALID_ARGUMENT"}}"#
        let error = try #require(WireFixture.reply(body, .gemini, status: 400).failure)
        #expect(error.kind == .badRequest)
        #expect(error.message == "* GenerateContentRequest.contents: contents is not specified")
    }

    @Test func perMinuteQuotaWaitsWhatRetryInfoSays() throws {
        let body = """
            {"error":{"code":429,"message":"You exceeded your current quota. Please retry in 38.5s.","status":"RESOURCE_EXHAUSTED",
             "details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure",
                         "violations":[{"quotaMetric":"generativelanguage.googleapis.com/generate_content_requests",
                                        "quotaId":"GenerateRequestsPerMinutePerProjectPerModel"}]},
                        {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"38.5s"}]}}
            """
        let error = try #require(WireFixture.reply(body, .gemini, status: 429).failure)
        #expect(error.kind == .rateLimited)
        #expect(error.retryAfter == 38.5)
        #expect(error.shouldRetry == nil)
        #expect(RetryPolicy.isRetryable(error))
    }

    @Test func dailyQuotaIsNotRetried() throws {
        let body = """
            {"error":{"code":429,"message":"Quota exceeded for metric generate_content_free_tier_requests","status":"RESOURCE_EXHAUSTED",
             "details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure",
                         "violations":[{"quotaId":"GenerateRequestsPerDayPerProjectPerModel-FreeTier"}]},
                        {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"21s"}]}}
            """
        let error = try #require(WireFixture.reply(body, .gemini, status: 429).failure)
        #expect(error.kind == .rateLimited)
        #expect(error.shouldRetry == false)
        #expect(!RetryPolicy.isRetryable(error))
    }

    @Test func overloadedModelIsAServerErrorAndRetried() throws {
        let body = #"{"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}"#
        let error = try #require(WireFixture.reply(body, .gemini, status: 503, headers: ["x-goog-request-id": "g-1"]).failure)
        #expect(error.kind == .server)
        #expect(error.message == "The model is overloaded. Please try again later.")
        #expect(error.requestID == "g-1")
        #expect(RetryPolicy.isRetryable(error))
    }

    @Test(arguments: [("38s", 38.0), ("1.5s", 1.5), ("0s", 0), (" 2s ", 2)] as [(String, Double)])
    func retryDelaysAreProtobufDurations(text: String, seconds: Double) {
        #expect(GeminiGenerateContent.seconds(fromDuration: text) == seconds)
    }

    @Test(arguments: ["38", "1m", "-1s", "s", ""])
    func notProtobufDurations(text: String) {
        #expect(GeminiGenerateContent.seconds(fromDuration: text) == nil)
    }
}
