import Foundation

/// OpenAI Chat Completions (`POST {base_url}/chat/completions`), as spoken by OpenAI itself,
/// Azure OpenAI (deployment URLs) and OpenAI-compatible hosts: OpenRouter, Together, Groq,
/// Fireworks, DeepInfra, vLLM, Ollama, llama.cpp, LM Studio, LiteLLM proxy.
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
            "messages": .array(chat.messages.map { .object(["role": .string($0.role.rawValue), "content": .string($0.content)]) }),
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
        body.merge(model.extraBody) { _, extra in extra }
        return body
    }

    /// `bodyObject` as `encodeJSON` writes it, written straight from the chat: building the
    /// dictionary (an object per message) cost as much as writing it. Falls back to the
    /// dictionary for what the writer refuses (a non-finite temperature, deep extras).
    static func body(for chat: ChatRequest, model: ModelEntry) -> Data {
        enum Member {
            case messages, temperature, maxTokens, model, stream, streamOptions
            case extra(JSONValue)
        }
        var members: [(key: String, value: Member)] = [("messages", .messages), ("temperature", .temperature),
                                                       (model.resolvedMaxTokensField.rawValue, .maxTokens)]
        if model.provider != .azureOpenAI { members.append(("model", .model)) }
        if model.stream {
            members.append(("stream", .stream))
            if model.preset?.needsStreamUsageRequest ?? true { members.append(("stream_options", .streamOptions)) }
        }
        for (key, value) in model.extraBody {
            if let index = members.firstIndex(where: { $0.key == key }) {
                members[index].value = .extra(value)
            } else {
                members.append((key, .extra(value)))
            }
        }
        members.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }

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

    // MARK: - Replies

    struct UsageBlock: Decodable {
        struct PromptDetails: Decodable { var cached_tokens: Int? }
        struct CompletionDetails: Decodable { var reasoning_tokens: Int? }
        var prompt_tokens: Int?
        var completion_tokens: Int?
        var prompt_tokens_details: PromptDetails?
        var completion_tokens_details: CompletionDetails?
        /// OpenRouter: the charge in USD.
        var cost: Decimal?

        var usage: Usage? {
            guard let prompt_tokens, let completion_tokens else { return nil }
            return Usage(inputTokens: prompt_tokens, cachedInputTokens: prompt_tokens_details?.cached_tokens ?? 0,
                         outputTokens: completion_tokens,
                         reasoningTokens: completion_tokens_details?.reasoning_tokens ?? 0, source: .reported)
        }
    }

    struct ErrorBlock: Decodable {
        var message: String?
        var code: JSONValue?
        var type: String?
    }

    struct Completion: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable {
                var content: String?
                var refusal: String?
            }
            var message: Message?
            var delta: Message?
            var finish_reason: String?
        }
        struct Groq: Decodable { var usage: UsageBlock? }
        var id: String?
        var model: String?
        var provider: String?
        var choices: [Choice]?
        var usage: UsageBlock?
        var x_groq: Groq?
        var error: ErrorBlock?
    }

    func reply(from response: HTTPResponse, for chat: ChatRequest, model: ModelEntry, streamed: Bool)
        -> Result<ProviderReply, CallError> {
        let isStream = streamed && (response.headers["content-type"]?.hasPrefix("text/event-stream") ?? true)
        var result = isStream ? streamReply(from: response, for: chat) : completeReply(from: response, for: chat)
        // LiteLLM proxy: the upstream model and its priced charge come as headers.
        if case .success(var reply) = result {
            if let upstream = response.headers["x-litellm-model-name"] { reply.servedModel = upstream }
            if reply.reportedCostMicros == nil, let text = response.headers["x-litellm-response-cost"],
               let usd = Decimal(string: text.trimmingCharacters(in: .whitespaces)) {
                reply.reportedCostMicros = microdollars(fromUSD: usd)
            }
            result = .success(reply)
        }
        return result
    }

    private func completeReply(from response: HTTPResponse, for chat: ChatRequest) -> Result<ProviderReply, CallError> {
        let requestID = ErrorResponse.requestID(in: response.headers)
        let completion: Completion
        do {
            completion = try Completion.fastDecoded(from: response.body)
                ?? JSONDecoder().decode(Completion.self, from: response.body)
        } catch {
            return .failure(CallError(.malformedResponse, "response body is not a chat completion: \(ErrorResponse.snippet(of: response.body))",
                                      httpStatus: response.status, requestID: requestID))
        }
        if let error = completion.error {
            return .failure(inBandError(error, status: response.status, requestID: requestID ?? completion.id,
                                        usage: completion.usage?.usage))
        }
        guard let choice = completion.choices?.first, let message = choice.message,
              message.content != nil || message.refusal != nil else {
            return .failure(CallError(.malformedResponse, "response has no choices[0].message.content",
                                      httpStatus: response.status, requestID: requestID ?? completion.id))
        }
        let text = message.content ?? message.refusal ?? ""
        let usage = (completion.usage ?? completion.x_groq?.usage)?.usage ?? .estimated(for: chat, answer: text)
        var finish = choice.finish_reason.map(FinishReason.init(raw:))
        if message.refusal != nil && message.content == nil { finish = .contentFilter }
        return .success(ProviderReply(text: text, usage: usage, finish: finish, finishReasonRaw: choice.finish_reason,
                                      servedModel: completion.model, servingProvider: completion.provider,
                                      requestID: requestID ?? completion.id,
                                      reportedCostMicros: completion.usage?.cost.map(microdollars(fromUSD:))))
    }

    private func streamReply(from response: HTTPResponse, for chat: ChatRequest) -> Result<ProviderReply, CallError> {
        let requestID = ErrorResponse.requestID(in: response.headers)
        var text = ""
        var refusal = ""
        var finishRaw: String?
        var usageBlock: UsageBlock?
        var servedModel: String?
        var servingProvider: String?
        var id: String?
        var firstContentOffset: Int?
        var lastOffset: Int?
        var done = false
        var failure: CallError?
        // Events are read in place: a chunk becomes a String only when the decoder has to read it.
        response.body.withUnsafeBytes { body in
            ServerSentEvents.forEachEvent(in: body.bindMemory(to: UInt8.self)) { _, data, endOffset in
                lastOffset = endOffset
                if data.elementsEqual("[DONE]".utf8) {
                    done = true
                    return false
                }
                guard let chunk = Completion.fastDecoded(from: UnsafeRawBufferPointer(data))
                        ?? (try? JSONDecoder().decode(Completion.self, from: Data(String(decoding: data, as: UTF8.self).utf8))) else {
                    failure = CallError(.malformedResponse,
                                        "stream chunk is not JSON: \(String(decoding: data, as: UTF8.self).prefix(200))",
                                        httpStatus: response.status, requestID: requestID ?? id, billedUsage: usageBlock?.usage)
                    return false
                }
                id = id ?? chunk.id
                servedModel = chunk.model ?? servedModel
                servingProvider = chunk.provider ?? servingProvider
                // Usage comes on whichever chunk carries it (a final `choices: []` chunk for OpenAI,
                // a chunk with choices for OpenRouter and LiteLLM, `x_groq.usage` for Groq).
                if let usage = chunk.usage ?? chunk.x_groq?.usage, usage.prompt_tokens != nil { usageBlock = usage }
                if let error = chunk.error {
                    failure = inBandError(error, status: response.status, requestID: requestID ?? id, usage: usageBlock?.usage)
                    return false
                }
                for choice in chunk.choices ?? [] {
                    if let piece = choice.delta?.content, !piece.isEmpty {
                        if firstContentOffset == nil { firstContentOffset = endOffset }
                        text += piece
                    }
                    if let piece = choice.delta?.refusal { refusal += piece }
                    if let reason = choice.finish_reason { finishRaw = reason }
                }
                return true
            }
        }
        if let failure { return .failure(failure) }
        if finishRaw == "error" {
            return .failure(CallError(.server, "the provider ended the stream with finish_reason 'error'",
                                      httpStatus: response.status, requestID: requestID ?? id, billedUsage: usageBlock?.usage))
        }
        guard done || finishRaw != nil else {
            return .failure(CallError(.cutStream, "the stream ended before its final chunk ([DONE])",
                                      httpStatus: response.status, requestID: requestID ?? id, billedUsage: usageBlock?.usage))
        }
        let answer = text.isEmpty && !refusal.isEmpty ? refusal : text
        var finish = finishRaw.map(FinishReason.init(raw:))
        if text.isEmpty && !refusal.isEmpty { finish = .contentFilter }
        return .success(ProviderReply(
            text: answer, usage: usageBlock?.usage ?? .estimated(for: chat, answer: answer), finish: finish,
            finishReasonRaw: finishRaw, servedModel: servedModel, servingProvider: servingProvider,
            requestID: requestID ?? id, reportedCostMicros: usageBlock?.cost.map(microdollars(fromUSD:)),
            firstContentSeconds: firstContentOffset.flatMap(response.arrivalTime(forLength:)),
            lastChunkSeconds: lastOffset.flatMap(response.arrivalTime(forLength:))))
    }

    /// An `error` object inside a 200 response (OpenRouter sends these mid-stream): a server
    /// fault, retried like one.
    private func inBandError(_ error: ErrorBlock, status: Int, requestID: String?, usage: Usage?) -> CallError {
        let code: Int? = switch error.code {
        case .integer(let value): value
        case .string(let text): Int(text)
        default: nil
        }
        var kind: CallError.Kind = code.map(CallError.kind(forStatus:)) ?? .server
        if kind == .http { kind = .server }
        if error.type == "overloaded_error" || code == 529 { kind = .overloaded }
        return CallError(kind, error.message ?? "the provider sent an error inside a 200 response",
                         httpStatus: status, requestID: requestID, billedUsage: usage)
    }
}

/// Encodes a JSON object with sorted keys (stable bodies, so requests are reproducible).
func encodeJSON(_ object: [String: JSONValue]) -> Data {
    // Plain strings, finite numbers and containers always encode (as JSONEncoder would trap on
    // the rest, so does this).
    try! JSONWriter.encode(object)
}
