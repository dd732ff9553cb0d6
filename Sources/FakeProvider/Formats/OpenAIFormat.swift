import Foundation

/// OpenAI Chat Completions (`POST /v1/chat/completions`), as OpenAI and the compatible hosts
/// speak it; a model's ``FakeProviderConfig/Flavor`` picks the host's quirks.
struct OpenAIFormat: WireFormat {
    /// The flavor for every model (Azure's is always OpenAI's), or nil to use each model's own.
    var fixedFlavor: FakeProviderConfig.Flavor?

    var requestIDHeader: String { "x-request-id" }

    func headers(for generation: Generation) -> [(String, String)] {
        [("openai-processing-ms", String(generation.delayMs))]
    }

    /// The flavor `generation` is answered in.
    func flavor(of generation: Generation) -> FakeProviderConfig.Flavor {
        fixedFlavor ?? generation.model.flavor
    }

    func apiKey(in request: Responder.Request) -> String? {
        guard let authorization = request.headers.first(name: "authorization") else { return nil }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    func modelName(in body: [String: Any]) -> String? {
        body["model"] as? String
    }

    func decode(_ body: [String: Any]) -> Result<GenerationRequest, ProviderError> {
        guard let model = body["model"] as? String, !model.isEmpty else {
            return .failure(.invalidRequest("You must provide a model parameter.", param: "model",
                                            code: "missing_required_parameter"))
        }
        return decode(body, model: model)
    }

    /// Reads everything but the model, which Azure takes from the path.
    func decode(_ body: [String: Any], model: String) -> Result<GenerationRequest, ProviderError> {
        guard let rawMessages = body["messages"] as? [Any], !rawMessages.isEmpty else {
            let message = body["messages"] == nil
                ? "Missing required parameter: 'messages'."
                : "Invalid 'messages': expected a non-empty array of messages."
            return .failure(.invalidRequest(message, param: "messages", code: "missing_required_parameter"))
        }
        var messages: [ChatMessage] = []
        for (index, raw) in rawMessages.enumerated() {
            guard let fields = raw as? [String: Any], let role = fields["role"] as? String else {
                return .failure(.invalidRequest("Invalid 'messages[\(index)]': expected an object with a 'role'.",
                                                param: "messages[\(index)]", code: "invalid_value"))
            }
            guard let content = ContentText.text(of: fields["content"]) else {
                return .failure(.invalidRequest(
                    "Invalid 'messages[\(index)].content': expected a string or an array of content parts.",
                    param: "messages[\(index)].content", code: "invalid_type"))
            }
            switch ImageParts.openAI(fields["content"], index: index) {
            case .success(let images): messages.append(ChatMessage(role: role, content: content, images: images))
            case .failure(let problem): return .failure(problem)
            }
        }
        var request = GenerationRequest(model: model, messages: messages)
        if let raw = body["stream"], !(raw is NSNull) {
            guard let stream = raw as? Bool else {
                return .failure(.invalidRequest("Invalid type for 'stream': expected a boolean.", param: "stream",
                                                code: "invalid_type"))
            }
            request.stream = stream
        }
        if let options = body["stream_options"], !(options is NSNull) {
            guard request.stream else {
                return .failure(.invalidRequest("The 'stream_options' parameter is only allowed when 'stream' is enabled.",
                                                param: "stream_options", code: "invalid_value"))
            }
            request.includeUsage = (options as? [String: Any])?["include_usage"] as? Bool ?? false
        }
        for key in ["max_completion_tokens", "max_tokens"] {
            guard let raw = body[key], !(raw is NSNull) else { continue }
            guard let value = ContentText.integer(raw), value >= 1 else {
                return .failure(.invalidRequest("Invalid '\(key)': expected an integer of at least 1.",
                                                param: key, code: "invalid_value"))
            }
            if key == "max_tokens" { request.maxTokens = value } else { request.maxCompletionTokens = value }
        }
        if let raw = body["logprobs"], !(raw is NSNull) {
            guard let flag = raw as? Bool else {
                return .failure(.invalidRequest("Invalid type for 'logprobs': expected a boolean.", param: "logprobs",
                                                code: "invalid_type"))
            }
            request.logprobs = flag
        }
        if let problem = decodeStructure(body, into: &request) { return .failure(problem) }
        return .success(request)
    }

    func authenticationError(keySent: Bool) -> ProviderError {
        let message = keySent
            ? "Incorrect API key provided."
            : "You didn't provide an API key. Send it in the Authorization header as 'Bearer KEY'."
        return ProviderError(kind: .authentication, status: .unauthorized, message: message, code: "invalid_api_key",
                             headers: [("www-authenticate", "Bearer")])
    }

    func modelNotFound(_ name: String, known: [String]) -> ProviderError {
        ProviderError(kind: .notFound, status: .notFound,
                      message: "The model `\(name)` does not exist or you do not have access to it. "
                          + "Known models: \(known.joined(separator: ", ")).",
                      param: "model", code: "model_not_found")
    }

    func errorBody(_ error: ProviderError, requestID: String) -> JSONValue {
        let type: String = switch error.kind {
        case .invalidRequest, .authentication, .notFound, .tooLarge: "invalid_request_error"
        case .rateLimit: "requests"
        case .serverError, .overloaded: "server_error"
        }
        // OpenAI sends `param` and `code` as explicit nulls.
        return ["error": ["message": .string(error.message), "type": .string(type), "param": .orNull(error.param),
                          "code": .orNull(error.code)]]
    }
}
