import ArgumentParser
import Foundation
import TradeoffKit

/// `tradeoff batch`: the provider batches of batch-mode runs.
struct Batch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Manage the provider batches of batch-mode runs (run --batch).",
        discussion: """
            Examples:
              tradeoff batch cancel suites/nightly.yaml latest
            """,
        subcommands: [Cancel.self]
    )

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cancel",
            abstract: "Cancel a run's batches at the provider (OpenAI, Anthropic, Gemini) and record it.",
            discussion: """
                Each batch of the run still going at the provider is asked to stop (POST \
                /v1/batches/{id}/cancel, POST /v1/messages/batches/{id}/cancel, POST \
                /v1beta/batches/{id}:cancel), and the status it \
                answers with is recorded in the batches table. The suite and its catalog give the \
                models' base URLs and keys. What a cancelled batch answered before it stopped is \
                collected by a resume; its other requests are recorded as failed, and \
                --resume ID --retry-errors makes them again. Ctrl-C twice while a batch run waits \
                does the same.

                Examples:
                  tradeoff batch cancel suites/nightly.yaml latest
                  tradeoff batch cancel suites/nightly.yaml 12 --db results/nightly.sqlite
                """
        )

        @OptionGroup var selection: SuiteOptions

        @Argument(help: ArgumentHelp("The run whose batches to cancel: 'latest' or a run id.", valueName: "run"))
        var runSelector: String

        @Option(help: "The results database (default: results/<suite>.sqlite).")
        var db: String?

        @Option(help: ArgumentHelp("A PEM file of CA certificates to trust instead of the system's.", valueName: "file"))
        var caBundle: String?

        func run() throws {
            let loader = SuiteLoader()
            let (loaded, plan) = try selection.plan(loader: loader)
            let databasePath = db ?? "results/\(loaded.suite.name).sqlite"
            guard FileManager.default.fileExists(atPath: databasePath) else {
                printError("error: no results database at '\(databasePath)'; name the one the run was recorded in with --db")
                throw ExitCode.badInput
            }
            let store = try ResultStore(path: databasePath)
            let runID: Int64
            do {
                guard let id = try store.run(selectedBy: runSelector).id else { throw ExitCode.badInput }
                runID = id
            } catch let error as RunSelectionError {
                printError("error: \(error)")
                throw ExitCode.badInput
            }
            let outcome = try Self.cancelBatches(ofRun: runID, store: store, models: plan.models, caBundle: caBundle)
            if outcome.cancelled.isEmpty && outcome.failures.isEmpty {
                print("run \(runID) has no batch running at the provider")
            }
            if !outcome.failures.isEmpty { throw ExitCode.incomplete }
        }

        /// Cancels run `runID`'s batches at their providers and prints what became of each.
        @discardableResult
        static func cancelBatches(ofRun runID: Int64, store: ResultStore, models: [ModelEntry],
                                  caBundle: String?) throws -> BatchCancellation {
            let client = try HTTPClient()
            defer { client.shutdown() }
            let outcome = try BatchCancellation.cancel(runID: runID, store: store, models: models, client: client,
                                                       caBundle: caBundle)
            for line in outcome.lines { print(line) }
            return outcome
        }
    }
}
