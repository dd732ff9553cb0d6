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
    /// Whether to ask for the answer's token logprobs (OpenAI's `logprobs`, Gemini's
    /// `responseLogprobs`): only for a case a `confidence` grader reads, since it changes the
    /// request (and so its cache key).
    public var logprobs = false

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

    /// Whether any message carries an image.
    public var hasImages: Bool { messages.contains { !$0.images.isEmpty } }

    /// The number of images over all messages.
    public var imageCount: Int { messages.reduce(0) { $0 + $1.images.count } }

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
    /// The text.
    public var content: String
    /// Images sent with the text, after it, in order (vision); empty for a text turn. Only
    /// user turns carry images (the suite loader refuses them elsewhere).
    public var images: [ChatImage] = []

    public init(role: Role, content: String, images: [ChatImage] = []) {
        self.role = role
        self.content = content
        self.images = images
    }
}
