import ArgumentParser
import Foundation
import TradeoffKit

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the Markdown and CSV reports of a stored run.",
        discussion: "Reads a results database written by `tradeoff run`; makes no model calls."
    )

    @Argument(help: "The results database (e.g. results/demo.sqlite).", completion: .file(extensions: ["sqlite"]))
    var database: String

    @Option(name: .customLong("run"), help: "The run to report: a run id, or 'latest'.")
    var selectedRun: String = "latest"

    @OptionGroup var output: ReportOptions

    func run() throws {
        guard FileManager.default.fileExists(atPath: database) else {
            printError("error: no results database at '\(database)'; run `tradeoff run SUITE --db \(database)` first")
            throw ExitCode.badInput
        }
        let store: ResultStore
        do { store = try ResultStore(path: database) } catch {
            printError("error: \(error)")
            throw ExitCode.badInput
        }
        let runID: Int64
        if selectedRun == "latest" {
            guard let latest = try store.runs().first?.id else {
                printError("error: '\(database)' holds no runs yet")
                throw ExitCode.badInput
            }
            runID = latest
        } else {
            guard let id = Int64(selectedRun), try store.run(id) != nil else {
                let known = try store.runs().compactMap(\.id).map(String.init).joined(separator: ", ")
                printError("error: no run '\(selectedRun)' in '\(database)'; runs: \(known.isEmpty ? "none" : known)")
                throw ExitCode.badInput
            }
            runID = id
        }
        let paths = try output.write(store: store, runID: runID)
        for path in paths { print(path) }
    }
}

/// Where reports go; shared by `run` and `report`.
struct ReportOptions: ParsableArguments {
    @Option(help: "Folder for the reports.")
    var out: String = "reports"

    @Option(help: "Base name of the report files (default: the suite's name).")
    var name: String?

    /// Writes the reports of `runID`; returns the paths written.
    func write(store: ResultStore, runID: Int64) throws -> [String] {
        let summary = try RunSummary.load(from: store, runID: runID)
        let calls = try store.calls(ofRun: runID)
        return try ReportWriter.write(summary, calls: calls, to: out, name: name ?? summary.run.suite)
    }
}
