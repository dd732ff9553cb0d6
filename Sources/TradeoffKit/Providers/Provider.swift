import Foundation

/// A provider's wire format: how a chat becomes an HTTP request, and how a successful
/// response — streamed or not — becomes a reply. One implementation per protocol.
protocol WireFormat: Sendable {
    /// The HTTP request for `chat` on `model` at `baseURL`.
    func request(for chat: ChatRequest, model: ModelEntry, baseURL: String, apiKey: String?) -> HTTPRequest
    /// Reads a 2xx response. `streamed` says whether the request asked for a stream.
    func reply(from response: HTTPResponse, for chat: ChatRequest, model: ModelEntry, streamed: Bool)
        -> Result<ProviderReply, CallError>
}

/// Talks to a catalog model: builds its requests and interprets what came back, for every
/// provider kind (OpenAI, Anthropic, Gemini, Azure OpenAI, OpenAI-compatible hosts).
public enum Provider {
    static func wireFormat(for kind: ProviderKind) -> any WireFormat {
        switch kind {
        case .openAI, .azureOpenAI, .openAICompatible: OpenAIChatCompletions()
        case .anthropic: AnthropicMessages()
        case .gemini: GeminiGenerateContent()
        }
    }

    /// The HTTP request for `chat` on `model`. The key travels only in the returned headers.
    ///
    /// - Parameter caBundle: a PEM file of CA certificates to trust instead of the system's.
    public static func request(for chat: ChatRequest, model: ModelEntry, apiKey: String?,
                               caBundle: String? = nil) -> HTTPRequest {
        var base = model.resolvedBaseURL ?? model.baseURL
        while base.hasSuffix("/") { base.removeLast() }
        var request = wireFormat(for: model.provider).request(for: chat, model: model, baseURL: base, apiKey: apiKey)
        for (name, value) in model.extraHeaders.sorted(by: { $0.key < $1.key }) {
            request.headers.append(HTTPHeader(name, value))
        }
        request.timeout = model.timeoutSeconds
        request.caBundle = caBundle
        return request
    }

    /// Interprets one attempt's outcome: a transport failure, an HTTP error, or the reply.
    public static func interpret(_ result: Result<HTTPResponse, TransportError>, for chat: ChatRequest,
                                 model: ModelEntry) -> Result<ProviderReply, CallError> {
        switch result {
        case .failure(let error):
            return .failure(transportFailure(error, for: chat, model: model))
        case .success(let response):
            guard (200..<300).contains(response.status) else { return .failure(ErrorResponse.callError(from: response)) }
            return wireFormat(for: model.provider).reply(from: response, for: chat, model: model, streamed: model.stream)
        }
    }

    private static func transportFailure(_ error: TransportError, for chat: ChatRequest, model: ModelEntry) -> CallError {
        // A stream that began (2xx and some body) and then broke is a cut stream; whatever
        // usage it reported before breaking was billed.
        if let partial = error.partial, (200..<300).contains(partial.status), !partial.body.isEmpty {
            var cut = CallError(.cutStream, "the response ended before it was complete (\(error.message))",
                                httpStatus: partial.status, requestID: ErrorResponse.requestID(in: partial.headers))
            if case .success(let reply) = wireFormat(for: model.provider).reply(from: partial, for: chat, model: model,
                                                                                  streamed: model.stream),
               reply.usage.source == .reported {
                cut.billedUsage = reply.usage
            } else if case .failure(let inner) = wireFormat(for: model.provider).reply(
                from: partial, for: chat, model: model, streamed: model.stream) {
                cut.billedUsage = inner.billedUsage
            }
            return cut
        }
        if let partial = error.partial, !(200..<300).contains(partial.status) {
            // An error status whose body was cut: still an HTTP error.
            var http = ErrorResponse.callError(from: partial)
            http.message += " (\(error.message))"
            return http
        }
        return CallError(error.isTimeout ? .timeout : .connection, error.message)
    }
}

/// What HTTP error responses say, in every provider's shape: OpenAI and Azure
/// `{"error": {"message"}}`, Anthropic `{"type": "error", "error": {"type", "message"}}`,
/// Gemini `{"error": {"code", "message", "status", "details"}}`.
enum ErrorResponse {
    private struct Body: Decodable {
        struct Detail: Decodable {
            var message: String?
            var type: String?
            var status: String?
            var details: [GoogleDetail]?
        }
        struct GoogleDetail: Decodable {
            var type: String?
            var retryDelay: String?
            var reason: String?
            enum CodingKeys: String, CodingKey {
                case type = "@type"
                case retryDelay, reason
            }
        }
        var error: Detail?
        var message: String?
    }

    /// The call error an HTTP error response stands for, with the provider's message and
    /// retry hints. Never includes request headers (where keys travel).
    static func callError(from response: HTTPResponse) -> CallError {
        let decoded = try? JSONDecoder().decode(Body.self, from: response.body)
        var kind = CallError.kind(forStatus: response.status)
        if decoded?.error?.type == "overloaded_error" { kind = .overloaded }
        // Gemini answers a wrong key with 400 INVALID_ARGUMENT, not 401: its ErrorInfo says so.
        if decoded?.error?.details?.contains(where: { $0.reason == "API_KEY_INVALID" }) == true { kind = .auth }
        let message = decoded?.error?.message ?? decoded?.message
            ?? (response.body.isEmpty ? "HTTP \(response.status) with an empty body" : snippet(of: response.body))
        var error = CallError(kind, message, httpStatus: response.status, requestID: requestID(in: response.headers))
        error.retryAfter = retryAfter(in: response.headers)
            ?? decoded?.error?.details?.lazy.compactMap { $0.retryDelay.flatMap(Self.seconds(fromDuration:)) }.first
        switch response.headers["x-should-retry"]?.lowercased() {
        case "true": error.shouldRetry = true
        case "false": error.shouldRetry = false
        default: break
        }
        // Gemini's daily quota does not clear by waiting: retrying only burns the budget.
        if response.status == 429, String(decoding: response.body, as: UTF8.self).contains("PerDay") {
            error.shouldRetry = false
        }
        return error
    }

    /// The provider's request id header, whichever name it uses.
    static func requestID(in headers: [String: String]) -> String? {
        headers["x-request-id"] ?? headers["request-id"] ?? headers["apim-request-id"] ?? headers["x-goog-request-id"]
    }

    /// `retry-after-ms`, else `retry-after` (seconds or an HTTP date), else LiteLLM's
    /// forwarded `llm_provider-retry-after`.
    static func retryAfter(in headers: [String: String], now: Date = Date()) -> Double? {
        if let text = headers["retry-after-ms"], let ms = Double(text.trimmingCharacters(in: .whitespaces)) {
            return ms / 1000
        }
        guard let text = headers["retry-after"] ?? headers["llm_provider-retry-after"] else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed) { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: trimmed).map { $0.timeIntervalSince(now) }
    }

    /// Seconds in a duration like `38s`, `1.5s`, `12ms`, `6m0s` (Gemini, OpenAI reset headers).
    static func seconds(fromDuration text: String) -> Double? {
        var total = 0.0
        var number = ""
        var unit = ""
        var matched = false
        func flush() -> Bool {
            guard let value = Double(number) else { return false }
            switch unit {
            case "h": total += value * 3600
            case "m": total += value * 60
            case "s", "": total += value
            case "ms": total += value / 1000
            default: return false
            }
            matched = true
            number = ""
            unit = ""
            return true
        }
        for char in text.trimmingCharacters(in: .whitespaces) {
            if char.isNumber || char == "." {
                if !unit.isEmpty { guard flush() else { return nil } }
                number.append(char)
            } else if char.isLetter {
                unit.append(char)
            } else {
                return nil
            }
        }
        if !number.isEmpty { guard flush() else { return nil } }
        return matched ? total : nil
    }

    static func snippet(of body: Data) -> String {
        let text = String(decoding: body.prefix(200), as: UTF8.self)
        return body.count > 200 ? text + "…" : text
    }
}

/// USD as a decimal → micro-dollars, rounded half up.
func microdollars(fromUSD usd: Decimal) -> Int64 {
    Money.micros(dollars: usd)
}
