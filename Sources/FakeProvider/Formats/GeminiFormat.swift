import Foundation

/// Google Gemini (`POST /v1beta/models/{model}:generateContent`, `:streamGenerateContent`):
/// the model in the path, the key in `x-goog-api-key` (or `?key=`), camelCase fields, and
/// Google's `{"error": {"code", "message", "status", "details"}}`.
struct GeminiFormat: WireFormat {
    /// Gemini reports no rate-limit headers: a client learns of its quota from 429s alone.
    func rateLimitHeaders(_ status: LimitStatus) -> [(String, String)] { [] }

    /// The model from the path, percent-decoded.
    var model: String
    /// `:streamGenerateContent` rather than `:generateContent`.
    var stream: Bool
    /// `alt=sse`: server-sent events; without it a stream is a JSON array sent piece by piece.
    var sse: Bool
    /// The `key` query parameter, if sent.
    var queryKey: String?

    var requestIDHeader: String { "x-request-id" }

    var jsonContentType: String { "application/json; charset=UTF-8" }

    func apiKey(in request: Responder.Request) -> String? {
        let header = request.headers.first(name: "x-goog-api-key").flatMap { $0.isEmpty ? nil : $0 }
        return header ?? queryKey.flatMap { $0.isEmpty ? nil : $0 }
    }

    func modelName(in body: [String: Any]) -> String? { model }

    func decode(_ body: [String: Any]) -> Result<GenerationRequest, ProviderError> {
        var messages: [ChatMessage] = []
        if let system = body["systemInstruction"] ?? body["system_instruction"], !(system is NSNull) {
            guard let text = Self.text(ofContent: system) else {
                return .failure(.invalidRequest(
                    "Invalid value at 'system_instruction' (type.googleapis.com/google.ai.generativelanguage.v1beta.Content): "
                        + "expected an object with 'parts'"))
            }
            messages.append(ChatMessage(role: "system", content: text))
        }
        guard let contents = body["contents"] as? [Any], !contents.isEmpty else {
            return .failure(.invalidRequest("* GenerateContentRequest.contents: contents is not specified\n"))
        }
        for (index, raw) in contents.enumerated() {
            let role = (raw as? [String: Any])?["role"] as? String ?? "user"
            guard role == "user" || role == "model" else {
                return .failure(.invalidRequest(
                    "Please use a valid role: user, model. (contents[\(index)].role was '\(role)')"))
            }
            guard let text = Self.text(ofContent: raw) else {
                return .failure(.invalidRequest("* GenerateContentRequest.contents[\(index)].parts: contents.parts must not be empty.\n"))
            }
            switch ImageParts.gemini(raw, index: index) {
            case .success(let images):
                messages.append(ChatMessage(role: role == "model" ? "assistant" : "user", content: text, images: images))
            case .failure(let problem): return .failure(problem)
            }
        }
        var request = GenerationRequest(model: model, messages: messages, stream: stream)
        let config = (body["generationConfig"] ?? body["generation_config"]) as? [String: Any] ?? [:]
        if let raw = config["maxOutputTokens"] ?? config["max_output_tokens"], !(raw is NSNull) {
            guard let value = ContentText.integer(raw), value >= 1 else {
                return .failure(.invalidRequest(
                    "Invalid value at 'generation_config.max_output_tokens' (TYPE_INT32): expected a positive integer"))
            }
            request.maxTokens = value
        }
        if let raw = config["responseLogprobs"] ?? config["response_logprobs"], !(raw is NSNull) {
            guard let flag = raw as? Bool else {
                return .failure(.invalidRequest(
                    "Invalid value at 'generation_config.response_logprobs' (TYPE_BOOL): expected a boolean"))
            }
            request.logprobs = flag
        }
        if let problem = decodeStructure(body, into: &request) { return .failure(problem) }
        return .success(request)
    }

    /// The text of a `Content` object: its parts' `text`, joined by newlines.
    static func text(ofContent content: Any) -> String? {
        guard let parts = (content as? [String: Any])?["parts"] as? [Any], !parts.isEmpty else { return nil }
        return parts.compactMap { ($0 as? [String: Any])?["text"] as? String }.joined(separator: "\n")
    }

    /// As Gemini answers: no key is 403 PERMISSION_DENIED; a wrong key is 400 INVALID_ARGUMENT
    /// with an `ErrorInfo` whose reason is `API_KEY_INVALID` (not a 401).
    func authenticationError(keySent: Bool) -> ProviderError {
        guard keySent else {
            return ProviderError(kind: .authentication, status: .forbidden,
                                 message: "Method doesn't allow unregistered callers (callers without established "
                                     + "identity). Please use API Key or other form of API consumer identity to call this API.")
        }
        return ProviderError(kind: .authentication, status: .badRequest,
                             message: "API key not valid. Please pass a valid API key.",
                             details: [["@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID",
                                        "domain": "googleapis.com",
                                        "metadata": ["service": "generativelanguage.googleapis.com"]]])
    }

    func modelNotFound(_ name: String, known: [String]) -> ProviderError {
        ProviderError(kind: .notFound, status: .notFound,
                      message: "models/\(name) is not found for API version v1beta, or is not supported for "
                          + "generateContent. Call ListModels to see the list of available models and their supported "
                          + "methods. (Known models: \(known.joined(separator: ", ")).)")
    }

    /// Google puts the wait of a 429 in the body (`RetryInfo`), not in a header.
    func faultError(_ kind: FakeProviderConfig.Faults.Kind, variant: UInt64, retryAfterMs: Int) -> ProviderError {
        switch kind {
        case .rateLimit:
            ProviderError(kind: .rateLimit, status: .tooManyRequests,
                          message: "You exceeded your current quota, please check your plan and billing details. "
                              + "Please retry in \(Self.duration(retryAfterMs)).",
                          details: [
                              ["@type": "type.googleapis.com/google.rpc.QuotaFailure",
                               "violations": [["quotaMetric": "generativelanguage.googleapis.com/generate_content_requests",
                                               "quotaId": "GenerateRequestsPerMinutePerProjectPerModel"]]],
                              ["@type": "type.googleapis.com/google.rpc.RetryInfo",
                               "retryDelay": .string(Self.duration(retryAfterMs))],
                          ])
        case .serverError where variant & 1 == 0:
            ProviderError(kind: .serverError, status: .internalServerError,
                          message: "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting")
        case .overloaded, .serverError:
            ProviderError(kind: .overloaded, status: .serviceUnavailable,
                          message: "The model is overloaded. Please try again later.")
        case .malformed, .cutStream, .midStreamError, .slowFirstByte, .reset, .hang:
            ProviderError(kind: .serverError, status: .internalServerError, message: "Internal error encountered.")
        }
    }

    func errorBody(_ error: ProviderError, requestID: String) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("code", .int(Int(error.status.code))),
            ("message", .string(error.message)),
            ("status", .string(Self.status(of: error))),
        ]
        if !error.details.isEmpty { fields.append(("details", .array(error.details))) }
        return ["error": .object(fields)]
    }

    /// Google's canonical status name for an HTTP status.
    static func status(of error: ProviderError) -> String {
        switch error.status.code {
        case 400, 413: "INVALID_ARGUMENT"
        case 401: "UNAUTHENTICATED"
        case 403: "PERMISSION_DENIED"
        case 404: "NOT_FOUND"
        case 429: "RESOURCE_EXHAUSTED"
        case 503: "UNAVAILABLE"
        default: "INTERNAL"
        }
    }

    /// A protobuf JSON duration: `2s`, `0.050s`.
    static func duration(_ milliseconds: Int) -> String {
        guard milliseconds % 1000 != 0 else { return "\(milliseconds / 1000)s" }
        let fraction = String(milliseconds % 1000)
        return "\(milliseconds / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)s"
    }
}
