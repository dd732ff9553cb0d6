import ArgumentParser
import Foundation
import TradeoffKit

@main
struct Tradeoff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tradeoff",
        abstract: "Decide, with evidence, which language model each workload should run on.",
        discussion: """
            Runs YAML evaluation suites against open and frontier models over HTTP, \
            records every call (answer, grade, tokens, cost, latency) in SQLite, and \
            writes Markdown and CSV reports.

            Exit codes:
              0  ok
              1  a gate failed, or a statistically real regression
              2  bad input: invalid suite or catalog, bad flag, unset key variable
              3  the run did not complete: calls failed, it was interrupted, or
                 results could not be saved (what was recorded is kept)
            """,
        version: ToolVersion.current,
        subcommands: [Run.self, Plan.self, Merge.self, Validate.self, Grade.self, Report.self, Compare.self, History.self, Models.self, Prices.self]
    )

    /// Parses and runs the command, mapping argument errors to exit code 2 (bad input).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(ExitCode.badInput.rawValue)
            }
            exit(withError: error)
        }
    }
}

extension ExitCode {
    /// A quality or cost gate failed.
    static let gateFailed = ExitCode(1)
    /// Invalid suite, catalog, flags or environment.
    static let badInput = ExitCode(2)
    /// The run could not complete; what was recorded is kept.
    static let incomplete = ExitCode(3)
}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Opens a results database that must already exist: a missing or unreadable file is bad
/// input (exit 2), reported with what to do, and no empty database is created.
///
/// - Parameter hint: added to the "no results database" message (e.g. how to make one).
func openExistingStore(_ path: String, hint: String = "") throws -> ResultStore {
    guard FileManager.default.fileExists(atPath: path) else {
        printError("error: no results database at '\(path)'\(hint)")
        throw ExitCode.badInput
    }
    do {
        return try ResultStore(path: path)
    } catch {
        printError("error: \(error)")
        throw ExitCode.badInput
    }
}

/// The run `selector` (`latest` or an id) names in `store`; a missing one is bad input (exit 2),
/// reported with the runs there are.
///
/// - Parameter role: the option the run was named by, when not `--run` (`--baseline`).
func selectRun(_ selector: String, in store: ResultStore, role: String? = nil) throws -> RunRecord {
    do {
        return try store.run(selectedBy: selector)
    } catch let error as RunSelectionError {
        printError("error: \(role.map { "\($0): " } ?? "")\(error)")
        throw ExitCode.badInput
    }
}
