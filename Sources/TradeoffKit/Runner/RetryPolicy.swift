/// When to try a failed call again, and how long to wait first — the rules of the official
/// OpenAI and Anthropic SDKs (PROVIDERS.md, "Retries"), with a configurable budget.
public struct RetryPolicy: Sendable, Hashable {
    /// Retries after the first attempt (the SDKs' default is 2).
    public var maxRetries: Int
    /// Cap on a computed backoff, seconds.
    public var maxBackoff: Double
    /// The longest server-requested wait (`Retry-After`) that is honoured; a provider asking for
    /// more is not retried (the OpenAI SDK gives up too).
    public var maxRetryAfter: Double
    /// Retries after 429s, counted apart from `maxRetries`. A 429 is the provider's flow control,
    /// not a fault: the runner slows the model down in answer (AIMD, `retry-after`), so a call
    /// refused while it adapts deserves more tries than the SDKs' 2 — else the burst that taught
    /// the runner the limit is lost.
    public var maxRateLimitRetries: Int

    public init(maxRetries: Int = 2, maxBackoff: Double = 8, maxRetryAfter: Double = 60, maxRateLimitRetries: Int = 8) {
        self.maxRetries = maxRetries
        self.maxBackoff = maxBackoff
        self.maxRetryAfter = maxRetryAfter
        self.maxRateLimitRetries = maxRateLimitRetries
    }

    /// The SDKs' defaults: 2 retries, backoff capped at 8 s; 8 more for 429s.
    public static let standard = RetryPolicy()
    /// For nightly runs, which want answers more than speed: 6 retries, backoff capped at 30 s;
    /// 12 for 429s.
    public static let nightly = RetryPolicy(maxRetries: 6, maxBackoff: 30, maxRetryAfter: 120, maxRateLimitRetries: 12)

    /// Whether `error` is worth another attempt: connection errors, timeouts, 408, 409, 429,
    /// 5xx and 529, overloads and errors reported mid-stream, malformed bodies and cut
    /// streams. Never 400, 401, 402, 403, 404, 413, 422 or a content filter. The provider's
    /// `x-should-retry` header overrides the rules.
    public static func isRetryable(_ error: CallError) -> Bool {
        if let shouldRetry = error.shouldRetry { return shouldRetry }
        switch error.kind {
        case .connection, .timeout, .rateLimited, .server, .overloaded, .malformedResponse, .cutStream:
            return true
        case .http:
            return error.httpStatus == 409
        case .auth, .badRequest, .notFound, .outOfCredits, .contentFiltered:
            return false
        }
    }
}

/// The attempts of one call, as a state machine: each failure returns what to do next.
/// Pure — no clocks, no I/O — so every rule is testable on its own.
public struct CallAttempts: Sendable, Hashable {
    /// What to do after a failed attempt.
    public enum Action: Sendable, Hashable {
        /// Wait this many seconds, then try again.
        case retry(after: Double)
        /// Record the error: the call is over.
        case fail
    }

    public let policy: RetryPolicy
    /// Attempts started so far.
    public private(set) var count = 0
    /// Retries taken after 429s (they have their own budget).
    public private(set) var rateLimitRetries = 0
    /// Seconds waited between attempts so far.
    public private(set) var backoff: Double = 0
    /// Usage that failed attempts reported: billed, though they gave no answer.
    public private(set) var billedUsage: [Usage] = []

    public init(policy: RetryPolicy) {
        self.policy = policy
    }

    /// An attempt is starting.
    public mutating func start() {
        count += 1
    }

    /// The current attempt failed with `error`.
    ///
    /// - Parameter jitter: a uniform random number in [0, 1), for the backoff's jitter.
    public mutating func fail(_ error: CallError, jitter: Double) -> Action {
        if let usage = error.billedUsage { billedUsage.append(usage) }
        let retriesTaken = count - 1
        let rateLimited = error.kind == .rateLimited
        guard RetryPolicy.isRetryable(error) else { return .fail }
        if rateLimited {
            guard rateLimitRetries < policy.maxRateLimitRetries else { return .fail }
        } else {
            guard retriesTaken - rateLimitRetries < policy.maxRetries else { return .fail }
        }
        let wait: Double
        if let requested = error.retryAfter, requested > 0 {
            guard requested <= policy.maxRetryAfter else { return .fail }
            wait = requested
        } else {
            // min(0.5 · 2^k, cap) · (1 − 0.25 · U), k = retries taken: the SDKs' formula.
            let exponential = 0.5 * Double(1 << min(retriesTaken, 30))
            wait = min(exponential, policy.maxBackoff) * (1 - 0.25 * jitter)
        }
        backoff += wait
        if rateLimited { rateLimitRetries += 1 }
        return .retry(after: wait)
    }
}
