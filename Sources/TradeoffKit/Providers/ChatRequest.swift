/// What Tradeoff asks of a model, independent of any provider's wire format.
public struct ChatRequest: Sendable, Hashable, Codable {
    public var messages: [ChatMessage]
    public var temperature: Double
    public var maxTokens: Int

    public init(messages: [ChatMessage], temperature: Double, maxTokens: Int) {
        self.messages = messages
        self.temperature = temperature
        self.maxTokens = maxTokens
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

/// A model's answer as read off the provider's response.
public struct ProviderReply: Sendable, Hashable {
    /// The answer text.
    public var text: String
    /// Token usage, reported by the provider or estimated when it sent none.
    public var usage: Usage
    /// The finish reason as the provider sent it (`stop`, `length`, ...).
    public var finishReason: String?
    /// The model that actually served the call, as the provider names it.
    public var servedModel: String?
    /// The provider's request id (response header or body), for support tickets.
    public var requestID: String?

    public init(text: String, usage: Usage, finishReason: String?, servedModel: String?, requestID: String?) {
        self.text = text
        self.usage = usage
        self.finishReason = finishReason
        self.servedModel = servedModel
        self.requestID = requestID
    }
}

/// Token counts of one call, in the parts that are priced differently.
public struct Usage: Sendable, Hashable, Codable {
    /// Where the numbers came from.
    public enum Source: String, Sendable, Hashable, Codable {
        /// Read off the provider's response.
        case reported
        /// The provider sent none: estimated at about 4 characters per token.
        case estimated
    }

    /// All input tokens, cached ones included.
    public var inputTokens: Int
    /// The part of `inputTokens` read from the provider's prompt cache.
    public var cachedInputTokens: Int
    /// Output tokens billed (reasoning included).
    public var outputTokens: Int
    public var source: Source

    public init(inputTokens: Int, cachedInputTokens: Int = 0, outputTokens: Int, source: Source) {
        self.inputTokens = inputTokens
        self.cachedInputTokens = cachedInputTokens
        self.outputTokens = outputTokens
        self.source = source
    }

    /// Estimates usage at about 4 characters per token, for providers that report none.
    public static func estimated(for request: ChatRequest, answer: String) -> Usage {
        func tokens(_ text: String) -> Int { max(1, (text.utf8.count + 3) / 4) }
        let input = request.messages.reduce(0) { $0 + tokens($1.content) + 3 }
        return Usage(inputTokens: input, outputTokens: tokens(answer), source: .estimated)
    }
}
