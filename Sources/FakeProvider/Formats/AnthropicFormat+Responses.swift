extension AnthropicFormat {
    func response(_ generation: Generation) -> JSONValue {
        [
            "id": .string("msg_" + generation.id),
            "type": "message",
            "role": "assistant",
            "model": .string(generation.request.model),
            "content": generation.toolCalls.isEmpty ? [["type": "text", "text": .string(generation.answer)]]
                : .array(Self.toolUseBlocks(generation)),
            "stop_reason": .string(stopReason(generation)),
            "stop_sequence": nil,
            "usage": usage(generation, outputTokens: generation.usage.output),
        ]
    }

    /// message_start, content_block_start, ping, the text deltas (another ping after the first),
    /// content_block_stop, message_delta with the cumulative output tokens, message_stop.
    func stream(_ generation: Generation) -> EventStream {
        let message: JSONValue = [
            "id": .string("msg_" + generation.id),
            "type": "message",
            "role": "assistant",
            "model": .string(generation.request.model),
            "content": [],
            "stop_reason": nil,
            "stop_sequence": nil,
            "usage": usage(generation, outputTokens: 1),
        ]
        var events: [StreamEvent] = [.data(["type": "message_start", "message": message], name: "message_start")]
        guard generation.toolCalls.isEmpty else {
            events.append(ping)
            let contentStart = events.count
            events += Self.toolUseEvents(generation, first: 0)
            let content = contentStart..<events.count
            events += [
                .data(["type": "message_delta", "delta": ["stop_reason": "tool_use", "stop_sequence": nil],
                       "usage": ["output_tokens": .int(generation.usage.output)]], name: "message_delta"),
                .data(["type": "message_stop"], name: "message_stop"),
            ]
            return EventStream(framing: .sse, events: events, content: content)
        }
        events += [
            .data(["type": "content_block_start", "index": 0, "content_block": ["type": "text", "text": ""]],
                  name: "content_block_start"),
            ping,
        ]
        let contentStart = events.count
        for (index, piece) in generation.pieces.enumerated() {
            events.append(.data(["type": "content_block_delta", "index": 0,
                                 "delta": ["type": "text_delta", "text": .string(piece)]],
                                name: "content_block_delta"))
            if index == 0, generation.pieces.count > 1 { events.append(ping) }
        }
        let content = contentStart..<events.count
        events += [
            .data(["type": "content_block_stop", "index": 0], name: "content_block_stop"),
            .data(["type": "message_delta",
                   "delta": ["stop_reason": .string(stopReason(generation)), "stop_sequence": nil],
                   "usage": ["output_tokens": .int(generation.usage.output)]],
                  name: "message_delta"),
            .data(["type": "message_stop"], name: "message_stop"),
        ]
        return EventStream(framing: .sse, events: events, content: content)
    }

    /// `event: error` with `overloaded_error`, as Anthropic sends after a 200.
    func midStreamError(_ generation: Generation) -> StreamEvent {
        .data(["type": "error", "error": ["type": "overloaded_error", "message": "Overloaded"]], name: "error")
    }

    private var ping: StreamEvent { .data(["type": "ping"], name: "ping") }

    private func stopReason(_ generation: Generation) -> String {
        generation.toolCalls.isEmpty ? (generation.isTruncated ? "max_tokens" : "end_turn") : "tool_use"
    }

    /// Anthropic's usage: `input_tokens` is only the prompt neither read from nor written to
    /// the cache; output includes reasoning.
    private func usage(_ generation: Generation, outputTokens: Int) -> JSONValue {
        let usage = generation.usage
        return [
            "input_tokens": .int(usage.uncachedPrompt),
            "cache_creation_input_tokens": .int(usage.cacheWrite),
            "cache_read_input_tokens": .int(usage.cacheRead),
            "cache_creation": ["ephemeral_5m_input_tokens": .int(usage.cacheWrite5m),
                               "ephemeral_1h_input_tokens": .int(usage.cacheWrite1h)],
            "output_tokens": .int(outputTokens),
            "service_tier": "standard",
        ]
    }
}
