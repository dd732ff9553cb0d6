import Foundation

/// Tools and structured output in Chat Completions, checked as OpenAI documents them.
extension OpenAIFormat {
    /// Reads `tools`, `tool_choice`, `response_format` (`json_schema`) and Ollama's `format`.
    func decodeStructure(_ body: [String: Any], into request: inout GenerationRequest) -> ProviderError? {
        if let raw = body["tools"], !(raw is NSNull) {
            guard let tools = raw as? [Any] else {
                return .invalidRequest("Invalid type for 'tools': expected an array.", param: "tools", code: "invalid_type")
            }
            for (index, item) in tools.enumerated() {
                let tool = item as? [String: Any]
                guard tool?["type"] as? String == "function", let function = tool?["function"] as? [String: Any],
                      let name = function["name"] as? String, Self.isFunctionName(name) else {
                    return .invalidRequest("Invalid 'tools[\(index)]': expected {type: 'function', function: {name, "
                                           + "description, parameters}} with a name of letters, digits, '_' or '-'.",
                                           param: "tools[\(index)]", code: "invalid_value")
                }
                guard let shape = ToolShape(name: name, schema: function["parameters"] ?? ["type": "object"]) else {
                    return .invalidRequest("Invalid schema for function '\(name)': schema must be a JSON Schema of "
                                           + "'type: \"object\"'.", param: "tools[\(index)].function.parameters",
                                           code: "invalid_function_parameters")
                }
                request.tools.append(shape)
            }
        }
        if let raw = body["tool_choice"], !(raw is NSNull) {
            guard !request.tools.isEmpty else {
                return .invalidRequest("Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' "
                                       + "are specified.", param: "tool_choice", code: nil)
            }
            switch raw {
            case let text as String where text == "auto": request.toolDemand = .auto
            case let text as String where text == "none": request.toolDemand = .never
            case let text as String where text == "required": request.toolDemand = .required
            case let object as [String: Any]:
                guard object["type"] as? String == "function",
                      let name = (object["function"] as? [String: Any])?["name"] as? String,
                      request.tools.contains(where: { $0.name == name }) else { fallthrough }
                request.toolDemand = .named(name)
            default:
                return .invalidRequest("Invalid value for 'tool_choice': expected 'none', 'auto', 'required' or "
                                       + "{type: 'function', function: {name}} naming a declared tool.",
                                       param: "tool_choice", code: "invalid_value")
            }
        }
        if let raw = body["response_format"], !(raw is NSNull) {
            let format = raw as? [String: Any]
            switch format?["type"] as? String {
            case "text", "json_object": break
            case "json_schema":
                guard let schema = format?["json_schema"] as? [String: Any], let name = schema["name"] as? String,
                      Self.isFunctionName(name), let shape = ToolShape(name: name, schema: schema["schema"]) else {
                    return .invalidRequest("Invalid 'response_format.json_schema': expected {name, schema, strict} with "
                                           + "an object schema.", param: "response_format.json_schema",
                                           code: "invalid_value")
                }
                request.schema = shape
            default:
                return .invalidRequest("Invalid 'response_format.type': expected 'text', 'json_object' or 'json_schema'.",
                                       param: "response_format.type", code: "invalid_value")
            }
        }
        // Ollama: a schema in `format` (or `"json"`).
        if let schema = body["format"] as? [String: Any] {
            guard let shape = ToolShape(name: "format", schema: schema) else {
                return .invalidRequest("Invalid 'format': expected \"json\" or a JSON Schema object.", param: "format",
                                       code: "invalid_value")
            }
            request.schema = shape
        }
        return nil
    }

    /// Names OpenAI accepts for functions and schemas: `^[a-zA-Z0-9_-]{1,64}$`.
    static func isFunctionName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count) && name.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }

    /// `message.tool_calls`: `[{id, type: function, function: {name, arguments}}]`, arguments a
    /// JSON string.
    static func toolCalls(_ generation: Generation) -> JSONValue {
        .array(generation.toolCalls.map { call in
            ["id": .string(call.id), "type": "function",
             "function": ["name": .string(call.name), "arguments": .string(call.arguments.text)]]
        })
    }

    /// The stream deltas of the tool calls: per call, one naming it (arguments empty), then
    /// pieces of its arguments, by `index`.
    static func toolCallDeltas(_ generation: Generation) -> [JSONValue] {
        var deltas: [JSONValue] = []
        for (index, call) in generation.toolCalls.enumerated() {
            deltas.append(["tool_calls": [["index": .int(index), "id": .string(call.id), "type": "function",
                                           "function": ["name": .string(call.name), "arguments": ""]]]])
            for piece in Generation.argumentPieces(call.arguments.text) {
                deltas.append(["tool_calls": [["index": .int(index), "function": ["arguments": .string(piece)]]]])
            }
        }
        return deltas
    }
}
