import Foundation

/// OpenAI Chat Completions (`POST {base_url}/chat/completions`), as spoken by OpenAI itself,
/// Azure OpenAI (deployment URLs) and OpenAI-compatible hosts: OpenRouter, Together, Groq,
/// Fireworks, DeepInfra, vLLM, Ollama, llama.cpp, LM Studio, LiteLLM proxy. Replies are read in
/// `+Reply` (and `+FastDecoding`), errors in `+Errors`, rate-limit headers in `+RateLimits`.
struct OpenAIChatCompletions: WireFormat {
    func request(for chat: ChatRequest, model: ModelEntry, baseURL: String, apiKey: String?) -> HTTPRequest {
        var headers = [HTTPHeader("Content-Type", "application/json"),
                       HTTPHeader("Accept", model.stream ? "text/event-stream" : "application/json")]
        let url: String
        if model.provider == .azureOpenAI {
            let deployment = (model.deployment ?? model.model)
                .addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? model.model
            url = "\(baseURL)/openai/deployments/\(deployment)/chat/completions?api-version=\(model.apiVersion ?? "2024-10-21")"
            if let apiKey { headers.append(HTTPHeader("api-key", apiKey)) }
        } else {
            url = baseURL + "/chat/completions"
            if let apiKey { headers.append(HTTPHeader("Authorization", "Bearer \(apiKey)")) }
        }
        return HTTPRequest(method: "POST", url: url, headers: headers, body: Self.body(for: chat, model: model))
    }

    /// The request body's members: the chat, then the catalog's `extra_body`, which wins a clash.
    static func bodyObject(for chat: ChatRequest, model: ModelEntry) -> [String: JSONValue] {
        var body: [String: JSONValue] = [
            "messages": .array(chat.messages.map { .object(["role": .string($0.role.rawValue), "content": content(of: $0)]) }),
            "temperature": .number(chat.temperature),
            model.resolvedMaxTokensField.rawValue: .integer(chat.maxTokens),
        ]
        // Azure routes by deployment; everyone else by the `model` field.
        if model.provider != .azureOpenAI { body["model"] = .string(model.model) }
        if model.stream {
            body["stream"] = .bool(true)
            if model.preset?.needsStreamUsageRequest ?? true {
                body["stream_options"] = .object(["include_usage": .bool(true)])
            }
        }
        body.merge(structuredMembers(for: chat, model: model)) { _, structured in structured }
        // The sampled tokens' logprobs come back in `choices[].logprobs.content[].logprob`.
        if chat.logprobs { body["logprobs"] = .bool(true) }
        body.merge(model.extraBody) { _, extra in extra }
        return body
    }

    /// A message's `content`: its text, or with images the documented parts list, the text
    /// first, then each image as an inline `data:` URL.
    static func content(of message: ChatMessage) -> JSONValue {
        guard !message.images.isEmpty else { return .string(message.content) }
        var parts: [JSONValue] = []
        if !message.content.isEmpty {
            parts.append(.object(["type": .string("text"), "text": .string(message.content)]))
        }
        for image in message.images {
            parts.append(.object(["type": .string("image_url"), "image_url": .object(["url": .string(image.dataURL)])]))
        }
        return .array(parts)
    }

    /// `bodyObject` as `encodeJSON` writes it, written straight from the chat: building the
    /// dictionary (an object per message) cost as much as writing it. Falls back to the
    /// dictionary for what the writer refuses (a non-finite temperature, deep extras).
    static func body(for chat: ChatRequest, model: ModelEntry) -> Data {
        // Tools, schemas, images and logprobs are rare: the dictionary writes them.
        if chat.isStructured || chat.hasImages || chat.logprobs { return encodeJSON(bodyObject(for: chat, model: model)) }
        enum Member {
            case messages, temperature, maxTokens, model, stream, streamOptions
            case extra(JSONValue)
        }
        // Tradeoff's own members, already in the UTF-8 order of their keys (both output-limit
        // names sort before "messages"): only a body with extra members needs sorting.
        var members: [(key: String, value: Member)] = [(model.resolvedMaxTokensField.rawValue, .maxTokens),
                                                       ("messages", .messages)]
        if model.provider != .azureOpenAI { members.append(("model", .model)) }
        if model.stream {
            members.append(("stream", .stream))
            if model.preset?.needsStreamUsageRequest ?? true { members.append(("stream_options", .streamOptions)) }
        }
        members.append(("temperature", .temperature))
        if !model.extraBody.isEmpty {
            for (key, value) in model.extraBody {
                if let index = members.firstIndex(where: { $0.key == key }) {
                    members[index].value = .extra(value)
                } else {
                    members.append((key, .extra(value)))
                }
            }
            members.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        }

        var writer = JSONWriter(escapingSlashes: false, capacity: 128 + chat.messages.reduce(0) { $0 + $1.content.utf8.count })
        var written = writer.write(ascii: "{")
        for (index, member) in members.enumerated() where written {
            if index > 0 { writer.write(ascii: ",") }
            writer.write(member.key)
            writer.write(ascii: ":")
            switch member.value {
            case .messages:
                writer.write(ascii: "[")
                for (position, message) in chat.messages.enumerated() {
                    writer.write(ascii: position == 0 ? "{\"content\":" : ",{\"content\":")
                    writer.write(message.content)
                    writer.write(ascii: ",\"role\":")
                    writer.write(message.role.rawValue)
                    writer.write(ascii: "}")
                }
                writer.write(ascii: "]")
            case .temperature: written = writer.write(.number(chat.temperature))
            case .maxTokens: written = writer.write(.integer(chat.maxTokens))
            case .model: writer.write(model.model)
            case .stream: writer.write(ascii: "true")
            case .streamOptions: writer.write(ascii: "{\"include_usage\":true}")
            case .extra(let value): written = writer.write(value, depth: 1)
            }
        }
        writer.write(ascii: "}")
        return written ? Data(writer.bytes) : encodeJSON(bodyObject(for: chat, model: model))
    }
}
