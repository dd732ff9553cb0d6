import Foundation

/// Tools and structured output in Chat Completions: the request members, and the tool calls of
/// a reply (whole, or streamed as deltas by index).
extension OpenAIChatCompletions {
    /// `tools` (`[{type: function, function: {name, description, parameters}}]`), `tool_choice`
    /// (`auto`, `none`, `required` or `{type: function, function: {name}}`) and
    /// `response_format: {type: json_schema, json_schema: {name, schema, strict: true}}`, or
    /// Ollama's `format: SCHEMA` when the catalog says the host takes that instead.
    static func structuredMembers(for chat: ChatRequest, model: ModelEntry) -> [String: JSONValue] {
        var members: [String: JSONValue] = [:]
        if !chat.tools.isEmpty {
            members["tools"] = .array(chat.tools.map { tool in
                var function: [String: JSONValue] = ["name": .string(tool.name), "parameters": tool.parameters]
                if let description = tool.description { function["description"] = .string(description) }
                return .object(["type": .string("function"), "function": .object(function)])
            })
        }
        switch chat.toolChoice {
        case nil: break
        case .auto: members["tool_choice"] = .string("auto")
        case .never: members["tool_choice"] = .string("none")
        case .required: members["tool_choice"] = .string("required")
        case .tool(let name):
            members["tool_choice"] = .object(["type": .string("function"), "function": .object(["name": .string(name)])])
        }
        if let format = chat.responseFormat {
            switch model.resolvedStructuredOutput {
            case .ollama:
                members["format"] = format.schema
            case .jsonSchema, .none:
                // `none` never gets here: loading refuses the task for such a model.
                members["response_format"] = .object([
                    "type": .string("json_schema"),
                    "json_schema": .object(["name": .string(format.name), "schema": format.schema, "strict": .bool(true)]),
                ])
            }
        }
        return members
    }

    /// One tool call of a reply, or a streamed piece of one (`index` and the parts sent so far).
    struct ToolCallBlock: Decodable {
        struct Function: Decodable {
            var name: String?
            var arguments: String?
        }
        var index: Int?
        var id: String?
        var function: Function?
    }

    /// Streamed tool calls put together: each delta's name and argument text appended to the
    /// call at its `index`.
    struct ToolCallAssembly {
        private var calls: [Int: (name: String, arguments: String)] = [:]

        mutating func add(_ delta: ToolCallBlock, position: Int) {
            let index = delta.index ?? position
            var call = calls[index] ?? ("", "")
            if let name = delta.function?.name { call.name += name }
            if let arguments = delta.function?.arguments { call.arguments += arguments }
            calls[index] = call
        }

        var toolCalls: [ToolCall] {
            calls.sorted { $0.key < $1.key }.map { ToolCall(name: $0.value.name, arguments: $0.value.arguments) }
        }
    }
}
