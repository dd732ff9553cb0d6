/// A known OpenAI-compatible host: its default base URL and the quirks that change what
/// Tradeoff sends and reads (PROVIDERS.md, "OpenAI-compatible hosts").
public enum ProviderPreset: String, Sendable, Hashable, Codable, CaseIterable {
    case openRouter = "openrouter"
    case together
    case groq
    case fireworks
    case deepInfra = "deepinfra"
    case vllm
    case ollama
    case llamaCpp = "llamacpp"
    case lmStudio = "lmstudio"
    case liteLLM = "litellm"

    /// The base URL used when the catalog gives none.
    public var defaultBaseURL: String {
        switch self {
        case .openRouter: "https://openrouter.ai/api/v1"
        case .together: "https://api.together.xyz/v1"
        case .groq: "https://api.groq.com/openai/v1"
        case .fireworks: "https://api.fireworks.ai/inference/v1"
        case .deepInfra: "https://api.deepinfra.com/v1/openai"
        case .vllm: "http://localhost:8000/v1"
        case .ollama: "http://localhost:11434/v1"
        case .llamaCpp: "http://localhost:8080/v1"
        case .lmStudio: "http://localhost:1234/v1"
        case .liteLLM: "http://localhost:4000/v1"
        }
    }

    /// Whether a stream reports usage only when asked with `stream_options.include_usage`.
    /// OpenRouter always reports it; Groq reports it under `x_groq` without being asked.
    var needsStreamUsageRequest: Bool {
        switch self {
        case .openRouter, .groq: false
        default: true
        }
    }
}

extension ModelEntry {
    /// The base URL to call: the catalog's, else the preset's or the provider's default.
    public var resolvedBaseURL: String? {
        if !baseURL.isEmpty { return baseURL }
        if let preset { return preset.defaultBaseURL }
        switch provider {
        case .openAI: return "https://api.openai.com/v1"
        case .anthropic: return "https://api.anthropic.com"
        case .gemini: return "https://generativelanguage.googleapis.com"
        case .azureOpenAI, .openAICompatible: return nil
        }
    }

    /// The field that carries the output token limit: OpenAI's own API and Azure take
    /// `max_completion_tokens` (o-series models reject `max_tokens`); other hosts read
    /// `max_tokens` (Ollama reads nothing else).
    var resolvedMaxTokensField: MaxTokensField {
        if let maxTokensField { return maxTokensField }
        switch provider {
        case .openAI, .azureOpenAI: return .maxCompletionTokens
        default: return .maxTokens
        }
    }
}
