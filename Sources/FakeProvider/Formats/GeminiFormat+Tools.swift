import Foundation

/// Tools and structured output in `generateContent`, checked as Google documents them:
/// `tools: [{functionDeclarations: [{name, description, parameters | parametersJsonSchema}]}]`,
/// `toolConfig.functionCallingConfig {mode, allowedFunctionNames}`, and
/// `generationConfig.responseMimeType: application/json` with `responseSchema` or
/// `responseJsonSchema`; answered with `functionCall` parts.
extension GeminiFormat {
    func decodeStructure(_ body: [String: Any], into request: inout GenerationRequest) -> ProviderError? {
        if let raw = body["tools"], !(raw is NSNull) {
            guard let tools = raw as? [Any] else {
                return .invalidRequest("Invalid JSON payload received. Unknown name \"tools\": Proto field is not repeating.")
            }
            for (index, item) in tools.enumerated() {
                let declarations = (item as? [String: Any])?["functionDeclarations"] as? [Any] ?? []
                for (position, raw) in declarations.enumerated() {
                    let declaration = raw as? [String: Any]
                    guard let name = declaration?["name"] as? String, OpenAIFormat.isFunctionName(name) else {
                        return .invalidRequest("* GenerateContentRequest.tools[\(index)].function_declarations[\(position)]"
                                               + ".name: Invalid function name.\n")
                    }
                    if declaration?["parameters"] != nil && declaration?["parametersJsonSchema"] != nil {
                        return .invalidRequest("* GenerateContentRequest.tools[\(index)].function_declarations[\(position)]"
                                               + ": give parameters or parameters_json_schema, not both.\n")
                    }
                    let schema = declaration?["parametersJsonSchema"] ?? declaration?["parameters"] ?? ["type": "object"]
                    guard let shape = ToolShape(name: name, schema: schema) else {
                        return .invalidRequest("* GenerateContentRequest.tools[\(index)].function_declarations[\(position)]"
                                               + ".parameters: must be an object schema.\n")
                    }
                    request.tools.append(shape)
                }
            }
        }
        if let config = ((body["toolConfig"] ?? body["tool_config"]) as? [String: Any])?["functionCallingConfig"]
            as? [String: Any] {
            let allowed = config["allowedFunctionNames"] as? [String] ?? []
            switch config["mode"] as? String ?? "AUTO" {
            case "AUTO": request.toolDemand = .auto
            case "NONE": request.toolDemand = .never
            case "ANY": request.toolDemand = allowed.count == 1 ? .named(allowed[0]) : .required
            case let mode:
                return .invalidRequest("Invalid value at 'tool_config.function_calling_config.mode' (type.googleapis.com/"
                                       + "google.ai.generativelanguage.v1beta.FunctionCallingConfig.Mode), \"\(mode)\"")
            }
            if !allowed.isEmpty, allowed.contains(where: { name in !request.tools.contains { $0.name == name } }) {
                return .invalidRequest("* GenerateContentRequest.tool_config.function_calling_config.allowed_function_names:"
                                       + " names a function that is not declared.\n")
            }
        }
        let generation = (body["generationConfig"] ?? body["generation_config"]) as? [String: Any] ?? [:]
        if let schema = generation["responseJsonSchema"] ?? generation["responseSchema"] {
            guard generation["responseMimeType"] as? String == "application/json" else {
                return .invalidRequest("* GenerateContentRequest.generation_config.response_mime_type: a response schema "
                                       + "needs response_mime_type application/json.\n")
            }
            guard let shape = ToolShape(name: "response", schema: schema) else {
                return .invalidRequest("* GenerateContentRequest.generation_config.response_schema: must be an object "
                                       + "schema.\n")
            }
            request.schema = shape
        }
        return nil
    }

    /// The `functionCall` parts.
    static func functionCallParts(_ generation: Generation) -> [JSONValue] {
        generation.toolCalls.map { ["functionCall": ["name": .string($0.name), "args": $0.arguments]] }
    }
}
