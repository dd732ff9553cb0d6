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
        let slice: Shard?
        do { slice = try shard?.resolve(environment: ProcessInfo.processInfo.environment) } catch {
            printError("error: \(error)")
            throw ExitCode.badInput
        }
        return (loaded, RunPlan(suite: loaded.suite, models: try selectModels(loaded), shard: slice))
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
