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

    /// A turn's `content`: its text, or with images a list of blocks, the text first, then
    /// each image as `{type: image, source: {type: base64, media_type, data}}`.
    static func content(of message: ChatMessage) -> JSONValue {
        guard !message.images.isEmpty else { return .string(message.content) }
        var blocks: [JSONValue] = []
        if !message.content.isEmpty {
            blocks.append(.object(["type": .string("text"), "text": .string(message.content)]))
        }
        for image in message.images {
            blocks.append(.object(["type": .string("image"),
                                   "source": .object(["type": .string("base64"), "media_type": .string(image.format.mediaType),
                                                      "data": .string(image.base64)])]))
        }
        return .array(blocks)
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
                .object(["role": .string($0.role.rawValue), "content": content(of: $0)])
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
