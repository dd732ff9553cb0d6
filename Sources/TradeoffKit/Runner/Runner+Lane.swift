extension Runner {
    /// A candidate model as its lane's calls use it, held once: a call's completion captures this
    /// reference, not the entry (each copy of an entry retains its twenty-odd texts).
    final class Lane: Sendable {
        let model: ModelEntry
        /// Read from the environment by the model's `api_key_env`.
        let apiKey: String?

        init(_ model: ModelEntry, apiKey: String?) {
            self.model = model
            self.apiKey = apiKey
        }
    }
}
