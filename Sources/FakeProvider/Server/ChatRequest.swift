import Foundation

/// The parts of a Chat Completions request body the fake provider reads; other fields are
/// ignored, as OpenAI-compatible servers do.
struct ChatRequest: Sendable, Hashable {
    /// The `model` string.
    var model: String
    /// The messages, with text content.
    var messages: [ChatMessage]
    /// `max_completion_tokens`, else `max_tokens`, if given.
    var maxTokens: Int?

    /// The body as a JSON object, or the 400 OpenAI sends for a body it cannot parse.
    static func object(from body: [UInt8]) -> Result<[String: Any], APIError> {
        guard let value = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) else {
            return .failure(.invalidRequest(
                "We could not parse the JSON body of your request. The API expects a JSON payload, "
                    + "but what was sent was not valid JSON.",
                code: "invalid_json"))
        }
        guard let object = value as? [String: Any] else {
            return .failure(.invalidRequest("The request body must be a JSON object.", code: "invalid_json"))
        }
        return .success(object)
    }

    /// Validates a parsed body.
    static func decode(_ object: [String: Any]) -> Result<ChatRequest, APIError> {
        guard let model = object["model"] as? String, !model.isEmpty else {
            return .failure(.invalidRequest("You must provide a model parameter.", param: "model",
                                            code: "missing_required_parameter"))
        }
        guard let rawMessages = object["messages"] as? [Any], !rawMessages.isEmpty else {
            let message = object["messages"] == nil
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
            guard let content = text(of: fields["content"]) else {
                return .failure(.invalidRequest(
                    "Invalid 'messages[\(index)].content': expected a string or an array of content parts.",
                    param: "messages[\(index)].content", code: "invalid_type"))
            }
            messages.append(ChatMessage(role: role, content: content))
        }
        if let stream = object["stream"] as? Bool, stream {
            return .failure(.invalidRequest("The fake provider does not stream; send 'stream': false.",
                                            param: "stream", code: "unsupported_parameter"))
        }
        var maxTokens: Int?
        for key in ["max_completion_tokens", "max_tokens"] where maxTokens == nil {
            guard let raw = object[key], !(raw is NSNull) else { continue }
            guard let value = raw as? Int, value >= 1 else {
                return .failure(.invalidRequest("Invalid '\(key)': expected an integer of at least 1.",
                                                param: key, code: "invalid_value"))
            }
            maxTokens = value
        }
        return .success(ChatRequest(model: model, messages: messages, maxTokens: maxTokens))
    }

    /// Message content as text: a string, or the `text` of each content part joined by newlines.
    /// A null content (an assistant turn that only called tools) is empty.
    private static func text(of content: Any?) -> String? {
        guard let content, !(content is NSNull) else { return "" }
        if let text = content as? String { return text }
        guard let parts = content as? [Any] else { return nil }
        return parts.compactMap { ($0 as? [String: Any])?["text"] as? String }.joined(separator: "\n")
    }
}
