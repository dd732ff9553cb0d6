/// The wire protocol of a model's provider.
public enum ProviderKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// OpenAI's own API (sends `max_completion_tokens`).
    case openAI = "openai"
    /// Anthropic's Messages API.
    case anthropic
    /// Google's Gemini `generateContent`.
    case gemini
    /// Azure OpenAI: deployment URLs with `api-version`, `api-key` header.
    case azureOpenAI = "azure-openai"
    /// OpenAI Chat Completions as spoken by other servers (vLLM, Ollama, LiteLLM, OpenRouter, ...).
    case openAICompatible = "openai-compatible"
}

/// The request field that carries the output token limit.
public enum MaxTokensField: String, Sendable, Hashable, Codable, CaseIterable {
    case maxTokens = "max_tokens"
    case maxCompletionTokens = "max_completion_tokens"
}

/// Open-weight or frontier.
public enum ModelClass: String, Sendable, Hashable, Codable, CaseIterable {
    case open
    case frontier
}
