import Foundation

/// One model of the catalog.
public struct ModelEntry: Sendable, Hashable, Codable {
    /// Tradeoff's id for the model, unique in the catalog (used in reports and `--only-models`).
    public var id: String
    /// The wire protocol used to reach it.
    public var provider: ProviderKind
    /// The API base URL, e.g. `https://openrouter.ai/api/v1`; `/chat/completions` is appended.
    /// `${NAME}` in the catalog's `base_url` are expanded here: use it to call, never to store.
    public var baseURL: String
    /// The catalog's `base_url` as written, when it expands variables (`${TOKEN}`): what is
    /// stored with a run, since an expansion may hold a secret. Nil when nothing was expanded.
    public var baseURLTemplate: String?
    /// The provider's name for the model, sent as `model` in requests.
    public var model: String
    /// Whether the model is open-weight or a frontier API model.
    public var modelClass: ModelClass
    /// Prices, or nil when the model is unpriced (its cost is then unknown, never zero).
    public var price: Price?
    /// The price by the hour of a self-hosted deployment, instead of `price`; its calls are
    /// costed after the run (`ResultStore.applyHourlyPricing`).
    public var hourlyPrice: HourlyPrice?
    /// The NAME of the environment variable holding the API key; nil for servers without auth.
    public var apiKeyEnv: String?
    /// At most this many calls to this model in flight at once. Default 4.
    public var maxConcurrency: Int
    /// Seconds before one HTTP call is abandoned. Default 120.
    public var timeoutSeconds: Double
    /// The model's own requests and tokens per minute (`requests_per_minute`,
    /// `tokens_per_minute`); its concurrency is `maxConcurrency`.
    public var rateLimits: RateLimits
    /// Limits the model shares with the other models of its provider (the catalog's `limits:`).
    public var sharedLimits: SharedLimits?
    /// For `openai-compatible`: the host it is (OpenRouter, vLLM, Ollama, ...), which sets the
    /// default base URL and the host's quirks; nil for a generic OpenAI-compatible server.
    public var preset: ProviderPreset?
    /// Stream the answer (server-sent events) to measure time to first token. Default true.
    public var stream: Bool
    /// Request body fields sent as they are, e.g. OpenRouter's `provider` routing or `seed`.
    public var extraBody: [String: JSONValue]
    /// Extra request headers (never secrets: keys come from `api_key_env` only).
    public var extraHeaders: [String: String]
    /// Azure OpenAI: the `api-version` query parameter.
    public var apiVersion: String?
    /// Azure OpenAI: the deployment name (default: `model`).
    public var deployment: String?
    /// Overrides the field that carries the output token limit.
    public var maxTokensField: MaxTokensField?
    /// True for models served by Tradeoff's fake provider: reports say their results are simulated.
    public var simulated: Bool
    /// Whether its calls go through the provider's batch API (`batch: true`, or `run --batch`):
    /// half price, answered within 24 hours.
    public var batch = false
    /// How the host takes a JSON Schema for the answer (`structured_output:`); nil for what its
    /// provider or preset documents (`resolvedStructuredOutput`).
    public var structuredOutput: StructuredOutput?
    /// Whether the model takes images (`vision:`); nil when the catalog does not say (images are
    /// sent, and a provider that refuses them fails the call). `false` makes a suite that sends
    /// images to it an error at `validate`.
    public var vision: Bool?
    /// Where the entry is in the catalog file, for messages about it.
    public var location: SourceLocation?

    public init(id: String, provider: ProviderKind = .openAICompatible, baseURL: String, model: String,
                modelClass: ModelClass, price: Price?, hourlyPrice: HourlyPrice? = nil, apiKeyEnv: String?,
                maxConcurrency: Int = 4, timeoutSeconds: Double = 120, rateLimits: RateLimits = RateLimits(),
                sharedLimits: SharedLimits? = nil, preset: ProviderPreset? = nil, stream: Bool = false,
                extraBody: [String: JSONValue] = [:], extraHeaders: [String: String] = [:], apiVersion: String? = nil,
                deployment: String? = nil, maxTokensField: MaxTokensField? = nil,
                simulated: Bool = false, location: SourceLocation? = nil) {
        self.id = id
        self.provider = provider
        self.baseURL = baseURL
        self.model = model
        self.modelClass = modelClass
        self.price = price
        self.hourlyPrice = hourlyPrice
        self.apiKeyEnv = apiKeyEnv
        self.maxConcurrency = maxConcurrency
        self.timeoutSeconds = timeoutSeconds
        self.rateLimits = rateLimits
        self.sharedLimits = sharedLimits
        self.preset = preset
        self.stream = stream
        self.extraBody = extraBody
        self.extraHeaders = extraHeaders
        self.apiVersion = apiVersion
        self.deployment = deployment
        self.maxTokensField = maxTokensField
        self.simulated = simulated
        self.location = location
    }
}

extension ModelEntry {
    /// What a `${NAME}` in `base_url` put into the URL's password or query values: secrets to
    /// redact from what the provider sends back (a 404 page quoting the URL), like the key.
    /// Empty when the catalog's `base_url` expands no variable.
    public var baseURLSecrets: [String] {
        guard let template = baseURLTemplate, let url = URLComponents(string: baseURL) else { return [] }
        // The names whose value the template fills from a variable, and whether its password is one.
        let query: Substring = template.split(separator: "?", maxSplits: 1).dropFirst().first?.prefix { $0 != "#" } ?? ""
        var filled: Set<String> = []
        for item in query.split(separator: "&") {
            let parts = item.split(separator: "=", maxSplits: 1)
            if parts.count == 2 && parts[1].contains("${") { filled.insert(String(parts[0])) }
        }
        let authority: String = template.components(separatedBy: "://").dropFirst().first ?? ""
        let userInfo = authority.prefix { $0 != "/" && $0 != "?" }.split(separator: "@").dropLast()
        let password: [String?] = userInfo.joined(separator: "@").contains("${") ? [url.password] : []
        let items: [URLQueryItem] = url.queryItems ?? []
        let values: [String?] = items.filter { filled.contains($0.name) }.map { $0.value }
        return (password + values).compactMap { $0 }.filter { $0.utf8.count >= 4 }
    }
}
