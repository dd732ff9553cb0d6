/// How a call is executed once its slot is taken.
///
/// Today every call is sent at once over HTTP (`SendNow`); the batch issue adds a strategy that
/// submits calls in a provider's batch and collects the answers later. Each lane of the
/// executor has its strategy, and every strategy hands back the same `Execution`, so the
/// runner, the judges and the rows do not know which one made a call.
protocol ExecutionStrategy: Sendable {
    /// Executes `order` (handed over, not lent: a strategy keeps it while the call lasts) in a
    /// slot of its lane already taken; `completion` runs once, on `executor.queue`, with the
    /// final outcome. The strategy tells `executor`'s limits how each request went, and the
    /// caller ends the slot.
    func execute(_ order: consuming CallExecutor.Order, on executor: CallExecutor,
                 completion: @escaping @Sendable (CallExecutor.Execution) -> Void)

    /// `lane` has nothing more to start for now (every call is handed over, or its limits are
    /// full): a strategy that gathers calls sends what it has.
    func laneIdle(_ lane: Int, on executor: CallExecutor)

    /// Calls handed over that will not end in this process: sent in a provider's batch by a run
    /// that does not wait for it (`--no-wait`). The run may end with them in flight.
    var parked: Int { get }
}

extension ExecutionStrategy {
    func laneIdle(_ lane: Int, on executor: CallExecutor) {}
    var parked: Int { 0 }
}
