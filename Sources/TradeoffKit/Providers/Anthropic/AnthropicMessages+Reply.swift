import Foundation

extension AnthropicMessages {
    struct UsageBlock: Decodable {
        var input_tokens: Int?
        var output_tokens: Int?
        var cache_creation_input_tokens: Int?
        var cache_read_input_tokens: Int?
        /// The split of the cache writes by how long they last.
        var cache_creation: CacheCreation?

        struct CacheCreation: Decodable {
            var ephemeral_5m_input_tokens: Int?
            var ephemeral_1h_input_tokens: Int?
        }

        /// Streamed usage is cumulative and may arrive in parts: later values win, per field.
        mutating func merge(_ other: UsageBlock) {
            input_tokens = other.input_tokens ?? input_tokens
            output_tokens = other.output_tokens ?? output_tokens
            cache_creation_input_tokens = other.cache_creation_input_tokens ?? cache_creation_input_tokens
            cache_read_input_tokens = other.cache_read_input_tokens ?? cache_read_input_tokens
            cache_creation = other.cache_creation ?? cache_creation
        }

        /// `input_tokens` excludes cache reads and writes; thinking is inside `output_tokens`. The
        /// writes are `cache_creation_input_tokens`, of which `cache_creation` tells the 1-hour
        /// part (billed 2× input, the 5-minute part 1.25×); without the split all are 5-minute.
        var usage: Usage? {
            guard let input_tokens, let output_tokens else { return nil }
            let oneHour = cache_creation?.ephemeral_1h_input_tokens ?? 0
            let writes = cache_creation_input_tokens
                ?? cache_creation.map { ($0.ephemeral_5m_input_tokens ?? 0) + oneHour } ?? 0
            return Usage(uncachedInputTokens: input_tokens, cacheReadTokens: cache_read_input_tokens ?? 0,
                         cacheWriteTokens: max(writes, oneHour), cacheWrite1hTokens: oneHour,
                         outputTokens: output_tokens, source: .reported)
        }
    }

    struct Message: Decodable {
        struct Block: Decodable {
            var type: String?
            var text: String?
            var name: String?
            var input: JSONValue?
        }
        var id: String?
        var model: String?
        var content: [Block]?
        var stop_reason: String?
        var usage: UsageBlock?
    }

    struct Event: Decodable {
        struct Delta: Decodable {
            var type: String?
            var text: String?
            var partial_json: String?
            var stop_reason: String?
        }
        var type: String?
        var index: Int?
        var content_block: Message.Block?
        var message: Message?
        var delta: Delta?
        var usage: UsageBlock?
        var error: ErrorBody.Detail?
    }

    /// Where usage is in this format's replies: the message's and `message_delta`'s `usage`.
    static let usageKeys: Set = ["usage"]

    func reply(from response: HTTPResponse, for chat: ChatRequest, model: ModelEntry, streamed: Bool)
        -> Result<ProviderReply, CallError> {
        let isStream = response.isEventStream(requested: streamed)
        return isStream ? streamReply(from: response, for: chat) : completeReply(from: response, for: chat)
    }

    private func completeReply(from response: HTTPResponse, for chat: ChatRequest) -> Result<ProviderReply, CallError> {
        let requestID = self.requestID(in: response.headers)
        guard let decoded = ReplyJSON.decode(Message.self, from: response.body, usageKeys: Self.usageKeys),
              let content = decoded.value.content else {
            return .failure(CallError(.malformedResponse, "response body is not a message: \(response.bodySnippet)",
                                      httpStatus: response.status, requestID: requestID))
        }
        let message = decoded.value
        let calls = content.filter { $0.type == "tool_use" }.map { ToolCall(name: $0.name ?? "", value: $0.input ?? .object([:])) }
        let (text, toolCalls) = Self.answer(text: content.filter { $0.type == "text" }.compactMap(\.text).joined(),
                                            calls: calls, for: chat)
        var usage = message.usage?.usage ?? .estimated(for: chat, answer: text)
        if decoded.usageUnreadable && usage.source == .estimated { usage.untrustedReason = ReplyJSON.unreadableUsage }
        var reply = ProviderReply(text: text, usage: usage,
                                  finish: Self.finish(message.stop_reason, for: chat),
                                  finishReasonRaw: message.stop_reason, servedModel: message.model,
                                  requestID: requestID ?? message.id)
        reply.toolCalls = toolCalls
        return .success(reply)
    }

    private func streamReply(from response: HTTPResponse, for chat: ChatRequest) -> Result<ProviderReply, CallError> {
        let requestID = self.requestID(in: response.headers)
        var text = ""
        var tools = ToolUseAssembly()
        var usage = UsageBlock()
        var stopReason: String?
        var message: Message?
        var firstContentOffset: Int?
        var lastOffset: Int?
        var stopped = false
        var usageUnreadable = false
        for event in ServerSentEvents.parse(response.body) {
            if event.name == "ping" { continue }
            lastOffset = event.endOffset
            guard let decoded = ReplyJSON.decode(Event.self, from: Data(event.data.utf8), usageKeys: Self.usageKeys) else {
                return .failure(CallError(.malformedResponse, "stream event is not JSON: \(event.data.prefix(200))",
                                          httpStatus: response.status, requestID: requestID, billedUsage: usage.usage))
            }
            let payload = decoded.value
            if decoded.usageUnreadable { usageUnreadable = true }
            switch event.name ?? payload.type {
            case "message_start":
                message = payload.message
                if let start = payload.message?.usage { usage.merge(start) }
            case "content_block_start":
                if let block = payload.content_block, block.type == "tool_use" {
                    if firstContentOffset == nil { firstContentOffset = event.endOffset }
                    tools.start(block, at: payload.index ?? 0)
                }
            case "content_block_delta":
                if payload.delta?.type == "text_delta", let piece = payload.delta?.text, !piece.isEmpty {
                    if firstContentOffset == nil { firstContentOffset = event.endOffset }
                    text += piece
                } else if payload.delta?.type == "input_json_delta", let piece = payload.delta?.partial_json {
                    tools.append(piece, at: payload.index ?? 0)
                }
            case "message_delta":
                stopReason = payload.delta?.stop_reason ?? stopReason
                if let delta = payload.usage { usage.merge(delta) }
            case "message_stop":
                stopped = true
            case "error":
                return .failure(streamError(payload.error, status: response.status, requestID: requestID ?? message?.id,
                                            usage: usage.usage))
            default:
                break
            }
        }
        guard stopped else {
            return .failure(CallError(.cutStream, "the stream ended before message_stop", httpStatus: response.status,
                                      requestID: requestID ?? message?.id, billedUsage: usage.usage))
        }
        let (answer, toolCalls) = Self.answer(text: text, calls: tools.toolCalls, for: chat)
        var counted = usage.usage ?? .estimated(for: chat, answer: answer)
        if usageUnreadable && counted.source == .estimated { counted.untrustedReason = ReplyJSON.unreadableUsage }
        var reply = ProviderReply(
            text: answer, usage: counted,
            finish: Self.finish(stopReason, for: chat), finishReasonRaw: stopReason, servedModel: message?.model,
            requestID: requestID ?? message?.id,
            firstContentSeconds: firstContentOffset.flatMap(response.arrivalTime(forLength:)),
            lastChunkSeconds: lastOffset.flatMap(response.arrivalTime(forLength:)))
        reply.toolCalls = toolCalls
        return .success(reply)
    }
}
