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
                         "parts": .array([.object(["text": .string($0.content)])])])
            }),
            "generationConfig": .object(["temperature": .number(chat.temperature),
                                         "maxOutputTokens": .integer(chat.maxTokens)]),
        ]
        if !system.isEmpty { body["systemInstruction"] = .object(["parts": .array([.object(["text": .string(system)])])]) }
        Self.addStructuredMembers(for: chat, to: &body)
        body.merge(model.extraBody) { _, extra in extra }
        return body
    }

    /// Gemini sends no rate-limit headers: a 429 says what to wait in its body.
    func rateLimits(in headers: [String: String], now: Date) -> RateLimitHeaders? {
        nil
    }
}
