/// A non-streaming Chat Completions response body, exactly as OpenAI documents it.
struct ChatCompletion: Sendable, Hashable, Encodable {
    struct Choice: Sendable, Hashable, Encodable {
        var index: Int
        var message: Message
        var finishReason: String

        enum CodingKeys: String, CodingKey {
            case index, message
            case finishReason = "finish_reason"
        }
    }

    struct Message: Sendable, Hashable, Encodable {
        var role: String
        var content: String
    }

    struct Usage: Sendable, Hashable, Encodable {
        var promptTokens: Int
        var completionTokens: Int
        var totalTokens: Int

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
            case totalTokens = "total_tokens"
        }
    }

    var id: String
    var object = "chat.completion"
    var created: Int
    var model: String
    var choices: [Choice]
    var usage: Usage
}
