import Foundation

/// A model catalog: the models a suite can run on, how to reach them and what they cost.
public struct Catalog: Sendable, Hashable {
    /// The path the catalog was loaded from.
    public var path: String
    /// The models, in file order; ids are unique.
    public var models: [ModelEntry]

    public init(path: String, models: [ModelEntry]) {
        self.path = path
        self.models = models
    }

    /// The entry with this id, if any.
    public func model(_ id: String) -> ModelEntry? { models.first { $0.id == id } }
}

/// One model of the catalog.
public struct ModelEntry: Sendable, Hashable, Codable {
    /// Tradeoff's id for the model, unique in the catalog (used in reports and `--only-models`).
    public var id: String
    /// The wire protocol used to reach it.
    public var provider: ProviderKind
    /// The API base URL, e.g. `https://openrouter.ai/api/v1`; `/chat/completions` is appended.
    public var baseURL: String
    /// The provider's name for the model, sent as `model` in requests.
    public var model: String
    /// Whether the model is open-weight or a frontier API model.
    public var modelClass: ModelClass
    /// Prices, or nil when the model is unpriced (its cost is then unknown, never zero).
    public var price: Price?
    /// The NAME of the environment variable holding the API key; nil for servers without auth.
    public var apiKeyEnv: String?
    /// At most this many calls to this model in flight at once. Default 4.
    public var maxConcurrency: Int
    /// Seconds before one HTTP call is abandoned. Default 120.
    public var timeoutSeconds: Double
    /// True for models served by Tradeoff's fake provider: reports say their results are simulated.
    public var simulated: Bool
    /// Where the entry is in the catalog file, for messages about it.
    public var location: SourceLocation?

    public init(id: String, provider: ProviderKind = .openAICompatible, baseURL: String, model: String,
                modelClass: ModelClass, price: Price?, apiKeyEnv: String?, maxConcurrency: Int = 4,
                timeoutSeconds: Double = 120, simulated: Bool = false, location: SourceLocation? = nil) {
        self.id = id
        self.provider = provider
        self.baseURL = baseURL
        self.model = model
        self.modelClass = modelClass
        self.price = price
        self.apiKeyEnv = apiKeyEnv
        self.maxConcurrency = maxConcurrency
        self.timeoutSeconds = timeoutSeconds
        self.simulated = simulated
        self.location = location
    }
}

/// The wire protocol of a model's provider.
public enum ProviderKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// OpenAI Chat Completions as spoken by OpenAI-compatible servers (vLLM, Ollama, LiteLLM, ...).
    case openAICompatible = "openai-compatible"
}

/// Open-weight or frontier.
public enum ModelClass: String, Sendable, Hashable, Codable, CaseIterable {
    case open
    case frontier
}

/// Prices in USD per million tokens, held as decimals (never floating point).
public struct Price: Sendable, Hashable, Codable {
    /// USD per million uncached input tokens.
    public var inputPerMillion: Decimal
    /// USD per million output tokens.
    public var outputPerMillion: Decimal
    /// USD per million cached input tokens; nil means cached input is billed as input.
    public var cachedInputPerMillion: Decimal?

    public init(inputPerMillion: Decimal, outputPerMillion: Decimal, cachedInputPerMillion: Decimal? = nil) {
        self.inputPerMillion = inputPerMillion
        self.outputPerMillion = outputPerMillion
        self.cachedInputPerMillion = cachedInputPerMillion
    }
}
