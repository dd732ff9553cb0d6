import Foundation

/// Talks to a catalog model: builds its requests and interprets what came back, for every
/// provider kind (OpenAI, Anthropic, Gemini, Azure OpenAI, OpenAI-compatible hosts), through
/// the kind's wire format.
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
        let (base, query) = splitBaseURL(of: model)
        let request = wireFormat(for: model.provider).request(for: chat, model: model, baseURL: base, apiKey: apiKey)
        return finish(request, query: query, model: model, caBundle: caBundle)
    }

    /// The model's base URL without trailing slashes, query or fragment, and the query apart.
    ///
    /// A format appends its path to the base URL's path; a query the base URL has (a gateway's
    /// `?token=...`) goes after that path, beside any query of the format's own (`finish`).
    static func splitBaseURL(of model: ModelEntry) -> (base: String, query: Substring?) {
        // A `?` after the `#` belongs to the fragment. The marks are ASCII: found in the UTF-8.
        let url = model.resolvedBaseURL ?? model.baseURL
        let utf8 = url.utf8
        let hash = utf8.firstIndex(of: UInt8(ascii: "#")) ?? utf8.endIndex
        let mark = utf8[..<hash].firstIndex(of: UInt8(ascii: "?"))
        let query = mark.map { url[utf8.index(after: $0)..<hash] }
        var end = mark ?? hash
        while end > utf8.startIndex, utf8[utf8.index(before: end)] == UInt8(ascii: "/") { end = utf8.index(before: end) }
        return (String(url[..<end]), query)
    }

    /// `request` with the base URL's query, the catalog's extra headers, the model's timeout and
    /// the CA bundle: what every request to `model` carries, whatever its endpoint.
    static func finish(_ request: HTTPRequest, query: Substring?, model: ModelEntry, caBundle: String?) -> HTTPRequest {
        var request = request
        if let query, !query.isEmpty { request.url += (request.url.contains("?") ? "&" : "?") + query }
        for (name, value) in model.extraHeaders.sorted(by: { $0.key < $1.key }) {
            request.headers.append(HTTPHeader(name, value))
        }
        request.timeout = model.timeoutSeconds
        request.caBundle = caBundle
        return request
    }

    /// Interprets one attempt's outcome: a transport failure, an HTTP error, or the reply.
    ///
    /// What the provider sent is untrusted: the usage it reports is checked against what the
    /// request makes possible (`UsageCheck`), and `secrets` (the key) are redacted from the error
    /// before any part of the body is cut to be quoted.
    public static func interpret(_ result: Result<HTTPResponse, TransportError>, for chat: ChatRequest,
                                 model: ModelEntry, secrets: [String] = []) -> Result<ProviderReply, CallError> {
        let format = wireFormat(for: model.provider)
        let check = UsageCheck(for: chat, model: model)
        let outcome: Result<ProviderReply, CallError>
        switch result {
        case .failure(let error):
            var error = error
            if let partial = error.partial { error.partial = partial.redacting(secrets) }
            outcome = .failure(transportFailure(error, format: format, for: chat, model: model))
        case .success(let response) where !(200..<300).contains(response.status):
            outcome = .failure(format.error(from: response.redacting(secrets)))
        case .success(let response):
            outcome = format.reply(from: response, for: chat, model: model, streamed: model.stream)
        }
        // Switched on, not mapped: `map` lends its closure the reply, which `checked` then copied.
        switch consume outcome {
        case .success(let reply):
            return .success(check.checked(reply, for: chat))
        case .failure(let error):
            var error = check.checked(error, for: chat)
            error.message = Secrets.redact(error.message, secrets)
            return .failure(error)
        }
    }

    /// What `model`'s provider says, in its rate-limit headers, is left of the account's limits;
    /// nil when it sent none.
    ///
    /// - Parameters:
    ///   - headers: the response's header fields, names lowercased.
    ///   - now: when the response was read, to turn reset timestamps into waits.
    public static func rateLimits(in headers: [String: String], for model: ModelEntry,
                                  now: Date = Date()) -> RateLimitHeaders? {
        wireFormat(for: model.provider).rateLimits(in: headers, now: now)
    }

    private static func transportFailure(_ error: TransportError, format: any WireFormat, for chat: ChatRequest,
                                         model: ModelEntry) -> CallError {
        // A stream that began (2xx and some body) and then broke is a cut stream; whatever
        // usage it reported before breaking was billed.
        if let partial = error.partial, (200..<300).contains(partial.status), !partial.body.isEmpty {
            var cut = CallError(.cutStream, "the response ended before it was complete (\(error.message))",
                                httpStatus: partial.status, requestID: format.requestID(in: partial.headers))
            switch format.reply(from: partial, for: chat, model: model, streamed: model.stream) {
            case .success(let reply) where reply.usage.source == .reported: cut.billedUsage = reply.usage
            case .success: break
            case .failure(let inner): cut.billedUsage = inner.billedUsage
            }
            return cut
        }
        if let partial = error.partial, !(200..<300).contains(partial.status) {
            // An error status whose body was cut: still an HTTP error.
            var http = format.error(from: partial)
            http.message += " (\(error.message))"
            return http
        }
        return CallError(error.isTimeout ? .timeout : .connection, error.message)
    }
}
