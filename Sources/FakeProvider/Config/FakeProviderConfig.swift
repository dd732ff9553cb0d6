/// What the fake provider serves: its API key and the simulated models.
///
/// Load it from YAML with ``init(yaml:file:)`` or ``init(contentsOf:)``, or build it in a test:
/// ```swift
/// let config = FakeProviderConfig(apiKey: "k", models: [.init(name: "sim/a", accuracy: 1)])
/// ```
public struct FakeProviderConfig: Sendable, Hashable {
    /// The key clients must send as `Authorization: Bearer KEY`; nil accepts any request.
    public var apiKey: String?
    /// The models, in config order; names are unique.
    public var models: [Model]

    /// Creates a config.
    /// - Parameters:
    ///   - apiKey: The required bearer key, or nil for no authentication.
    ///   - models: The simulated models.
    public init(apiKey: String? = nil, models: [Model]) {
        self.apiKey = apiKey
        self.models = models
    }

    /// The model named `name` (the `model` string clients send), if any.
    public func model(named name: String) -> Model? {
        models.first { $0.name == name }
    }

    /// One simulated model.
    public struct Model: Sendable, Hashable {
        /// The `model` string clients send, e.g. `sim/gpt-4o`.
        public var name: String
        /// Probability (0...1) that an answer is correct.
        public var accuracy: Double
        /// Mean delay in milliseconds before the response is sent.
        public var latencyMs: Int
        /// Spread of the delay: each request waits `latencyMs ± jitterMs`, chosen by the request's hash.
        public var jitterMs: Int

        /// Creates a model.
        /// - Parameters:
        ///   - name: The `model` string clients send.
        ///   - accuracy: Probability (0...1) of a correct answer. Default 1.
        ///   - latencyMs: Mean delay in milliseconds. Default 0.
        ///   - jitterMs: Delay spread in milliseconds. Default 0.
        public init(name: String, accuracy: Double = 1, latencyMs: Int = 0, jitterMs: Int = 0) {
            self.name = name
            self.accuracy = accuracy
            self.latencyMs = latencyMs
            self.jitterMs = jitterMs
        }
    }
}
