/// Why a call produced no answer. Stored with the call; never holds a secret.
public struct CallError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The class of failure, stored as text in `calls.error_class`.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// 401/403: the key is missing, wrong or not allowed.
        case auth
        /// 400/422: the provider rejected the request.
        case badRequest = "bad_request"
        /// 404: the model or endpoint does not exist.
        case notFound = "not_found"
        /// 402: out of credits.
        case outOfCredits = "out_of_credits"
        /// 429.
        case rateLimited = "rate_limited"
        /// 5xx.
        case server
        /// 529, Anthropic's `overloaded_error`, an overload reported mid-stream.
        case overloaded
        /// The transfer timed out.
        case timeout
        /// No HTTP response: DNS, connect, TLS, reset.
        case connection
        /// A response that could not be read as the protocol says.
        case malformedResponse = "malformed_response"
        /// A stream that ended before its final event.
        case cutStream = "cut_stream"
        /// The provider blocked the prompt or the answer and returned no answer.
        case contentFiltered = "content_filtered"
        /// Any other HTTP status.
        case http
    }

    public var kind: Kind
    /// A short, secret-free explanation (the provider's own message where it sent one).
    public var message: String
    /// The HTTP status, when there was a response.
    public var httpStatus: Int?
    /// The provider's request id, when it sent one.
    public var requestID: String?
    /// Seconds the provider asked to wait before retrying (`retry-after-ms`, `Retry-After`,
    /// Gemini's `retryDelay`).
    public var retryAfter: Double?
    /// The provider's own word on retrying (`x-should-retry`), which overrides the rules.
    public var shouldRetry: Bool?
    /// Usage the failed attempt reported: it was billed even though it gave no answer.
    public var billedUsage: Usage?

    public init(_ kind: Kind, _ message: String, httpStatus: Int? = nil, requestID: String? = nil,
                retryAfter: Double? = nil, shouldRetry: Bool? = nil, billedUsage: Usage? = nil) {
        self.kind = kind
        self.message = message
        self.httpStatus = httpStatus
        self.requestID = requestID
        self.retryAfter = retryAfter
        self.shouldRetry = shouldRetry
        self.billedUsage = billedUsage
    }

    /// The class for an HTTP error status.
    public static func kind(forStatus status: Int) -> Kind {
        switch status {
        case 401, 403: .auth
        case 400, 413, 422: .badRequest
        case 402: .outOfCredits
        case 404: .notFound
        case 429: .rateLimited
        case 408: .timeout
        case 529: .overloaded
        case 500...599: .server
        default: .http
        }
    }

    public var description: String {
        var text = "\(kind.rawValue)"
        if let httpStatus { text += " (HTTP \(httpStatus))" }
        text += ": \(message)"
        if let requestID { text += " [request \(requestID)]" }
        return text
    }
}

extension Result {
    /// The error, when this is a failure.
    public var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
