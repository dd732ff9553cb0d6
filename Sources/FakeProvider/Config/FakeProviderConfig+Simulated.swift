extension FakeProviderConfig {
    /// How a model answers the cases of the config's answer key (`simulated:` in YAML).
    ///
    /// ```yaml
    /// simulated: {accuracy: 0.80, tasks: {triage: 0.97}}   # 97% right on triage, 80% elsewhere
    /// ```
    public struct Simulated: Sendable, Hashable {
        /// The share (0...1) of the key's cases answered with the expected value; the others get
        /// a plausible wrong answer.
        public var accuracy: Double
        /// Per task id of the answer key's suite, the share answered right on that task, in place
        /// of ``accuracy``; tasks not listed use ``accuracy``.
        public var tasks: [String: Double]

        /// Creates the settings.
        /// - Parameters:
        ///   - accuracy: The share of cases answered right. Default 1.
        ///   - tasks: Per task id, its own share. Default none.
        public init(accuracy: Double = 1, tasks: [String: Double] = [:]) {
            self.accuracy = accuracy
            self.tasks = tasks
        }

        /// The share answered right on the task `taskID`.
        public func accuracy(onTask taskID: String) -> Double {
            tasks[taskID] ?? accuracy
        }
    }
}
