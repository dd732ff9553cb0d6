/// Decides when the next call of one scope (a model, or the models sharing a provider's
/// limits) may start. Pure: the time is passed in (seconds on a monotonic clock), so every rule
/// is testable without waiting.
///
/// - Concurrency is a window that starts at `max_concurrency` and adapts (AIMD): a 429 or an
///   overload halves it, once per round of calls (only a call started after the last cut can
///   cut it again); each answered call grows it by 1/window, so it regains one slot per
///   window's worth of answers.
/// - Requests and tokens per minute are sliding windows of one second holding a second's
///   worth (`RateWindow`), so a run never passes a provider that enforces its limit per second,
///   in fixed windows or sliding ones. A call counts
///   its prompt plus `max_tokens`, and nothing comes back when it used less: OpenAI's limiter
///   counts a request that way, so giving the unused part back let a run outpace it (33 429s
///   in 200 calls against a limiter that counts like OpenAI's, measured with `make bench`).
/// - A 429's `retry-after` pauses the whole scope, not just that call.
/// - Rate-limit headers throttle ahead of time: when the requests or tokens the provider says
///   are left (less what is in flight) run out, no call starts until they reset.
struct RateGate: Sendable {
    /// Whether a call may start now.
    enum Decision: Sendable, Hashable {
        case start
        /// Wait for a call in flight to end.
        case full
        /// Wait this many seconds (a bucket refilling, a pause, a header's reset).
        case wait(Double)
    }

    /// What a limited scope is waiting for, for messages.
    enum Reason: String, Sendable {
        case requestsPerMinute = "requests per minute"
        case tokensPerMinute = "tokens per minute"
        case retryAfter = "retry-after"
        case headers = "rate-limit headers"
    }

    /// How much longer than a second each start counts against the per-second windows: a request
    /// reaches the provider a varying while after it is sent (a loaded machine, the network), and
    /// one that arrives before the provider's window turns is refused. Without it a run at
    /// exactly a provider's limits drew a 429 about once in eight test runs under load; it costs
    /// 2.5% of the rate.
    static let arrivalSlack = 0.025

    /// The most calls in flight; nil: unlimited.
    let maxConcurrency: Int?
    /// Whether the window adapts to 429s (a model's own gate; a shared gate keeps its limit).
    let adaptive: Bool
    private(set) var window: Double
    /// Calls holding a slot: sending, or waiting to try again.
    private(set) var inFlight = 0
    /// Attempts being sent. A retry waits until this is under the window, so the calls that were
    /// in flight when the window was cut do not all come back at once.
    private(set) var onWire = 0
    /// The tokens the attempts being sent were counted for.
    private(set) var tokensOnWire = 0
    private var requests: RateWindow?
    private var tokens: RateWindow?
    /// No call starts before this.
    private(set) var pausedUntil: Double = 0
    private var lastCut = -Double.infinity
    /// What the provider's headers said is left, less what was started since, until it resets.
    private var reportedRequests: (remaining: Double, resetAt: Double)?
    private var reportedTokens: (remaining: Double, resetAt: Double)?

    init(_ limits: RateLimits, adaptive: Bool, now: Double) {
        maxConcurrency = limits.maxConcurrency.map { max(1, $0) }
        self.adaptive = adaptive
        window = Double(maxConcurrency ?? Int.max)
        requests = limits.requestsPerMinute.map { RateWindow(perMinute: $0, slackSeconds: Self.arrivalSlack) }
        tokens = limits.tokensPerMinute.map { RateWindow(perMinute: $0, slackSeconds: Self.arrivalSlack) }
    }

    /// The calls allowed in flight now: the adapted window, at least 1.
    var allowedInFlight: Int { maxConcurrency == nil ? Int.max : max(1, Int(window)) }

    /// Whether a call estimated at `tokenEstimate` tokens (or, with `retry`, another attempt of
    /// a call in flight) may start at `now`, and if not, what it waits for.
    func decision(tokens tokenEstimate: Int, now: Double, retry: Bool = false) -> (Decision, Reason?) {
        if (retry ? onWire : inFlight) >= allowedInFlight { return (.full, nil) }
        return rateDecision(tokens: tokenEstimate, now: now)
    }

    /// A call starts.
    mutating func begin(tokens tokenEstimate: Int, now: Double) {
        inFlight += 1
        onWire += 1
        tokensOnWire += tokenEstimate
        spend(tokens: tokenEstimate, now: now)
    }

    /// A failed attempt is tried again: the request and its tokens count again.
    mutating func retry(tokens tokenEstimate: Int, now: Double) {
        onWire += 1
        tokensOnWire += tokenEstimate
        spend(tokens: tokenEstimate, now: now)
    }

    /// An attempt started at `attemptStartedAt`, counted for `tokenEstimate` tokens, got an
    /// answer or an error.
    ///
    /// - Parameters:
    ///   - throttled: it was a 429 or an overload: the window is cut.
    ///   - retryAfter: the wait the provider asked for, which pauses the scope.
    ///   - headers: the rate-limit headers it carried.
    /// - Returns: the new window when this cut it, for a message.
    @discardableResult
    mutating func attemptEnded(startedAt attemptStartedAt: Double, tokens tokenEstimate: Int, throttled: Bool,
                               retryAfter: Double?, headers: RateLimitHeaders?, now: Double) -> Int? {
        onWire -= 1
        tokensOnWire -= tokenEstimate
        if let retryAfter, retryAfter > 0 { pausedUntil = max(pausedUntil, now + retryAfter) }
        if let headers {
            // The attempts still being sent were started against what the header says is left
            // (some were counted in it already: erring low only waits a little longer).
            if let requests = headers.requests {
                reportedRequests = (Double(requests.remaining - max(0, onWire)), now + requests.resetsIn)
            }
            if let tokens = headers.tokens {
                reportedTokens = (Double(tokens.remaining - max(0, tokensOnWire)), now + tokens.resetsIn)
            }
        }
        guard adaptive, maxConcurrency != nil else { return nil }
        if throttled {
            guard attemptStartedAt >= lastCut else { return nil }
            lastCut = now
            let before = allowedInFlight
            window = max(1, window / 2)
            return allowedInFlight < before ? allowedInFlight : nil
        }
        window = min(Double(maxConcurrency ?? 1), window + 1 / window)
        return nil
    }

    /// A call ended: its slot is free.
    mutating func end() {
        inFlight -= 1
    }

    /// Whether the rates (not the concurrency) let a call of `tokenEstimate` start at `now`.
    func rateDecision(tokens tokenEstimate: Int, now: Double) -> (Decision, Reason?) {
        var wait = 0.0, reason: Reason?
        func consider(_ seconds: Double, _ why: Reason) {
            if seconds > wait { (wait, reason) = (seconds, why) }
        }
        consider(pausedUntil - now, .retryAfter)
        if let reported = reportedRequests, reported.remaining < 1 { consider(reported.resetAt - now, .headers) }
        if let reported = reportedTokens, reported.remaining < Double(tokenEstimate) {
            consider(reported.resetAt - now, .headers)
        }
        if let requests { consider(requests.wait(for: 1, now: now), .requestsPerMinute) }
        if let tokens { consider(tokens.wait(for: Double(tokenEstimate), now: now), .tokensPerMinute) }
        return wait > 0 ? (.wait(wait), reason) : (.start, nil)
    }

    /// A call that holds no slot here counts against the rates: a judge call under the limits
    /// its provider's models share (see `CallLimits`).
    mutating func spend(tokens tokenEstimate: Int, now: Double) {
        requests?.take(1, now: now)
        tokens?.take(Double(tokenEstimate), now: now)
        if let reported = reportedRequests {
            reportedRequests = now >= reported.resetAt ? nil : (reported.remaining - 1, reported.resetAt)
        }
        if let reported = reportedTokens {
            reportedTokens = now >= reported.resetAt ? nil : (reported.remaining - Double(tokenEstimate), reported.resetAt)
        }
    }
}
