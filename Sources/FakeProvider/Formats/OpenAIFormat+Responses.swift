extension OpenAIFormat {
    /// The `provider` OpenRouter names in every response.
    static let openRouterProvider = "SimCloud"
    static let systemFingerprint = "fp_fake0001"

    func response(_ generation: Generation) -> JSONValue {
        let flavor = flavor(of: generation)
        var fields: [(String, JSONValue)] = [
            ("id", .string("chatcmpl-" + generation.id)),
            ("object", "chat.completion"),
            ("created", .int(generation.created)),
            ("model", .string(generation.request.model)),
        ]
        if flavor == .openrouter { fields.append(("provider", .string(Self.openRouterProvider))) }
        fields += [
            ("choices", [[
                "index": 0,
                "message": generation.toolCalls.isEmpty
                    ? ["role": "assistant", "content": .string(generation.answer), "refusal": nil]
                    : ["role": "assistant", "content": nil, "tool_calls": Self.toolCalls(generation), "refusal": nil],
                "logprobs": logprobs(generation, tokens: generation.logprobTokens),
                "finish_reason": .string(finishReason(generation)),
            ]]),
            ("usage", usage(generation, flavor: flavor)),
            ("system_fingerprint", .string(Self.systemFingerprint)),
        ]
        if flavor == .groq { fields.append(("x_groq", ["id": .string("req_" + generation.id)])) }
        return .object(fields)
    }

    func stream(_ generation: Generation) -> EventStream {
        let flavor = flavor(of: generation)
        // OpenAI adds `"usage": null` to every chunk once usage was asked for.
        let nullUsage = flavor == .openai && generation.request.includeUsage
        func chunk(_ choices: [JSONValue], extra: [(String, JSONValue)] = []) -> StreamEvent {
            var fields = chunkHeader(generation, flavor: flavor)
            fields.append(("choices", .array(choices)))
            if nullUsage, !extra.contains(where: { $0.0 == "usage" }) { fields.append(("usage", nil)) }
            return .data(.object(fields + extra))
        }
        func choice(_ delta: JSONValue, finish: String? = nil, logprobs: JSONValue = nil) -> JSONValue {
            ["index": 0, "delta": delta, "logprobs": logprobs, "finish_reason": .orNull(finish)]
        }

        var events: [StreamEvent] = []
        if flavor == .openrouter {
            events += [.comment("OPENROUTER PROCESSING"), .comment("OPENROUTER PROCESSING")]
        }
        let groqID: JSONValue = .string("req_" + generation.id)
        events.append(chunk([choice(["role": "assistant", "content": generation.toolCalls.isEmpty ? "" : nil])],
                            extra: flavor == .groq ? [("x_groq", ["id": groqID])] : []))
        let contentStart = events.count
        for piece in generation.pieces {
            events.append(chunk([choice(["content": .string(piece)], logprobs: logprobs(generation, tokens: [piece]))]))
        }
        for delta in Self.toolCallDeltas(generation) {
            events.append(chunk([choice(delta)]))
        }
        let content = contentStart..<events.count

        let usage = usage(generation, flavor: flavor)
        let finish = [choice([:], finish: finishReason(generation))]
        switch flavor {
        case .openrouter, .together:
            events.append(chunk(finish, extra: [("usage", usage)]))
        case .groq:
            events.append(chunk(finish, extra: [("x_groq", ["id": groqID, "usage": usage])]))
        case .openai, .vllm, .ollama:
            events.append(chunk(finish))
            if generation.request.includeUsage { events.append(chunk([], extra: [("usage", usage)])) }
        }
        events.append(.message(name: nil, data: "[DONE]"))
        return EventStream(framing: .sse, events: events, content: content)
    }

    func midStreamError(_ generation: Generation) -> StreamEvent {
        var fields = chunkHeader(generation, flavor: flavor(of: generation))
        fields.append(("error", ["message": "The upstream provider disconnected while streaming.",
                                 "type": "server_error", "code": "server_error"]))
        fields.append(("choices", [["index": 0, "delta": ["content": ""], "finish_reason": "error"]]))
        return .data(.object(fields))
    }

    /// A choice's `logprobs`: null unless asked for; then the tokens' logprobs for a text
    /// answer, and no content tokens for tool calls.
    func logprobs(_ generation: Generation, tokens: [String]) -> JSONValue {
        guard generation.request.logprobs else { return nil }
        return generation.toolCalls.isEmpty ? generation.openAILogprobs(tokens) : ["content": nil, "refusal": nil]
    }

    /// `stop`, `length` when the output limit cut the answer, `tool_calls` when it called tools.
    func finishReason(_ generation: Generation) -> String {
        generation.toolCalls.isEmpty ? (generation.isTruncated ? "length" : "stop") : "tool_calls"
    }

    /// The fields every chunk starts with.
    private func chunkHeader(_ generation: Generation, flavor: FakeProviderConfig.Flavor) -> [(String, JSONValue)] {
        var fields: [(String, JSONValue)] = [
            ("id", .string("chatcmpl-" + generation.id)),
            ("object", "chat.completion.chunk"),
            ("created", .int(generation.created)),
            ("model", .string(generation.request.model)),
        ]
        if flavor == .openrouter { fields.append(("provider", .string(Self.openRouterProvider))) }
        fields.append(("system_fingerprint", .string(Self.systemFingerprint)))
        return fields
    }

    /// The `usage` object: the token counts, their details when the model reports cache reads or
    /// reasoning, and what the flavor adds (OpenRouter's cost, Groq's timings).
    func usage(_ generation: Generation, flavor: FakeProviderConfig.Flavor) -> JSONValue {
        let usage = generation.usage
        var fields: [(String, JSONValue)] = [
            ("prompt_tokens", .int(usage.prompt)),
            ("completion_tokens", .int(usage.output)),
            ("total_tokens", .int(usage.total)),
        ]
        if usage.cacheRead > 0 { fields.append(("prompt_tokens_details", ["cached_tokens": .int(usage.cacheRead)])) }
        if usage.reasoning > 0 {
            fields.append(("completion_tokens_details", ["reasoning_tokens": .int(usage.reasoning)]))
        }
        switch flavor {
        case .openrouter:
            fields.append(("cost", .decimal(usage.cost(at: generation.model.costPerMillion))))
            fields.append(("is_byok", false))
        case .groq:
            // Seconds, as Groq reports them; made up from the simulated delay and the token counts.
            let queue = 0.002
            let prompt = Self.seconds(Double(usage.prompt) / 40_000)
            let completion = Self.seconds(max(Double(generation.delayMs) / 1000, Double(usage.output) / 800))
            fields += [("queue_time", .double(queue)), ("prompt_time", .double(prompt)),
                       ("completion_time", .double(completion)),
                       ("total_time", .double(Self.seconds(queue + prompt + completion)))]
        case .openai, .vllm, .ollama, .together:
            break
        }
        return .object(fields)
    }

    /// `value` rounded to microseconds, so the JSON shows no float noise.
    private static func seconds(_ value: Double) -> Double {
        (value * 1_000_000).rounded() / 1_000_000
    }
}
