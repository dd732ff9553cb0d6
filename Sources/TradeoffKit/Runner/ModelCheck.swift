import Dispatch
import Foundation
import Synchronization

/// Sends one tiny request to each model, so a wrong key, base URL or model name shows up in
/// seconds instead of after a long run.
public enum ModelCheck {
    /// What one model's check found.
    public struct Result: Sendable, Hashable {
        public var modelID: String
        /// nil when the model answered.
        public var error: CallError?
        /// The answer, when there was one.
        public var answer: String?
        /// Whether the provider reported usage (false: Tradeoff would estimate it).
        public var usageReported: Bool?
        public var latencyMs: Double?
        public var ttftMs: Double?
        public var servedModel: String?

        public var ok: Bool { error == nil }
    }

    /// The request sent: small enough to cost next to nothing.
    public static let chat = ChatRequest(messages: [ChatMessage(role: .user, content: "Reply with the single word: ok")],
                                         temperature: 0, maxTokens: 16)

    /// Checks every model at once and returns the results in the models' order.
    ///
    /// - Parameter environment: where keys are read; a model whose key variable is unset is
    ///   reported as an auth problem without calling it.
    public static func run(_ models: [ModelEntry], client: HTTPClient, environment: [String: String],
                           caBundle: String? = nil) -> [Result] {
        let results = Mutex([Result?](repeating: nil, count: models.count))
        let group = DispatchGroup()
        for (index, model) in models.enumerated() {
            var apiKey: String?
            if let name = model.apiKeyEnv {
                guard let value = environment[name], !value.isEmpty else {
                    let error = CallError(.auth, "environment variable '\(name)' is not set")
                    results.withLock { $0[index] = Result(modelID: model.id, error: error) }
                    continue
                }
                apiKey = value
            }
            group.enter()
            let request = Provider.request(for: chat, model: model, apiKey: apiKey, caBundle: caBundle)
            client.send(request) { [apiKey] outcome in
                let timings = (try? outcome.get().timings) ?? outcome.failure?.timings
                var result = Result(modelID: model.id, latencyMs: timings.map { $0.total * 1000 })
                let secrets = [apiKey].compactMap { $0 } + model.baseURLSecrets
                switch Provider.interpret(outcome, for: chat, model: model, secrets: secrets) {
                case .success(let reply):
                    result.answer = reply.text
                    result.usageReported = reply.usage.source == .reported
                    result.ttftMs = reply.firstContentSeconds.map { $0 * 1000 }
                    result.servedModel = reply.servedModel
                case .failure(var error):
                    error.message = Secrets.redact(error.message, apiKey.map { [$0] } ?? [])
                    result.error = error
                }
                results.withLock { $0[index] = result }
                group.leave()
            }
        }
        group.wait()
        return results.withLock { $0.compactMap { $0 } }
    }
}
