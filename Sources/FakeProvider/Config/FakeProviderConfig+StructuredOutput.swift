extension FakeProviderConfig {
    /// How a simulated model answers a request for a JSON Schema answer (OpenAI
    /// `response_format: json_schema`, Gemini `responseJsonSchema`, Ollama `format`).
    public enum StructuredOutput: String, Sendable, Hashable, CaseIterable {
        /// A JSON object of the schema's properties, right or wrong by the model's accuracy.
        case valid
        /// JSON cut before its closing brace, as a host that does not constrain decoding may send.
        case invalid
        /// The plain answer, as a host that ignores the field sends.
        case ignored
    }
}
