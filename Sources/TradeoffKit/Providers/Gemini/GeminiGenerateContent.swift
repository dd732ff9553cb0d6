import Foundation

/// Google's Gemini API (`POST {base}/v1beta/models/{model}:generateContent`, or
/// `:streamGenerateContent?alt=sse` to stream). Replies are read in `+Reply`, errors in `+Errors`.
struct GeminiGenerateContent: WireFormat {
    func request(for chat: ChatRequest, model: ModelEntry, baseURL: String, apiKey: String?) -> HTTPRequest {
        let body = Self.body(for: chat, model: model)
        let name = model.model.hasPrefix("models/") ? model.model : "models/" + model.model
        let url = baseURL + "/v1beta/\(name)" + (model.stream ? ":streamGenerateContent?alt=sse" : ":generateContent")
        var headers = [HTTPHeader("Content-Type", "application/json"),
                       HTTPHeader("Accept", model.stream ? "text/event-stream" : "application/json")]
        if let apiKey { headers.append(HTTPHeader("x-goog-api-key", apiKey)) }
        return HTTPRequest(method: "POST", url: url, headers: headers, body: encodeJSON(body))
    }

    /// The `GenerateContentRequest` body: a batch's inlined request is the same.
    static func body(for chat: ChatRequest, model: ModelEntry) -> [String: JSONValue] {
        let chatTurns = ChatTurns(chat.messages)
        let system = chatTurns.system
        var body: [String: JSONValue] = [
            "contents": .array(chatTurns.turns.map {
                .object(["role": .string($0.role == .assistant ? "model" : "user"),
                         "parts": .array(parts(of: $0))])
            }),
            "generationConfig": .object(generationConfig(for: chat)),
        ]
        if !system.isEmpty { body["systemInstruction"] = .object(["parts": .array([.object(["text": .string(system)])])]) }
        Self.addStructuredMembers(for: chat, to: &body)
        body.merge(model.extraBody) { _, extra in extra }
        return body
    }

    /// `generationConfig`: the sampling settings, and `responseLogprobs` when the answer's
    /// logprobs are asked for (they come back as `candidates[].logprobsResult` and `avgLogprobs`).
    static func generationConfig(for chat: ChatRequest) -> [String: JSONValue] {
        var config: [String: JSONValue] = ["temperature": .number(chat.temperature),
                                           "maxOutputTokens": .integer(chat.maxTokens)]
        if chat.logprobs { config["responseLogprobs"] = .bool(true) }
        return config
    }

    /// A turn's `parts`: its text, then each image as `inlineData {mimeType, data}`. A turn of
    /// images alone has no text part (Gemini refuses an empty one).
    static func parts(of message: ChatMessage) -> [JSONValue] {
        var parts: [JSONValue] = message.images.isEmpty || !message.content.isEmpty
            ? [.object(["text": .string(message.content)])] : []
        for image in message.images {
            parts.append(.object(["inlineData": .object(["mimeType": .string(image.format.mediaType),
                                                         "data": .string(image.base64)])]))
        }
        return parts
    }

    /// Gemini sends no rate-limit headers: a 429 says what to wait in its body.
    func rateLimits(in headers: [String: String], now: Date) -> RateLimitHeaders? {
        nil
    }
}
