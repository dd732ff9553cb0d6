/// What the fake provider serves: its API key, the simulated models and the faults to inject.
///
/// Load it from YAML with ``init(yaml:file:)`` or ``init(contentsOf:)``, or build it in a test:
/// ```swift
/// let config = FakeProviderConfig(apiKey: "k", models: [.init(name: "sim/a", accuracy: 1)])
/// ```
public struct FakeProviderConfig: Sendable, Hashable {
    /// The key clients must send (in the header of the wire format they speak: `Authorization:
    /// Bearer`, `api-key`, `x-api-key` or `x-goog-api-key`); nil accepts any request.
    public var apiKey: String?
    /// The models, in config order; names are unique.
    public var models: [Model]
    /// Faults injected into every model's responses, except for a model with its own ``Model/faults``.
    public var faults: Faults
    /// How the Batch API endpoints behave.
    public var batches = Batches()
    /// The expected answers of a suite (`answers_from:`), which models with ``Model/simulated``
    /// give; nil: none.
    public var answerKey: AnswerKey?

    /// Creates a config.
    /// - Parameters:
    ///   - apiKey: The required key, or nil for no authentication.
    ///   - models: The simulated models.
    ///   - faults: Faults for every model without its own. Default none.
    public init(apiKey: String? = nil, models: [Model], faults: Faults = .none) {
        self.apiKey = apiKey
        self.models = models
        self.faults = faults
    }

    /// The model named `name` (the `model` string clients send), if any.
    public func model(named name: String) -> Model? {
        models.first { $0.name == name }
    }

    /// The faults that apply to `model`: its own when it has some, else the config's.
    public func faults(for model: Model) -> Faults {
        model.faults ?? faults
    }

    /// One simulated model.
    public struct Model: Sendable, Hashable {
        /// The `model` string clients send, e.g. `sim/gpt-4o`.
        public var name: String
        /// Probability (0...1) that an answer is correct.
        public var accuracy: Double
        /// Mean delay in milliseconds before the response (or a stream's first event) is sent.
        public var latencyMs: Int
        /// Spread of the delay: each request waits `latencyMs ± jitterMs`, chosen by the request's hash.
        public var jitterMs: Int
        /// Which OpenAI-compatible host the Chat Completions endpoint imitates for this model.
        public var flavor: Flavor
        /// Prompt tokens reported as read from the cache (capped at the prompt's tokens).
        public var cachedTokens: Int
        /// Prompt tokens reported as written to the cache, by the Anthropic format only (capped
        /// at the prompt tokens not read from the cache).
        public var cacheWriteTokens: Int
        /// Tokens reported as written to the 1-hour cache, on top of the prompt — as if that much
        /// context had been sent with `cache_control: {type: ephemeral, ttl: 1h}`. The Anthropic
        /// format reports them in `cache_creation.ephemeral_1h_input_tokens`; the others as input.
        public var cacheWrite1hTokens: Int
        /// Hidden reasoning tokens added to each answer's output: OpenAI `reasoning_tokens`,
        /// Gemini `thoughtsTokenCount` (with a `thought` part), inside Anthropic `output_tokens`.
        public var reasoningTokens: Int
        /// The price OpenRouter's `usage.cost` is computed from; nil reports a cost of 0.
        public var costPerMillion: Price?
        /// Milliseconds between a stream's events after the first; 0 sends them back to back.
        public var chunkIntervalMs: Int
        /// This model's faults, replacing the config's ``FakeProviderConfig/faults``; nil uses those.
        public var faults: Faults?
        /// Rate limits enforced with 429s and reported in headers; nil: none.
        public var limits: Limits?
        /// As a judge: the share (0...1) of verdicts it words so that they cannot be read
        /// (no JSON), to exercise the judge's retry.
        public var unparseableVerdicts: Double
        /// What the model does when asked for a JSON Schema answer. Default ``StructuredOutput/valid``.
        public var structuredOutput: StructuredOutput = .valid
        /// Set: the model answers the cases of the config's ``FakeProviderConfig/answerKey``
        /// from their expected values, at this accuracy. Nil: it answers only the demo's phrasings.
        public var simulated: Simulated?

        /// Creates a model.
        /// - Parameters:
        ///   - name: The `model` string clients send.
        ///   - accuracy: Probability (0...1) of a correct answer. Default 1.
        ///   - latencyMs: Mean delay in milliseconds. Default 0.
        ///   - jitterMs: Delay spread in milliseconds. Default 0.
        ///   - flavor: The OpenAI-compatible host to imitate. Default ``Flavor/openai``.
        ///   - cachedTokens: Prompt tokens reported as cache reads. Default 0.
        ///   - cacheWriteTokens: Prompt tokens reported as cache writes (Anthropic). Default 0.
        ///   - cacheWrite1hTokens: Tokens of a 1-hour cache write added to the prompt. Default 0.
        ///   - reasoningTokens: Reasoning tokens added to each answer. Default 0.
        ///   - costPerMillion: Price for OpenRouter's `usage.cost`. Default none.
        ///   - chunkIntervalMs: Delay between stream events. Default 0.
        ///   - faults: The model's own faults. Default nil (the config's apply).
        ///   - unparseableVerdicts: As a judge, the share of verdicts without JSON. Default 0.
        ///   - limits: Rate limits answered with 429s. Default none.
        public init(name: String, accuracy: Double = 1, latencyMs: Int = 0, jitterMs: Int = 0,
                    flavor: Flavor = .openai, cachedTokens: Int = 0, cacheWriteTokens: Int = 0,
                    cacheWrite1hTokens: Int = 0, reasoningTokens: Int = 0, costPerMillion: Price? = nil, chunkIntervalMs: Int = 0,
                    faults: Faults? = nil, unparseableVerdicts: Double = 0, limits: Limits? = nil) {
            self.limits = limits
            self.name = name
            self.accuracy = accuracy
            self.latencyMs = latencyMs
            self.jitterMs = jitterMs
            self.flavor = flavor
            self.cachedTokens = cachedTokens
            self.cacheWriteTokens = cacheWriteTokens
            self.cacheWrite1hTokens = cacheWrite1hTokens
            self.reasoningTokens = reasoningTokens
            self.costPerMillion = costPerMillion
            self.chunkIntervalMs = chunkIntervalMs
            self.faults = faults
            self.unparseableVerdicts = unparseableVerdicts
        }
    }
}
