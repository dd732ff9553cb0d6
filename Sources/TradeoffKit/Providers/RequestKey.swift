import Crypto
import Foundation

/// The response cache's key for a call: the SHA-256 of the request in a canonical form — the
/// wire format, the endpoint, the model, the messages (an image by its bytes' SHA-256), the
/// parameters (logprobs asked for or not), the extra body fields and headers, and the repeat index (so each of K repeats
/// is its own sample, cached apart).
///
/// Never the API key: the same question to the same model is the same answer whoever pays. Not
/// `stream`, `timeout` or the price either: they change how an answer is measured or costed,
/// not what it is.
///
/// The canonical form is JSON with keys in a fixed order; the model's part is written once per
/// model, so keying a run's calls costs a hash of each prompt, not an encoder per call. Stored
/// keys must stay comparable: change the form only with a new `version`.
public struct RequestKey: Sendable {
    private struct ModelPart: Encodable {
        var version = 1
        var provider: String
        var baseURL: String
        var model: String
        var deployment: String?
        var apiVersion: String?
        var maxTokensField: String?
        var extraBody: [String: JSONValue]
        var extraHeaders: [String: String]
    }

    /// The model's part of every key, as canonical JSON.
    private let prefix: [UInt8]

    /// The keys of `model`'s calls.
    public init(model: ModelEntry) {
        let part = ModelPart(provider: model.provider.rawValue, baseURL: model.resolvedBaseURL ?? model.baseURL,
                             model: model.model, deployment: model.deployment, apiVersion: model.apiVersion,
                             maxTokensField: model.maxTokensField?.rawValue, extraBody: model.extraBody,
                             extraHeaders: model.extraHeaders)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Plain strings and JSON values always encode.
        prefix = Array((try? encoder.encode(part)) ?? Data())
    }

    /// The key of `chat` sent as repeat `repeatIndex` of its case: 64 hex digits.
    public func hash(_ chat: ChatRequest, repeatIndex: Int) -> String {
        var text = ",\"messages\":["
        for (index, message) in chat.messages.enumerated() {
            if index > 0 { text += "," }
            text += "{\"content\":" + JSONTree.Node.quoted(message.content)
            // Images by their bytes' SHA-256 (never a path: the same path may hold another
            // picture tomorrow); written only when present, so text turns keep their keys.
            if !message.images.isEmpty {
                text += ",\"images\":[" + message.images.map { "\"\($0.sha256)\"" }.joined(separator: ",") + "]"
            }
            text += ",\"role\":\"" + message.role.rawValue + "\"}"
        }
        // The temperature's shortest round-trip text (`0.7`, not 0.69999...).
        text += "],\"max_tokens\":\(chat.maxTokens),\"repeat\":\(repeatIndex),\"temperature\":\(chat.temperature)"
        // Tools, the tool choice and the response format change the answer; written only when
        // present, so the keys of plain chats stay what they were.
        if chat.isStructured { text += ",\"structured\":" + Self.structuredPart(of: chat) }
        // Asking for logprobs changes the request and the reply; written only when asked, so
        // every other call keeps its key.
        if chat.logprobs { text += ",\"logprobs\":true" }
        text += "}"
        var hasher = SHA256()
        hasher.update(data: prefix)
        hasher.update(data: Array(text.utf8))
        return hasher.finalize().hexString
    }

    /// The tools (name, description, parameters), the tool choice and the response format, as
    /// canonical JSON.
    private static func structuredPart(of chat: ChatRequest) -> String {
        var members: [String: JSONValue] = [:]
        members["tools"] = .array(chat.tools.map { tool in
            .object(["name": .string(tool.name), "description": tool.description.map(JSONValue.string) ?? .null,
                     "parameters": tool.parameters])
        })
        if let choice = chat.toolChoice {
            if case .tool = choice {
                members["tool_choice"] = .object(["tool": .string(choice.text)])
            } else {
                members["tool_choice"] = .string(choice.text)
            }
        }
        if let format = chat.responseFormat {
            members["response_format"] = .object(["name": .string(format.name), "schema": format.schema])
        }
        return ToolCall.canonicalText(.object(members)) ?? "null"
    }
}
