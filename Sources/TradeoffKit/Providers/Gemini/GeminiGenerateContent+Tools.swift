import Foundation

/// Tools and structured output in `generateContent`.
extension GeminiGenerateContent {
    /// `tools: [{functionDeclarations: [{name, description, parametersJsonSchema}]}]`,
    /// `toolConfig.functionCallingConfig` (`mode` AUTO, ANY or NONE; `allowedFunctionNames` for
    /// one tool) and `generationConfig.responseMimeType: application/json` with
    /// `responseJsonSchema`. The JSON-Schema fields are used rather than `parameters` and
    /// `responseSchema` (an OpenAPI subset), so a suite's schema is sent as it was written.
    static func addStructuredMembers(for chat: ChatRequest, to body: inout [String: JSONValue]) {
        if !chat.tools.isEmpty {
            let declarations = chat.tools.map { tool -> JSONValue in
                var fields: [String: JSONValue] = ["name": .string(tool.name), "parametersJsonSchema": tool.parameters]
                if let description = tool.description { fields["description"] = .string(description) }
                return .object(fields)
            }
            body["tools"] = .array([.object(["functionDeclarations": .array(declarations)])])
        }
        var config: [String: JSONValue]?
        switch chat.toolChoice {
        case nil: break
        case .auto: config = ["mode": .string("AUTO")]
        case .never: config = ["mode": .string("NONE")]
        case .required: config = ["mode": .string("ANY")]
        case .tool(let name): config = ["mode": .string("ANY"), "allowedFunctionNames": .array([.string(name)])]
        }
        if let config { body["toolConfig"] = .object(["functionCallingConfig": .object(config)]) }
        if let format = chat.responseFormat, case .object(var generation)? = body["generationConfig"] {
            generation["responseMimeType"] = .string("application/json")
            generation["responseJsonSchema"] = format.schema
            body["generationConfig"] = .object(generation)
        }
    }
}
