import Foundation

/// What cancelling a run's provider batches came to (`tradeoff batch cancel`, Ctrl-C twice
/// while a batch run waits): each batch still going at the provider is asked to stop, and the
/// status it answers with (`cancelling`, `canceling`) is recorded in `batches.status`.
///
/// A cancelled batch ends with the requests it had not run unanswered; a resume of the run
/// collects what it did answer and makes the others again.
public struct BatchCancellation: Sendable, Hashable {
    /// A batch the provider agreed to stop.
    public struct Cancelled: Sendable, Hashable {
        /// The provider's id.
        public var id: String
        /// The status it answered with (`cancelling`, `canceling`).
        public var status: String
    }

    /// The batches asked to stop that the provider agreed to.
    public var cancelled: [Cancelled] = []
    /// Batches that were already over, already being cancelled, or collected: nothing to cancel.
    public var notRunning = 0
    /// Batches recorded without a provider id: never heard of, or not yet (a resume reconciles them).
    public var unsent = 0
    /// Why each batch that could not be cancelled was not, one line each.
    public var failures: [String] = []

    /// Statuses of a batch that will not run another request.
    static let over: Set<String> = ["collected", "abandoned", "completed", "failed", "expired", "cancelled", "ended",
                                    "cancelling", "canceling", "succeeded"]

    /// Asks the provider to cancel each batch of run `runID` still running, and records the
    /// status it answers with.
    ///
    /// - Parameters:
    ///   - models: the run's models as the catalog has them (their base URLs and keys).
    ///   - environment: where API keys are read (by each model's `api_key_env`).
    /// - Throws: `StoreError` when the batches cannot be read.
    public static func cancel(runID: Int64, store: ResultStore, models: [ModelEntry],
                              environment: [String: String] = ProcessInfo.processInfo.environment,
                              client: HTTPClient, caBundle: String? = nil) throws -> BatchCancellation {
        var result = BatchCancellation()
        for batch in try store.batches(ofRun: runID) {
            guard let id = batch.id else { continue }
            guard let providerID = batch.providerBatchId else {
                if batch.status != "abandoned" { result.unsent += 1 }
                continue
            }
            guard !over.contains(batch.status) else {
                result.notRunning += 1
                continue
            }
            guard let model = models.first(where: { $0.id == batch.modelId }) else {
                result.failures.append("\(providerID) (\(batch.modelId)): the model is not in the catalog, so its "
                                       + "provider cannot be asked; name the catalog the run was made with (--models)")
                continue
            }
            let apiKey = model.apiKeyEnv.flatMap { environment[$0] }
            let secrets = [apiKey].compactMap { $0 } + model.baseURLSecrets
            switch SubmitAsBatch.api(for: model, apiKey: apiKey, caBundle: caBundle).cancel(providerID, via: client) {
            case .failure(let error):
                result.failures.append("\(providerID) (\(model.id)): " + Secrets.redact(error.description, secrets))
            case .success(let state):
                try store.updateBatch(id, status: state.status)
                if ["cancelling", "canceling", "cancelled"].contains(state.status) {
                    result.cancelled.append(Cancelled(id: providerID, status: state.status))
                } else {
                    result.notRunning += 1
                }
            }
        }
        return result
    }

    /// One line per batch for the terminal: what was cancelled, what was not and why.
    public var lines: [String] {
        var lines = cancelled.map { "cancelled batch \($0.id) (\($0.status))" }
        lines += failures.map { "error: could not cancel batch \($0)" }
        if notRunning > 0 { lines.append("\(notRunning) batches were already over or being cancelled") }
        if unsent > 0 {
            lines.append("\(unsent) batches have no provider id recorded (never sent, or the process died while sending); "
                         + "a resume finds them")
        }
        return lines
    }
}
