extension Suite {
    /// The context to freeze with a run of this suite on `models`.
    ///
    /// - Parameters:
    ///   - reference: The reference the run's report uses (`--reference`, else the suite's).
    ///   - margin: The margin δ the run's report uses.
    ///   - gates: The gates the run checks, as written.
    ///   - volume: `--volume`, as written.
    ///   - models: The models' ids in run order.
    ///   - slice: The quick slice run, if any.
    public func context(reference: String?, margin: Double, gates: [String], volume: String?,
                        models: [String], slice: QuickSlice? = nil) -> RunContext {
        RunContext(reference: reference, margin: margin, gates: gates, volume: volume,
                   tasks: contextTasks(models: models), models: models, slice: slice,
                   variants: variants.isEmpty ? nil : variants,
                   cascades: cascades.isEmpty ? nil : cascades)
    }

    /// The tasks as a run's context keeps them.
    public var contextTasks: [RunContext.Task] { contextTasks(models: nil) }

    /// The tasks as a run of `models` (nil: any) keeps them: with the models of the run that
    /// have their own wording.
    public func contextTasks(models: [String]?) -> [RunContext.Task] {
        tasks.map { task in
            let own = task.modelsWithOwnWording.filter { models?.contains($0) ?? true }
            return RunContext.Task(id: task.id, threshold: task.settings.threshold, repeats: task.settings.repeats,
                                   ownWording: own.isEmpty ? nil : own, volume: task.volume)
        }
    }
}
