import Foundation

extension OpenAIChatCompletions {
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

    struct Completion: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable {
                var content: String?
                var refusal: String?
                var tool_calls: [ToolCallBlock]?
            }
            var message: Message?
            var delta: Message?
            var finish_reason: String?
            /// `{content: [{token, logprob, ...}]}` when asked for; read leniently.
            var logprobs: LenientJSON?
        }
        struct Groq: Decodable { var usage: UsageBlock? }
        var id: String?
        var model: String?
        var provider: String?
        var choices: [Choice]?
        var usage: UsageBlock?
        var x_groq: Groq?
        var error: ErrorBody.Detail?
    }

    /// Where usage is in this format's replies: `usage`, and Groq's `x_groq.usage`.
    static let usageKeys: Set = ["usage"]

    func reply(from response: HTTPResponse, for chat: ChatRequest, model: ModelEntry, streamed: Bool)
        -> Result<ProviderReply, CallError> {
        let isStream = response.isEventStream(requested: streamed)
        // Switched on as it comes, so the reply is moved, not copied, to be amended.
        switch isStream ? streamReply(from: response, for: chat) : completeReply(from: response, for: chat) {
        case .failure(let error):
            return .failure(error)
        case .success(var reply):
            // LiteLLM proxy: the upstream model and its priced charge come as headers.
            if let upstream = response.headers["x-litellm-model-name"] { reply.servedModel = upstream }
            if reply.reportedCostMicros == nil, let text = response.headers["x-litellm-response-cost"],
               let usd = Decimal(string: text.trimmingCharacters(in: .whitespaces)) {
                reply.reportedCostMicros = Money.micros(dollars: usd)
            }
            return .success(reply)
        }
    }

    private func completeReply(from response: HTTPResponse, for chat: ChatRequest) -> Result<ProviderReply, CallError> {
        let requestID = self.requestID(in: response.headers)
        var usageUnreadable = false
        let completion: Completion
        if let fast = Completion.fastDecoded(from: response.body) {
            completion = fast
        } else if let decoded = ReplyJSON.decode(Completion.self, from: response.body, usageKeys: Self.usageKeys) {
            (completion, usageUnreadable) = (decoded.value, decoded.usageUnreadable)
        } else {
            return .failure(CallError(.malformedResponse, "response body is not a chat completion: \(response.bodySnippet)",
                                      httpStatus: response.status, requestID: requestID))
        }
        if let error = completion.error {
            return .failure(inBandError(error, status: response.status, requestID: requestID ?? completion.id,
                                        usage: completion.usage?.usage))
        }
        guard let choice = completion.choices?.first, let message = choice.message,
              message.content != nil || message.refusal != nil || message.tool_calls != nil else {
            return .failure(CallError(.malformedResponse, "response has no choices[0].message.content",
                                      httpStatus: response.status, requestID: requestID ?? completion.id))
        }
        let text = message.content ?? message.refusal ?? ""
        let toolCalls = (message.tool_calls ?? []).map {
            ToolCall(name: $0.function?.name ?? "", arguments: $0.function?.arguments ?? "")
        }
        var usage = (completion.usage ?? completion.x_groq?.usage)?.usage
            ?? .estimated(for: chat, answer: text + toolCalls.map { $0.name + $0.arguments }.joined())
        if usageUnreadable && usage.source == .estimated { usage.untrustedReason = ReplyJSON.unreadableUsage }
        var finish = choice.finish_reason.map(FinishReason.init(raw:))
        if message.refusal != nil && message.content == nil { finish = .contentFilter }
        var reply = ProviderReply(text: text, usage: usage, finish: finish, finishReasonRaw: choice.finish_reason,
                                  servedModel: completion.model, servingProvider: completion.provider,
                                  requestID: requestID ?? completion.id,
                                  reportedCostMicros: completion.usage?.cost.map { Money.micros(dollars: $0) })
        reply.toolCalls = toolCalls
        if chat.logprobs {
            var tally = LogprobTally()
            Self.tally(choice.logprobs, into: &tally, at: "choices[0].logprobs")
            reply.logprobs = tally.logprobs
        }
        return .success(reply)
    }

    /// Adds a choice's `logprobs.content[].logprob` (a whole reply's, or one stream chunk's) to
    /// `tally`; absent or null logprobs add nothing.
    static func tally(_ logprobs: LenientJSON?, into tally: inout LogprobTally, at path: String) {
        guard let logprobs else { return }
        guard let value = logprobs.value else {
            return tally.fail("\(path) could not be read (a number out of range?)")
        }
        switch value {
        case .null:
            return
        case .object(let members):
            switch members["content"] {
            case nil, .null?:
                return
            case .array(let tokens)?:
                for (index, token) in tokens.enumerated() {
                    guard case .object(let fields) = token else {
                        tally.fail("\(path).content[\(index)] is not an object")
                        return
                    }
                    tally.add(fields["logprob"], at: "\(path).content[\(index)].logprob")
                }
            default:
                tally.fail("\(path).content is not a list")
            }
        default:
            tally.fail("\(path) is not an object")
        }
    }

    private func streamReply(from response: HTTPResponse, for chat: ChatRequest) -> Result<ProviderReply, CallError> {
        let requestID = self.requestID(in: response.headers)
        var text = ""
        var refusal = ""
        var tools = ToolCallAssembly()
        var finishRaw: String?
        var usageBlock: UsageBlock?
        var servedModel: String?
        var servingProvider: String?
        var id: String?
        var firstContentOffset: Int?
        var lastOffset: Int?
        var done = false
        var usageUnreadable = false
        var failure: CallError?
        var logprobs = LogprobTally()
        // Events are read in place: a chunk becomes a String only when the decoder has to read it.
        response.body.withUnsafeBytes { body in
            ServerSentEvents.forEachEvent(in: body.bindMemory(to: UInt8.self)) { _, data, endOffset in
                lastOffset = endOffset
                if data.elementsEqual("[DONE]".utf8) {
                    done = true
                    return false
                }
                let decoded = Completion.fastDecoded(from: UnsafeRawBufferPointer(data))
                    .map { ReplyJSON.Decoded(value: $0, usageUnreadable: false) }
                    ?? ReplyJSON.decode(Completion.self, from: UnsafeRawBufferPointer(data), usageKeys: Self.usageKeys)
                guard let decoded else {
                    failure = CallError(.malformedResponse,
                                        "stream chunk is not JSON: \(String(decoding: data, as: UTF8.self).prefix(200))",
                                        httpStatus: response.status, requestID: requestID ?? id, billedUsage: usageBlock?.usage)
                    return false
                }
                let chunk = decoded.value
                if decoded.usageUnreadable { usageUnreadable = true }
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
                    for (position, delta) in (choice.delta?.tool_calls ?? []).enumerated() {
                        if firstContentOffset == nil { firstContentOffset = endOffset }
                        tools.add(delta, position: position)
                    }
                    if let reason = choice.finish_reason { finishRaw = reason }
                    if chat.logprobs { Self.tally(choice.logprobs, into: &logprobs, at: "a chunk's choices[].logprobs") }
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
        let toolCalls = tools.toolCalls
        var usage = usageBlock?.usage
            ?? .estimated(for: chat, answer: answer + toolCalls.map { $0.name + $0.arguments }.joined())
        if usageUnreadable && usage.source == .estimated { usage.untrustedReason = ReplyJSON.unreadableUsage }
        var reply = ProviderReply(
            text: answer, usage: usage, finish: finish,
            finishReasonRaw: finishRaw, servedModel: servedModel, servingProvider: servingProvider,
            requestID: requestID ?? id, reportedCostMicros: usageBlock?.cost.map { Money.micros(dollars: $0) },
            firstContentSeconds: firstContentOffset.flatMap(response.arrivalTime(forLength:)),
            lastChunkSeconds: lastOffset.flatMap(response.arrivalTime(forLength:)))
        reply.toolCalls = toolCalls
        if chat.logprobs { reply.logprobs = logprobs.logprobs }
        return .success(reply)
    }
}
