import Foundation

/// Tools and structured output in the Messages API. Anthropic has no response-format field that
/// every model takes, so a response format is sent as a tool the model must call
/// (`tool_choice: {type: tool, name}`), whose input is the answer's JSON.
extension AnthropicMessages {
    /// `tools` (`[{name, description, input_schema}]`) and `tool_choice` (`{type: auto|any|none}`
    /// or `{type: tool, name}`); a response format adds its forced tool.
    static func structuredMembers(for chat: ChatRequest) -> [String: JSONValue] {
        var tools = chat.tools.map { tool -> JSONValue in
            var fields: [String: JSONValue] = ["name": .string(tool.name), "input_schema": tool.parameters]
            if let description = tool.description { fields["description"] = .string(description) }
            return .object(fields)
        }
        var choice: JSONValue?
        switch chat.toolChoice {
        case nil: break
        case .auto: choice = .object(["type": .string("auto")])
        case .never: choice = .object(["type": .string("none")])
        case .required: choice = .object(["type": .string("any")])
        case .tool(let name): choice = .object(["type": .string("tool"), "name": .string(name)])
        }
        if let format = chat.responseFormat {
            tools.append(.object(["name": .string(format.name), "input_schema": format.schema,
                                  "description": .string("Give the answer as this tool's input.")]))
            choice = .object(["type": .string("tool"), "name": .string(format.name)])
        }
        var members: [String: JSONValue] = [:]
        if !tools.isEmpty { members["tools"] = .array(tools) }
        if let choice { members["tool_choice"] = choice }
        return members
    }

    /// The answer's text and tool calls: with a response format, the forced tool's input is the
    /// text (canonical JSON) and not a tool call.
    static func answer(text: String, calls: [ToolCall], for chat: ChatRequest) -> (String, [ToolCall]) {
        guard let format = chat.responseFormat, let index = calls.firstIndex(where: { $0.name == format.name }) else {
            return (text, calls)
        }
        var calls = calls
        let forced = calls.remove(at: index)
        return (text.isEmpty ? forced.arguments : text + forced.arguments, calls)
    }

    /// The finish reason: `tool_use` for a forced response-format tool is a plain stop.
    static func finish(_ raw: String?, for chat: ChatRequest) -> FinishReason? {
        guard let raw else { return nil }
        if raw == "tool_use", chat.responseFormat != nil, chat.tools.isEmpty { return .stop }
        return FinishReason(raw: raw)
    }

    /// Streamed `tool_use` blocks put together: a `content_block_start` names the tool, then
    /// `input_json_delta` events carry pieces of its input's JSON, by block index.
    struct ToolUseAssembly {
        private var blocks: [Int: (name: String, json: String, start: JSONValue?)] = [:]

        mutating func start(_ block: Message.Block, at index: Int) {
            blocks[index] = (block.name ?? "", "", block.input)
        }

        mutating func append(_ piece: String, at index: Int) {
            blocks[index]?.json += piece
        }

        var toolCalls: [ToolCall] {
            blocks.sorted { $0.key < $1.key }.map { _, block in
                // Without deltas the input is the start block's (`{}` for a call without arguments).
                block.json.isEmpty ? ToolCall(name: block.name, value: block.start ?? .object([:]))
                    : ToolCall(name: block.name, arguments: block.json)
            }
        }
    }
}
