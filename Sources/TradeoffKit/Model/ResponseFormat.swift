/// The JSON shape a task's answer must take (`response_format:`): a named JSON Schema, sent as
/// OpenAI's `response_format: {type: json_schema}` (strict), Gemini's `responseJsonSchema`,
/// Ollama's `format`, or to Anthropic as a tool the model is forced to call, whose input
/// becomes the answer's text.
public struct ResponseFormat: Sendable, Hashable, Codable {
    /// The schema's name (OpenAI requires one; it names Anthropic's forced tool too).
    public var name: String
    /// The JSON Schema of the answer.
    public var schema: JSONValue

    /// Creates a format.
    public init(name: String, schema: JSONValue) {
        self.name = name
        self.schema = schema
    }
}

/// How a model's host accepts a JSON Schema for the answer (the catalog's `structured_output:`).
public enum StructuredOutput: String, Sendable, Hashable, Codable, CaseIterable {
    /// The provider's own mechanism: OpenAI and Azure `response_format: {type: json_schema}`,
    /// Gemini `responseJsonSchema`, Anthropic a forced tool; for OpenAI-compatible hosts, the
    /// same `response_format` as OpenAI (vLLM, OpenRouter, Together, Fireworks, ...).
    case jsonSchema = "json_schema"
    /// Ollama's `format` field holding the schema.
    case ollama
    /// The host cannot constrain the answer: a task with `response_format` is refused for it.
    case none
}

extension ModelEntry {
    /// How this model takes a response format: the catalog's `structured_output`, else what its
    /// provider or preset documents; `none` for a generic OpenAI-compatible server, which must
    /// say (an unknown server may ignore the field and answer in prose).
    public var resolvedStructuredOutput: StructuredOutput {
        if let structuredOutput { return structuredOutput }
        switch provider {
        case .openAI, .azureOpenAI, .anthropic, .gemini: return .jsonSchema
        case .openAICompatible:
            switch preset {
            case .ollama: return .ollama
            case .none: return .none
            default: return .jsonSchema
            }
        }
    }
}
