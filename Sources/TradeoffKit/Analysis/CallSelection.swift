/// Which calls count toward which measure.
///
/// Answers replayed from the response cache keep the usage and cost of the call that first
/// made them — what the answer costs, so a cached model does not look free — but they were not
/// timed this run, so they stay out of latency; so do answers of a provider's batch API, whose
/// time is the batch's queue, not the model's. Judge calls are rows of their own
/// (`judge_calls`), never part of a model's cost.
enum CallSelection {
    /// Whether the call's total time and TTFT describe the model's latency.
    static func isLatencySample(_ call: ReportCall) -> Bool {
        call.errorClass == nil && !call.cacheHit && !call.batched
    }

    /// Whether the call's cost is the model's own (rather than a judge's).
    static func countsTowardModelCost(_ call: ReportCall) -> Bool {
        true
    }
}
