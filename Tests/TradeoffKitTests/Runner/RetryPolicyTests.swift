import Testing
import TradeoffKit

struct RetryPolicyTests {
    @Test(arguments: [
        (CallError.Kind.connection, Int?.none, true), (.timeout, nil, true), (.rateLimited, 429, true),
        (.server, 500, true), (.server, 503, true), (.overloaded, 529, true), (.malformedResponse, 200, true),
        (.cutStream, 200, true), (.http, 409, true),
        (.badRequest, 400, false), (.auth, 401, false), (.outOfCredits, 402, false), (.auth, 403, false),
        (.notFound, 404, false), (.badRequest, 413, false), (.badRequest, 422, false), (.contentFiltered, 200, false),
        (.http, 418, false),
    ])
    func retriesWhatTheSDKsRetry(kind: CallError.Kind, status: Int?, retryable: Bool) {
        #expect(RetryPolicy.isRetryable(CallError(kind, "x", httpStatus: status)) == retryable)
    }

    @Test func shouldRetryHeaderOverridesTheRules() {
        #expect(!RetryPolicy.isRetryable(CallError(.server, "x", httpStatus: 500, shouldRetry: false)))
        #expect(RetryPolicy.isRetryable(CallError(.badRequest, "x", httpStatus: 400, shouldRetry: true)))
    }

    @Test func backoffDoublesUpToTheCapWithJitterAndStopsAtTheBudget() {
        var attempts = CallAttempts(policy: RetryPolicy(maxRetries: 5, maxBackoff: 3))
        var waits: [Double] = []
        for _ in 0..<6 {
            attempts.start()
            if case .retry(let wait) = attempts.fail(CallError(.server, "x", httpStatus: 500), jitter: 0) { waits.append(wait) }
        }
        #expect(waits == [0.5, 1, 2, 3, 3])
        #expect(attempts.count == 6)
        #expect(attempts.backoff == 9.5)

        var jittered = CallAttempts(policy: .standard)
        jittered.start()
        #expect(jittered.fail(CallError(.timeout, "x"), jitter: 0.999) == .retry(after: 0.5 * (1 - 0.25 * 0.999)))
    }

    @Test func serverRequestedWaitIsHonouredUpToTheLimit() {
        var attempts = CallAttempts(policy: .standard)
        attempts.start()
        #expect(attempts.fail(CallError(.rateLimited, "x", httpStatus: 429, retryAfter: 7), jitter: 0.5) == .retry(after: 7))
        attempts.start()
        #expect(attempts.fail(CallError(.rateLimited, "x", httpStatus: 429, retryAfter: 600), jitter: 0.5) == .fail)
    }

    @Test func neverRetriedErrorsFailAtOnceAndBilledUsageIsKept() {
        var attempts = CallAttempts(policy: .nightly)
        attempts.start()
        let usage = Usage(inputTokens: 10, outputTokens: 3, source: .reported)
        #expect(attempts.fail(CallError(.cutStream, "cut", billedUsage: usage), jitter: 0) == .retry(after: 0.5))
        attempts.start()
        #expect(attempts.fail(CallError(.auth, "bad key", httpStatus: 401), jitter: 0) == .fail)
        #expect(attempts.billedUsage == [usage])
        #expect(attempts.count == 2)
    }

    @Test func rateLimitsHaveTheirOwnRetryBudget() {
        var attempts = CallAttempts(policy: RetryPolicy(maxRetries: 1, maxRateLimitRetries: 3))
        let throttled = CallError(.rateLimited, "slow down", httpStatus: 429, retryAfter: 0.1)
        for _ in 0..<3 {
            attempts.start()
            #expect(attempts.fail(throttled, jitter: 0) == .retry(after: 0.1))
        }
        // The 429 budget is spent; the general one is not.
        attempts.start()
        #expect(attempts.fail(throttled, jitter: 0) == .fail)
        var mixed = CallAttempts(policy: RetryPolicy(maxRetries: 1, maxRateLimitRetries: 3))
        mixed.start()
        #expect(mixed.fail(throttled, jitter: 0) == .retry(after: 0.1))
        mixed.start()
        #expect(mixed.fail(CallError(.server, "x", httpStatus: 500), jitter: 0) != .fail)
        mixed.start()
        #expect(mixed.fail(CallError(.server, "x", httpStatus: 500), jitter: 0) == .fail)
        #expect(mixed.rateLimitRetries == 1 && mixed.count == 3)
    }
}
