import Foundation
import ArgumentParser
import Foundation
import TradeoffKit

/// Which suite, on which models, and which slice of its cases: shared by `run` and `plan`.
struct SuiteOptions: ParsableArguments {
    @Argument(help: "The suite YAML file.", completion: .file(extensions: ["yaml", "yml"]))
    var suite: String

    @Option(name: .customLong("models"), help: "A model catalog to use instead of the suite's `models:`.",
            completion: .file(extensions: ["yaml", "yml"]))
    var catalog: String?

    @Option(help: ArgumentHelp("Only these catalog models (comma-separated ids).", valueName: "ids"))
    var onlyModels: String?

    @Option(help: ArgumentHelp("Only the i-th of n deterministic slices of the cases (e.g. 2/4), for a CI matrix.",
                               discussion: "Slices are disjoint and together cover every case; `tradeoff merge` combines their "
                                   + "databases. In a Kubernetes Indexed Job, --shard auto/N takes i from JOB_COMPLETION_INDEX "
                                   + "(0-based: index 0 runs 1/N); --shard auto takes N from TRADEOFF_SHARD_COUNT too.",
                               valueName: "i/n|auto/n|auto"),
            transform: { text in
                do { return try ShardChoice(parsing: text) } catch { throw ValidationError("\(error)") }
            })
    var shard: ShardChoice?

    @Option(help: ArgumentHelp("Only these tasks (comma-separated ids), for a quick local or PR run.", valueName: "ids"))
    var onlyTasks: String?

    @Option(help: ArgumentHelp("Only the first N cases of each task.", valueName: "N"))
    var limit: Int?

    @Option(help: ArgumentHelp("Only a random N cases of each task, drawn with --seed (the same seed picks the same cases).",
                               valueName: "N"))
    var sample: Int?

    @Option(help: ArgumentHelp("The seed of --sample (default 0).", valueName: "S"))
    var seed: UInt64?

    /// The quick slice the flags ask for; nil for none.
    var slice: QuickSlice? {
        let tasks = onlyTasks.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        let slice = QuickSlice(onlyTasks: tasks, limit: limit, sample: sample, seed: seed)
        return slice.isEmpty ? nil : slice
    }

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1, got \(limit)") }
        if let sample, sample < 1 { throw ValidationError("--sample must be at least 1, got \(sample)") }
        if limit != nil && sample != nil {
            throw ValidationError("--limit and --sample both choose the cases of each task; give one")
        }
        if seed != nil && sample == nil { throw ValidationError("--seed goes with --sample (it draws the sample)") }
        if let onlyTasks, onlyTasks.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw ValidationError("--only-tasks takes task ids separated by commas, got '\(onlyTasks)'")
        }
    }

    /// Loads the suite and catalog (printing every problem and exiting 2 when invalid) and
    /// returns the plan for the selected models and slice.
    func plan(loader: SuiteLoader) throws -> (LoadedSuite, RunPlan) {
        let loaded: LoadedSuite
        do {
            loaded = try loader.load(suitePath: suite, catalogPath: catalog)
        } catch let error as DiagnosticsError {
            printError(error.description)
            throw ExitCode.badInput
        }
        let slice = self.slice
        let taskIDs = loaded.suite.tasks.map(\.id)
        for id in slice?.onlyTasks ?? [] where !taskIDs.contains(id) {
            let hint = Suggestions.closest(to: id, among: taskIDs).map { " (did you mean '\($0)'?)" } ?? ""
            printError("error: unknown task '\(id)' in --only-tasks\(hint); the suite's tasks are: "
                       + taskIDs.joined(separator: ", "))
            throw ExitCode.badInput
        }
        let shard: Shard?
        do { shard = try self.shard?.resolve(environment: ProcessInfo.processInfo.environment) } catch {
            printError("error: \(error)")
            throw ExitCode.badInput
        }
        return (loaded, RunPlan(suite: loaded.suite, models: try selectModels(loaded), shard: shard, slice: slice))
    }

    private func selectModels(_ loaded: LoadedSuite) throws -> [ModelEntry] {
        guard let onlyModels else { return loaded.models }
        do {
            return try loaded.catalog.models(selectedBy: onlyModels)
        } catch let error as ModelSelectionError {
            printError("error: \(error)")
            throw ExitCode.badInput
        }
    }
}
