import Foundation
import Testing
import TradeoffKit

/// Anthropic's error body `{"type": "error", "error": {"type", "message"}, "request_id"}`, after
/// an error status or as a stream's `event: error`.
struct AnthropicErrorTests {
    private static func body(_ type: String, _ message: String, requestID: String? = nil) -> String {
        #"{"type":"error","error":{"type":"\#(type)","message":"\#(message)"}"#
            + (requestID.map { #","request_id":"\#($0)"}"# } ?? "}")
    }

    @Test func overloadIs529AndRetried() throws {
        let error = try #require(WireFixture.reply(Self.body("overloaded_error", "Overloaded"), .anthropic, status: 529,
                                                   headers: ["request-id": "req_011CSHoEeqs5C35K2UUqR7Fy"]).failure)
        #expect(error.kind == .overloaded)
        #expect(error.message == "Overloaded")
        #expect(error.httpStatus == 529)
        #expect(error.requestID == "req_011CSHoEeqs5C35K2UUqR7Fy")
        #expect(RetryPolicy.isRetryable(error))
    }

    @Test(arguments: [
        // (status, type, headers, kind, retryable, retryAfter)
        (400, "invalid_request_error", [:], CallError.Kind.badRequest, false, Double?.none),
        (401, "authentication_error", [:], .auth, false, nil),
        (403, "permission_error", [:], .auth, false, nil),
        (404, "not_found_error", [:], .notFound, false, nil),
        (413, "request_too_large", [:], .badRequest, false, nil),
        (429, "rate_limit_error", ["retry-after": "3"], .rateLimited, true, 3.0),
        (500, "api_error", [:], .server, true, nil),
        // Behind a proxy that answered 503, an overload is still an overload.
        (503, "overloaded_error", [:], .overloaded, true, nil),
    ] as [(Int, String, [String: String], CallError.Kind, Bool, Double?)])
    func eachDocumentedErrorTypeHasItsClass(status: Int, type: String, headers: [String: String], kind: CallError.Kind,
                                            retryable: Bool, retryAfter: Double?) throws {
        let error = try #require(WireFixture.reply(Self.body(type, "because"), .anthropic, status: status,
                                                   headers: headers).failure)
        #expect(error.kind == kind)
        #expect(error.message == "because")
        #expect(RetryPolicy.isRetryable(error) == retryable)
        #expect(error.retryAfter == retryAfter)
    }

    @Test func requestIDComesFromTheHeaderElseTheBody() throws {
        let body = Self.body("overloaded_error", "Overloaded", requestID: "req_body")
        let fromBody = try #require(WireFixture.reply(body, .anthropic, status: 529).failure)
        #expect(fromBody.requestID == "req_body")
        let fromHeader = try #require(WireFixture.reply(body, .anthropic, status: 529,
                                                        headers: ["request-id": "req_header"]).failure)
        #expect(fromHeader.requestID == "req_header")
        // OpenAI's header name is OpenAI's.
        let other = try #require(WireFixture.reply(Self.body("api_error", "x"), .anthropic, status: 500,
                                                   headers: ["x-request-id": "req_o"]).failure)
        #expect(other.requestID == nil)
    }

    @Test func bodyThatIsNotAnthropicsFallsBackToTheStatus() throws {
        let error = try #require(WireFixture.reply("upstream connect error", .anthropic, status: 502).failure)
        #expect(error.kind == .server)
        #expect(error.message == "upstream connect error")
    }

    @Test(arguments: [
        ("overloaded_error", CallError.Kind.overloaded, true), ("api_error", .server, true),
        ("rate_limit_error", .rateLimited, true), ("invalid_request_error", .badRequest, false),
        ("some_new_error", .server, true),
    ])
    func streamErrorEventsAreClassedByTheirType(type: String, kind: CallError.Kind, retryable: Bool) throws {
        let body = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_7","model":"c","content":[],"usage":{"input_tokens":5,"output_tokens":1}}}

            event: error
            data: \(Self.body(type, "mid-stream"))


            """
        let error = try #require(WireFixture.reply(body, .anthropic, stream: true, headers: ["request-id": "req_s"]).failure)
        #expect(error.kind == kind)
        #expect(error.message == "mid-stream")
        #expect(error.httpStatus == 200)
        #expect(error.requestID == "req_s")
        #expect(RetryPolicy.isRetryable(error) == retryable)
    }
}
