import Foundation
import Testing
@testable import TradeoffKit

/// The retry hints any provider (or a gateway in front of it) may send with an error.
struct RetryHeadersTests {
    @Test(arguments: [
        (["retry-after-ms": "1500", "retry-after": "2"], 1.5), (["retry-after": " 3 "], 3.0),
        (["retry-after": "Wed, 25 Nov 2026 10:00:30 GMT"], 30.0), (["llm_provider-retry-after": "4"], 4.0),
        (["retry-after": "later"], nil), ([:], nil),
    ] as [([String: String], Double?)])
    func waitIsReadInTheSDKsOrder(headers: [String: String], seconds: Double?) throws {
        let now = try #require(ISO8601DateFormatter().date(from: "2026-11-25T10:00:00Z"))
        #expect(RetryHeaders(headers, now: now).retryAfter == seconds)
    }

    @Test func shouldRetryIsTrueFalseOrUnsaid() {
        #expect(RetryHeaders(["x-should-retry": "true"]).shouldRetry == true)
        #expect(RetryHeaders(["x-should-retry": "FALSE"]).shouldRetry == false)
        #expect(RetryHeaders(["x-should-retry": "maybe"]).shouldRetry == nil)
    }

    @Test func aHeaderWaitWinsOverOneFromTheBody() {
        var error = CallError(.rateLimited, "x", retryAfter: 38)
        RetryHeaders([:]).apply(to: &error)
        #expect(error.retryAfter == 38)
        RetryHeaders(["retry-after": "5"]).apply(to: &error)
        #expect(error.retryAfter == 5)
    }
}
