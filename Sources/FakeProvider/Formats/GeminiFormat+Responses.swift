extension GeminiFormat {
    /// The text of the part marked `thought: true` that a thinking model sends before its answer.
    static let thoughtSummary = "**Working it out**\n\nReading the question and checking the answer before replying."

    func response(_ generation: Generation) -> JSONValue {
        var parts: [JSONValue] = []
        if generation.usage.reasoning > 0 { parts.append(thoughtPart) }
        if generation.toolCalls.isEmpty {
            parts.append(["text": .string(generation.answer)])
        } else {
            parts += Self.functionCallParts(generation)
        }
        return chunk(generation, parts: parts, finished: true, tokens: generation.logprobTokens)
    }

    /// Each event is a whole response holding the next piece of text; a last one with empty
    /// text carries the finish reason and the usage. A thinking model's thought comes first, alone.
    func stream(_ generation: Generation) -> EventStream {
        var events: [StreamEvent] = []
        if generation.usage.reasoning > 0 {
            events.append(.data(chunk(generation, parts: [thoughtPart], finished: false)))
        }
        let contentStart = events.count
        for piece in generation.pieces {
            events.append(.data(chunk(generation, parts: [["text": .string(piece)]], finished: false, tokens: [piece])))
        }
        // Function calls come whole, in one chunk, as Gemini streams them.
        if !generation.toolCalls.isEmpty {
            events.append(.data(chunk(generation, parts: Self.functionCallParts(generation), finished: false)))
        }
        let content = contentStart..<events.count
        events.append(.data(chunk(generation, parts: [["text": ""]], finished: true)))
        return EventStream(framing: sse ? .sseCRLF : .jsonArray, events: events, content: content)
    }

    /// A chunk holding only Google's error object, as a stream that fails after it started carries.
    func midStreamError(_ generation: Generation) -> StreamEvent {
        .data(["error": ["code": 503, "message": "The model is overloaded. Please try again later.",
                         "status": "UNAVAILABLE"]])
    }

    private var thoughtPart: JSONValue {
        ["text": .string(Self.thoughtSummary), "thought": true]
    }

    /// One response (or stream chunk); with logprobs asked for and text `tokens` in it, their
    /// `logprobsResult` and `avgLogprobs` too.
    private func chunk(_ generation: Generation, parts: [JSONValue], finished: Bool, tokens: [String] = []) -> JSONValue {
        var candidate: [(String, JSONValue)] = [("content", ["parts": .array(parts), "role": "model"])]
        if finished { candidate.append(("finishReason", generation.isTruncated ? "MAX_TOKENS" : "STOP")) }
        if generation.request.logprobs, generation.toolCalls.isEmpty, !tokens.isEmpty {
            candidate.append(("avgLogprobs", .double(generation.tokenLogprob)))
            candidate.append(("logprobsResult", generation.geminiLogprobsResult(tokens)))
        }
        candidate.append(("index", 0))
        var fields: [(String, JSONValue)] = [("candidates", [.object(candidate)])]
        if finished { fields.append(("usageMetadata", usageMetadata(generation))) }
        fields += [("modelVersion", .string(generation.request.model)), ("responseId", .string(generation.id))]
        return .object(fields)
    }

    /// Google's usage: `promptTokenCount` includes the cached part, `candidatesTokenCount`
    /// excludes the thoughts; the cache and thought counts appear only when not zero.
    private func usageMetadata(_ generation: Generation) -> JSONValue {
        let usage = generation.usage
        var fields: [(String, JSONValue)] = [
            ("promptTokenCount", .int(usage.prompt)),
            ("candidatesTokenCount", .int(usage.answer)),
            ("totalTokenCount", .int(usage.total)),
        ]
        if usage.cacheRead > 0 { fields.append(("cachedContentTokenCount", .int(usage.cacheRead))) }
        fields.append(("promptTokensDetails", [["modality": "TEXT", "tokenCount": .int(usage.prompt)]]))
        if usage.reasoning > 0 { fields.append(("thoughtsTokenCount", .int(usage.reasoning))) }
        return .object(fields)
    }
}
