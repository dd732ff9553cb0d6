import Foundation

/// Anthropic's Messages API (`POST {base}/v1/messages`). Replies are read in `+Reply`, errors in
/// `+Errors`, rate-limit headers in `+RateLimits`.
struct AnthropicMessages: WireFormat {
    static let version = "2023-06-01"

    func request(for chat: ChatRequest, model: ModelEntry, baseURL: String, apiKey: String?) -> HTTPRequest {
        var headers = [HTTPHeader("Content-Type", "application/json"), HTTPHeader("anthropic-version", Self.version),
                       HTTPHeader("Accept", model.stream ? "text/event-stream" : "application/json")]
        if let apiKey { headers.append(HTTPHeader("x-api-key", apiKey)) }
        return HTTPRequest(method: "POST", url: baseURL + "/v1/messages", headers: headers,
                           body: encodeJSON(Self.body(for: chat, model: model)))
    }

    /// The request's JSON body (streamed when `model.stream`): a batch request's `params` are
    /// the same, unstreamed.
    static func body(for chat: ChatRequest, model: ModelEntry) -> [String: JSONValue] {
        // The system prompt is a top-level field; messages hold only user and assistant turns.
        let chatTurns = ChatTurns(chat.messages)
        let system = chatTurns.system
        var body: [String: JSONValue] = [
            "model": .string(model.model),
            "max_tokens": .integer(chat.maxTokens),
            "messages": .array(chatTurns.turns.map {
                .object(["role": .string($0.role.rawValue), "content": .string($0.content)])
            }),
            // Anthropic accepts 0...1; suites may say up to 2.
            "temperature": .number(min(chat.temperature, 1)),
        ]
        if !system.isEmpty { body["system"] = .string(system) }
        if model.stream { body["stream"] = .bool(true) }
        body.merge(Self.structuredMembers(for: chat)) { _, structured in structured }
        body.merge(model.extraBody) { _, extra in extra }
        return body
    }
}
