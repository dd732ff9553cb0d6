/// The run a `--resume` continues, and the calls it already holds.
///
/// A run is resumed only with the same suite (by content hash) and the same models in the same
/// order, so answers to different questions are never mixed in one run.
public struct Resumption: Sendable, Hashable {
    public var runID: Int64
    /// The calls recorded so far, which the resumed run does not make again.
    public var recorded: Set<CallKey>
    /// What those calls came to, per model: progress and the closing summary count them.
    public var tally: [String: RunTally] = [:]
    /// How the run was left.
    public var status: RunStatus = .interrupted
    /// Calls of the plan not recorded yet.
    public var remaining = 0

    /// Whether there is nothing to resume: the run finished (completed, or incomplete with
    /// every call recorded) and no call is left to make.
    public var isFinished: Bool { remaining == 0 && (status == .completed || status == .incomplete) }

    /// Finds the run `selector` names (`latest`, or a run id) in `store` and checks it may be
    /// continued with `plan`.
    ///
    /// The run is taken over by `owner` before anything is changed or made, and given up again
    /// when there is nothing to resume.
    ///
    /// - Parameters:
    ///   - retryingErrors: Whether calls that ended in an error are made again
    ///     (`--retry-errors`): they are then not among `recorded`.
    ///   - owner: the process that will make the run's calls.
    /// - Throws: `ResumeError` saying why the run cannot be resumed; `RunBusyError` when another
    ///   process is making it; errors of the store.
    public static func find(_ selector: String, for plan: RunPlan, in store: ResultStore,
                            retryingErrors: Bool, owner: RunLease = .current) throws -> Resumption {
        let run: RunRecord?
        if selector == "latest" {
            run = try store.latestRun(ofSuite: plan.suite.name)
        } else if let id = Int64(selector) {
            run = try store.run(id)
        } else {
            throw ResumeError("--resume takes 'latest' or a run id, got '\(selector)'")
        }
        guard let run, let runID = run.id else {
            throw ResumeError("no run \(selector == "latest" ? "of '\(plan.suite.name)'" : selector) to resume in \(store.path)")
        }
        guard run.suite == plan.suite.name, run.suiteHash == plan.suite.contentHash else {
            throw ResumeError("run \(runID) was made with another version of the suite (SHA-256 \(run.suiteHash.prefix(12)), "
                              + "now \(plan.suite.contentHash.prefix(12))); resuming would mix answers to different cases "
                              + "— start a new run")
        }
        let models = try store.models(ofRun: runID).map(\.modelId)
        guard models == plan.models.map(\.id) else {
            throw ResumeError("run \(runID) was made with models \(models.joined(separator: ", ")), not "
                              + "\(plan.models.map(\.id).joined(separator: ", ")); resume it with the same --models and "
                              + "--only-models")
        }
        try store.takeLease(ofRun: runID, for: owner)
        let recorded = try store.recordedCalls(ofRun: runID, retryingErrors: retryingErrors)
        let resumption = Resumption(runID: runID, recorded: recorded, tally: try store.tally(ofRun: runID),
                                    status: run.status, remaining: max(0, plan.callCount - recorded.count))
        if resumption.isFinished { try store.releaseLease(ofRun: runID, for: owner) }
        return resumption
    }
}

/// Why a run cannot be resumed; its description is the message for the user.
public struct ResumeError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ description: String) { self.description = description }
}
