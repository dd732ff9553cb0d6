import Foundation
import NIOHTTP1

/// Anthropic Messages (`POST /v1/messages`): `x-api-key` and a required `anthropic-version`,
/// the system prompt at the top level, a required `max_tokens`, and usage whose
/// `input_tokens` excludes cache reads and writes.
struct AnthropicFormat: WireFormat {
    /// `anthropic-ratelimit-{requests,tokens}-{limit,remaining,reset}`, resets as RFC 3339 times.
    func rateLimitHeaders(_ status: LimitStatus) -> [(String, String)] {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions.insert(.withFractionalSeconds)
        let reset = formatter.string(from: Date().addingTimeInterval(Double(status.resetMs) / 1000))
        var headers: [(String, String)] = []
        if let limit = status.requestLimit {
            headers += [("anthropic-ratelimit-requests-limit", String(limit)),
                        ("anthropic-ratelimit-requests-remaining", String(status.requestsRemaining)),
                        ("anthropic-ratelimit-requests-reset", reset)]
        }
        if let limit = status.tokenLimit {
            headers += [("anthropic-ratelimit-tokens-limit", String(limit)),
                        ("anthropic-ratelimit-tokens-remaining", String(status.tokensRemaining)),
                        ("anthropic-ratelimit-tokens-reset", reset)]
        }
        return headers
    }

    var requestIDHeader: String { "request-id" }

    /// Anthropic's 529.
    static let overloadedStatus = HTTPResponseStatus.custom(code: 529, reasonPhrase: "Overloaded")

    func apiKey(in request: Responder.Request) -> String? {
        request.headers.first(name: "x-api-key").flatMap { $0.isEmpty ? nil : $0 }
    }

    func modelName(in body: [String: Any]) -> String? {
        body["model"] as? String
    }

    func precondition(_ request: Responder.Request) -> ProviderError? {
        guard let version = request.headers.first(name: "anthropic-version"), !version.isEmpty else {
            return .invalidRequest("anthropic-version: header is required")
        }
        return nil
    }

    func decode(_ body: [String: Any]) -> Result<GenerationRequest, ProviderError> {
        guard let model = body["model"] as? String, !model.isEmpty else {
            return .failure(.invalidRequest("model: Field required"))
        }
        guard let rawMaxTokens = body["max_tokens"], !(rawMaxTokens is NSNull) else {
            return .failure(.invalidRequest("max_tokens: Field required"))
        }
        guard let maxTokens = ContentText.integer(rawMaxTokens), maxTokens >= 1 else {
            return .failure(.invalidRequest("max_tokens: Input should be a valid integer greater than or equal to 1"))
        }
        var messages: [ChatMessage] = []
        if let system = body["system"], !(system is NSNull) {
            guard let text = ContentText.text(of: system) else {
                return .failure(.invalidRequest("system: Input should be a valid string or a list of text blocks"))
            }
            messages.append(ChatMessage(role: "system", content: text))
        }
        guard let rawMessages = body["messages"] as? [Any], !rawMessages.isEmpty else {
            return .failure(.invalidRequest(body["messages"] == nil
                                                ? "messages: Field required"
                                                : "messages: at least one message is required"))
        }
        for (index, raw) in rawMessages.enumerated() {
            guard let fields = raw as? [String: Any], let role = fields["role"] as? String else {
                return .failure(.invalidRequest("messages.\(index).role: Field required"))
            }
            guard role == "user" || role == "assistant" else {
                return .failure(.invalidRequest(
                    "messages.\(index).role: Input should be 'user' or 'assistant'"
                        + (role == "system" ? "; put the system prompt in the top-level `system` parameter" : "")))
            }
            guard let content = fields["content"], let text = ContentText.text(of: content) else {
                return .failure(.invalidRequest("messages.\(index).content: Field required"))
            }
            switch ImageParts.anthropic(content, index: index) {
            case .success(let images): messages.append(ChatMessage(role: role, content: text, images: images))
            case .failure(let problem): return .failure(problem)
            }
        }
        var request = GenerationRequest(model: model, messages: messages, maxTokens: maxTokens)
        if let stream = body["stream"] as? Bool { request.stream = stream }
        if let problem = decodeStructure(body, into: &request) { return .failure(problem) }
        return .success(request)
    }

    func authenticationError(keySent: Bool) -> ProviderError {
        ProviderError(kind: .authentication, status: .unauthorized,
                      message: keySent ? "invalid x-api-key" : "x-api-key header is required")
    }

    func modelNotFound(_ name: String, known: [String]) -> ProviderError {
        ProviderError(kind: .notFound, status: .notFound,
                      message: "model: \(name) (known models: \(known.joined(separator: ", ")))")
    }

    /// 429 `rate_limit_error` with `retry-after` headers, 500 `api_error` or 503, and 529
    /// `overloaded_error`.
    func faultError(_ kind: FakeProviderConfig.Faults.Kind, variant: UInt64, retryAfterMs: Int) -> ProviderError {
        switch kind {
        case .rateLimit:
            ProviderError(kind: .rateLimit, status: .tooManyRequests,
                          message: "This request would exceed the rate limit for your organization. "
                              + "Please retry after \(retryAfterMs) ms.",
                          headers: retryAfterHeaders(retryAfterMs))
        case .serverError:
            ProviderError(kind: .serverError, status: variant & 1 == 0 ? .internalServerError : .serviceUnavailable,
                          message: "Internal server error")
        case .overloaded:
            ProviderError(kind: .overloaded, status: Self.overloadedStatus, message: "Overloaded")
        case .malformed, .cutStream, .midStreamError, .slowFirstByte, .reset, .hang:
            ProviderError(kind: .serverError, status: .internalServerError, message: "Internal server error")
        }
    }

    func errorBody(_ error: ProviderError, requestID: String) -> JSONValue {
        ["type": "error", "error": ["type": .string(Self.errorType(error.kind)), "message": .string(error.message)],
         "request_id": .string(requestID)]
    }

    static func errorType(_ kind: ProviderError.Kind) -> String {
        switch kind {
        case .invalidRequest: "invalid_request_error"
        case .authentication: "authentication_error"
        case .notFound: "not_found_error"
        case .tooLarge: "request_too_large"
        case .rateLimit: "rate_limit_error"
        case .serverError: "api_error"
        case .overloaded: "overloaded_error"
        }
    }
}
