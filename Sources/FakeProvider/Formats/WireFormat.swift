/// One provider's wire format: where it expects the key, how it reads a request, and how it
/// writes answers, streams and errors. The responder does the rest (routing, auth decisions,
/// model lookup, faults) the same way for every format.
protocol WireFormat: Sendable {
    /// The response header that carries the request id (`x-request-id`, `request-id`, ...).
    var requestIDHeader: String { get }

    /// The content type of JSON bodies.
    var jsonContentType: String { get }

    /// Headers a successful answer carries besides the content type and the request id.
    func headers(for generation: Generation) -> [(String, String)]

    /// The key the request sent in this format's header, or nil when it sent none.
    func apiKey(in request: Responder.Request) -> String?

    /// The model the request names, for the request counts; nil if it names none.
    func modelName(in body: [String: Any]) -> String?

    /// A problem with the request's headers or query that this format rejects before reading
    /// the body (a missing version); nil when there is none. Checked after authentication.
    func precondition(_ request: Responder.Request) -> ProviderError?

    /// The request, validated.
    func decode(_ body: [String: Any]) -> Result<GenerationRequest, ProviderError>

    /// The 401 for a missing (`keySent` false) or wrong key. It never repeats the key.
    func authenticationError(keySent: Bool) -> ProviderError

    /// The 404 for a model that is not configured.
    func modelNotFound(_ name: String, known: [String]) -> ProviderError

    /// The error an injected failing fault answers with (not for faults that break the body).
    func faultError(_ kind: FakeProviderConfig.Faults.Kind, variant: UInt64, retryAfterMs: Int) -> ProviderError

    /// The rate-limit headers every answer of a limited model carries.
    func rateLimitHeaders(_ status: LimitStatus) -> [(String, String)]

    /// The error body, in this format's shape.
    func errorBody(_ error: ProviderError, requestID: String) -> JSONValue

    /// A complete, non-streaming answer.
    func response(_ generation: Generation) -> JSONValue

    /// A streamed answer.
    func stream(_ generation: Generation) -> EventStream

    /// The event a stream carries when it fails after it started (HTTP status already 200).
    func midStreamError(_ generation: Generation) -> StreamEvent
}

extension WireFormat {
    var jsonContentType: String { "application/json" }

    func headers(for generation: Generation) -> [(String, String)] { [] }

    /// OpenAI's `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`, resets as durations (`120ms`).
    func rateLimitHeaders(_ status: LimitStatus) -> [(String, String)] {
        var headers: [(String, String)] = []
        if let limit = status.requestLimit {
            headers += [("x-ratelimit-limit-requests", String(limit)),
                        ("x-ratelimit-remaining-requests", String(status.requestsRemaining)),
                        ("x-ratelimit-reset-requests", "\(status.resetMs)ms")]
        }
        if let limit = status.tokenLimit {
            headers += [("x-ratelimit-limit-tokens", String(limit)),
                        ("x-ratelimit-remaining-tokens", String(status.tokensRemaining)),
                        ("x-ratelimit-reset-tokens", "\(status.resetMs)ms")]
        }
        return headers
    }

    func precondition(_ request: Responder.Request) -> ProviderError? { nil }

    /// OpenAI's fault errors: a 429 with the wait in `retry-after` (whole seconds, rounded up)
    /// and `retry-after-ms`; 500 or 503 by `variant`; 503 when overloaded.
    func faultError(_ kind: FakeProviderConfig.Faults.Kind, variant: UInt64, retryAfterMs: Int) -> ProviderError {
        switch kind {
        case .rateLimit:
            ProviderError(kind: .rateLimit, status: .tooManyRequests,
                          message: "Rate limit reached for requests per min (RPM). Please try again in \(retryAfterMs)ms.",
                          code: "rate_limit_exceeded", headers: retryAfterHeaders(retryAfterMs))
        case .serverError where variant & 1 == 0:
            ProviderError(kind: .serverError, status: .internalServerError,
                          message: "The server had an error while processing your request. Sorry about that!")
        case .overloaded, .serverError:
            ProviderError(kind: .overloaded, status: .serviceUnavailable,
                          message: "The server is overloaded or not ready yet.")
        case .malformed, .cutStream, .midStreamError, .slowFirstByte, .reset, .hang:
            ProviderError(kind: .serverError, status: .internalServerError, message: "Unexpected fault \(kind.rawValue).")
        }
    }

    /// `retry-after` in whole seconds (rounded up, so a client never comes back early) and the
    /// exact `retry-after-ms`.
    func retryAfterHeaders(_ milliseconds: Int) -> [(String, String)] {
        [("retry-after", String((milliseconds + 999) / 1000)), ("retry-after-ms", String(milliseconds))]
    }
}
