/// Which calls count toward which measure.
///
/// Cache hits (answers replayed from a cache, instant and free) and judge calls (a model grading
/// another model's answer) will be flagged in the store; they must stay out of a model's latency
/// and its own cost, though they count in the run's total spend. The store has no such columns
/// yet: when it does, each exclusion is one line below (`&& !call.cacheHit`, `&& !call.isJudge`).
enum CallSelection {
    /// Whether the call's total time and TTFT describe the model's latency.
    static func isLatencySample(_ call: CallRecord) -> Bool {
        call.errorClass == nil
    }

    /// Whether the call's cost is the model's own (rather than a judge's).
    static func countsTowardModelCost(_ call: CallRecord) -> Bool {
        true
    }
}
