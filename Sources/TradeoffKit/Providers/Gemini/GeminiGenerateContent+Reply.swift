import Foundation

extension GeminiGenerateContent {
    struct UsageMetadata: Decodable {
        var promptTokenCount: Int?
        var cachedContentTokenCount: Int?
        var candidatesTokenCount: Int?
        var thoughtsTokenCount: Int?

        /// The prompt count includes cached tokens; output is candidates plus thoughts.
        var usage: Usage? {
            guard let promptTokenCount else { return nil }
            let thoughts = thoughtsTokenCount ?? 0
            // Hostile counts must not trap: a sum past Int.max stays there (and fails `UsageCheck`).
            let (output, overflow) = (candidatesTokenCount ?? 0).addingReportingOverflow(thoughts)
            return Usage(inputTokens: promptTokenCount, cachedInputTokens: cachedContentTokenCount ?? 0,
                         outputTokens: overflow ? .max : output, reasoningTokens: thoughts, source: .reported)
        }
    }

    struct Response: Decodable {
        struct Candidate: Decodable {
            struct Content: Decodable {
                struct Part: Decodable {
                    struct FunctionCall: Decodable {
                        var name: String?
                        var args: JSONValue?
                    }
                    var text: String?
                    var thought: Bool?
                    var functionCall: FunctionCall?
                }
                var parts: [Part]?
            }
            var content: Content?
            var finishReason: String?
            /// The mean logprob of the candidate's tokens, when asked for; read leniently.
            var avgLogprobs: LenientJSON?
            /// `{chosenCandidates: [{token, logProbability}], ...}`, when asked for; read leniently.
            var logprobsResult: LenientJSON?
        }
        struct Feedback: Decodable { var blockReason: String? }
        var candidates: [Candidate]?
        var promptFeedback: Feedback?
        var usageMetadata: UsageMetadata?
        var modelVersion: String?
        var responseId: String?

        /// The answer's text: every part but the model's thoughts.
        var text: String {
            (candidates?.first?.content?.parts ?? []).filter { $0.thought != true }.compactMap(\.text).joined()
        }

        /// The function calls of the answer, in order.
        var toolCalls: [ToolCall] {
            (candidates?.first?.content?.parts ?? []).compactMap(\.functionCall).map {
                ToolCall(name: $0.name ?? "", value: $0.args ?? .object([:]))
            }
        }
    }

    /// Where usage is in this format's replies.
    static let usageKeys: Set = ["usageMetadata"]

    func reply(from response: HTTPResponse, for chat: ChatRequest, model: ModelEntry, streamed: Bool)
        -> Result<ProviderReply, CallError> {
        let requestID = self.requestID(in: response.headers)
        var chunks: [(Response, Int)] = []
        var usageUnreadable = false
        let isStream = response.isEventStream(requested: streamed)
        if isStream {
            for event in ServerSentEvents.parse(response.body) {
                guard let decoded = ReplyJSON.decode(Response.self, from: Data(event.data.utf8), usageKeys: Self.usageKeys)
                else {
                    return .failure(CallError(.malformedResponse, "stream chunk is not JSON: \(event.data.prefix(200))",
                                              httpStatus: response.status, requestID: requestID,
                                              billedUsage: chunks.last?.0.usageMetadata?.usage))
                }
                if decoded.usageUnreadable { usageUnreadable = true }
                chunks.append((decoded.value, event.endOffset))
            }
        } else {
            guard let whole = ReplyJSON.decode(Response.self, from: response.body, usageKeys: Self.usageKeys) else {
                return .failure(CallError(.malformedResponse, "response body is not a GenerateContentResponse: \(response.bodySnippet)",
                                          httpStatus: response.status, requestID: requestID))
            }
            usageUnreadable = whole.usageUnreadable
            chunks.append((whole.value, response.body.count))
        }

        let usage = chunks.lazy.reversed().compactMap { $0.0.usageMetadata?.usage }.first
        let responseID = requestID ?? chunks.first?.0.responseId
        if let blocked = chunks.lazy.compactMap({ $0.0.promptFeedback?.blockReason }).first,
           chunks.allSatisfy({ ($0.0.candidates ?? []).isEmpty }) {
            return .failure(CallError(.contentFiltered, "the prompt was blocked (\(blocked))", httpStatus: response.status,
                                      requestID: responseID, billedUsage: usage))
        }
        let finishRaw = chunks.lazy.reversed().compactMap { $0.0.candidates?.first?.finishReason }.first
        guard finishRaw != nil else {
            return .failure(CallError(isStream ? .cutStream : .malformedResponse,
                                      isStream ? "the stream ended before a chunk with finishReason"
                                               : "response has no candidates[0].finishReason",
                                      httpStatus: response.status, requestID: responseID, billedUsage: usage))
        }
        let text = chunks.map(\.0.text).joined()
        let toolCalls = chunks.flatMap(\.0.toolCalls)
        let firstContent = chunks.first { !$0.0.text.isEmpty || !$0.0.toolCalls.isEmpty }?.1
        var counted = usage ?? .estimated(for: chat, answer: text + toolCalls.map { $0.name + $0.arguments }.joined())
        if usageUnreadable && counted.source == .estimated { counted.untrustedReason = ReplyJSON.unreadableUsage }
        // Gemini ends a turn of function calls with STOP: the calls say what it was.
        var finish = finishRaw.map(FinishReason.init(raw:))
        if !toolCalls.isEmpty && finish == .stop { finish = .toolCalls }
        var reply = ProviderReply(
            text: text, usage: counted,
            finish: finish, finishReasonRaw: finishRaw,
            servedModel: chunks.last?.0.modelVersion, requestID: responseID,
            firstContentSeconds: isStream ? firstContent.flatMap(response.arrivalTime(forLength:)) : nil,
            lastChunkSeconds: isStream ? chunks.last.flatMap { response.arrivalTime(forLength: $0.1) } : nil)
        reply.toolCalls = toolCalls
        if chat.logprobs { reply.logprobs = Self.logprobs(of: chunks.map(\.0)) }
        return .success(reply)
    }
}
