/// What Tradeoff asks of a model, independent of any provider's wire format.
public struct ChatRequest: Sendable, Hashable, Codable {
    public var messages: [ChatMessage]
    public var temperature: Double
    public var maxTokens: Int
    /// Functions the model may call; empty for none.
    public var tools: [ToolSpec] = []
    /// Whether and which tool the model must call; nil leaves it to the provider (auto).
    public var toolChoice: ToolChoice?
    /// The JSON Schema the answer must follow, if any.
    public var responseFormat: ResponseFormat?

    public init(messages: [ChatMessage], temperature: Double, maxTokens: Int) {
        self.messages = messages
        self.temperature = temperature
        self.maxTokens = maxTokens
    }

    /// The bytes of the tool definitions and the response format's schema as JSON: input the
    /// provider counts beside the messages.
    public var structureBytes: Int {
        guard isStructured else { return 0 }
        let schemas = tools.map { JSONValue.object(["name": .string($0.name), "description": .string($0.description ?? ""),
                                                    "parameters": $0.parameters]) }
            + [responseFormat.map { JSONValue.object(["name": .string($0.name), "schema": $0.schema]) } ?? .null]
        return (ToolCall.canonicalText(.array(schemas)) ?? "").utf8.count
    }

    /// Whether the request asks for more than text: tools or a response format.
    public var isStructured: Bool { !tools.isEmpty || toolChoice != nil || responseFormat != nil }

    /// What a provider's rate limiter counts this request for, as OpenAI's does: its prompt
    /// (estimated, about 4 characters a token) plus `max_tokens`, whatever the answer uses.
    public var limiterTokens: Int {
        Usage.estimated(for: self, answer: "").inputTokens + maxTokens
    }
}

/// One message of a chat.
public struct ChatMessage: Sendable, Hashable, Codable {
    public enum Role: String, Sendable, Hashable, Codable {
        case system, user, assistant
    }

    public var role: Role
    public var content: String

    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }
}
