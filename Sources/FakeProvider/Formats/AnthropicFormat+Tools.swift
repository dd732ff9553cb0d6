import Foundation

/// Tools in the Messages API, checked as Anthropic documents them: `tools: [{name, description,
/// input_schema}]`, `tool_choice: {type: auto|any|tool|none, name}`; answered with `tool_use`
/// content blocks (streamed as `input_json_delta` pieces).
extension AnthropicFormat {
    func decodeStructure(_ body: [String: Any], into request: inout GenerationRequest) -> ProviderError? {
        if let raw = body["tools"], !(raw is NSNull) {
            guard let tools = raw as? [Any] else { return .invalidRequest("tools: Input should be a valid list") }
            for (index, item) in tools.enumerated() {
                guard let tool = item as? [String: Any], let name = tool["name"] as? String,
                      OpenAIFormat.isFunctionName(name) else {
                    return .invalidRequest("tools.\(index).name: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'")
                }
                guard let schema = tool["input_schema"] as? [String: Any], schema["type"] as? String == "object",
                      let shape = ToolShape(name: name, schema: schema) else {
                    return .invalidRequest("tools.\(index).input_schema: Input should be a JSON Schema with type 'object'")
                }
                request.tools.append(shape)
            }
        }
        if let raw = body["tool_choice"], !(raw is NSNull) {
            guard let choice = raw as? [String: Any] else {
                return .invalidRequest("tool_choice: Input should be a valid dictionary")
            }
            switch choice["type"] as? String {
            case "auto": request.toolDemand = .auto
            case "none": request.toolDemand = .never
            case "any": request.toolDemand = .required
            case "tool":
                guard let name = choice["name"] as? String else { return .invalidRequest("tool_choice.tool.name: Field required") }
                guard request.tools.contains(where: { $0.name == name }) else {
                    return .invalidRequest("tool_choice.name: tool '\(name)' is not in tools")
                }
                request.toolDemand = .named(name)
            default:
                return .invalidRequest("tool_choice: Input tag does not match any of the expected tags: 'auto', 'any', "
                                       + "'tool', 'none'")
            }
        }
        return nil
    }

    /// The `tool_use` content blocks.
    static func toolUseBlocks(_ generation: Generation) -> [JSONValue] {
        generation.toolCalls.map { call in
            ["type": "tool_use", "id": .string("toolu_" + call.id.dropFirst(5)), "name": .string(call.name),
             "input": call.arguments]
        }
    }

    /// The stream events of the tool calls from block `first` on: each block's start (empty
    /// input), its `input_json_delta` pieces and its stop.
    static func toolUseEvents(_ generation: Generation, first: Int) -> [StreamEvent] {
        var events: [StreamEvent] = []
        for (offset, call) in generation.toolCalls.enumerated() {
            let index = JSONValue.int(first + offset)
            events.append(.data(["type": "content_block_start", "index": index,
                                 "content_block": ["type": "tool_use", "id": .string("toolu_" + call.id.dropFirst(5)),
                                                   "name": .string(call.name), "input": [:]]],
                                name: "content_block_start"))
            for piece in Generation.argumentPieces(call.arguments.text) {
                events.append(.data(["type": "content_block_delta", "index": index,
                                     "delta": ["type": "input_json_delta", "partial_json": .string(piece)]],
                                    name: "content_block_delta"))
            }
            events.append(.data(["type": "content_block_stop", "index": index], name: "content_block_stop"))
        }
        return events
    }
}
