extension Suite {
    /// The context to freeze with a run of this suite on `models`.
    ///
    /// - Parameters:
    ///   - reference: The reference the run's report uses (`--reference`, else the suite's).
    ///   - margin: The margin δ the run's report uses.
    ///   - gates: The gates the run checks, as written.
    ///   - volume: `--volume`, as written.
    ///   - models: The models' ids in run order.
    public func context(reference: String?, margin: Double, gates: [String], volume: String?,
                        models: [String]) -> RunContext {
        RunContext(reference: reference, margin: margin, gates: gates, volume: volume,
                   tasks: contextTasks, models: models)
    }

    /// The tasks as a run's context keeps them.
    public var contextTasks: [RunContext.Task] {
        tasks.map { RunContext.Task(id: $0.id, threshold: $0.settings.threshold, repeats: $0.settings.repeats) }
    }
}
