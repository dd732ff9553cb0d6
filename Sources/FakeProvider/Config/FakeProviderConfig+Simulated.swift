extension FakeProviderConfig {
    /// How a model answers the cases of the config's answer key (`simulated:` in YAML).
    public struct Simulated: Sendable, Hashable {
        /// The share (0...1) of the key's cases answered with the expected value; the others get
        /// a plausible wrong answer.
        public var accuracy: Double

        /// Creates the settings.
        /// - Parameter accuracy: The share of cases answered right. Default 1.
        public init(accuracy: Double = 1) {
            self.accuracy = accuracy
        }
    }
}
