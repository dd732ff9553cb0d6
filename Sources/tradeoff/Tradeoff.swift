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
              1  a gate failed, or a statistically real regression (only that)
              2  bad input: invalid suite or catalog, bad flag, unset key variable,
                 a missing database, a resume of a run another process is making
                 (nothing is written, nothing is spent)
              3  the run did not complete: calls failed, it was interrupted (Ctrl-C,
                 SIGTERM, SIGHUP), or results or reports could not be saved (a full
                 disk); what was recorded is kept

            Examples:
              tradeoff validate suites/demo.yaml suites/demo.models.yaml
              tradeoff plan suites/demo.yaml
              tradeoff run suites/demo.yaml --out reports
            """,
        version: ToolVersion.current,
        subcommands: [Run.self, Plan.self, Batch.self, Merge.self, Push.self, Validate.self, Grade.self, Report.self, Compare.self, History.self, Route.self, Models.self, Prices.self, Import.self]
    )

    /// Parses and runs the command, mapping argument errors to exit code 2 (bad input) and any
    /// other error a command did not turn into an exit code — a report or database that could
    /// not be written — to 3, so that 1 always means a gate failed.
    static func main() {
        StandardStream.ignoreWriteSignals()
        LargeAllocations.mapApart()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                StandardStream.error.write(fullMessage(for: error) + "\n")
                Foundation.exit(ExitCode.badInput.rawValue)
            }
            if code == .failure, !(error is ExitCode) {
                printError("error: \(error)")
                Foundation.exit(ExitCode.incomplete.rawValue)
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
    StandardStream.error.write(text + "\n")
}

/// Opens a results database that must already exist: a missing or unreadable file is bad
/// input (exit 2), reported with what to do, and no empty database is created.
///
/// - Parameter hint: added to the "no results database" message (e.g. how to make one).
func openExistingStore(_ path: String, hint: String = "") throws -> ResultStore {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        printError("error: no results database at '\(path)'\(hint)")
        throw ExitCode.badInput
    }
    try refuseFolder(path, isDirectory: isDirectory.boolValue)
    do {
        return try ResultStore(path: path)
    } catch {
        printError("error: \(error)")
        throw ExitCode.badInput
    }
}

/// Refuses a folder named as a results database (`report .`): bad input, exit 2.
///
/// - Parameter role: the argument or option that named it, for the message.
func refuseFolder(_ path: String, isDirectory: Bool, role: String? = nil) throws {
    guard isDirectory else { return }
    printError("error: \(role.map { "\($0): " } ?? "")'\(path)' is a folder, not a results database; name the database "
               + "file (like results/demo.sqlite)")
    throw ExitCode.badInput
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

/// Refuses a flag naming a file to write that is a folder (`--junit .`) or sits under a file,
/// before anything is read, written or spent: the output cannot be written, exit 3.
///
/// - Parameters:
///   - path: The flag's value, if given.
///   - flag: The flag, for the message (`--junit`).
///   - example: A file name to suggest in a folder (`junit.xml`).
func checkWritable(file path: String?, flag: String, example: String) throws {
    guard let path, let problem = OutputPath.fileProblem(path, example: example) else { return }
    printError("error: \(flag): \(problem)")
    throw ExitCode.incomplete
}

/// Refuses a folder flag (`--out`) that names a file or sits under one, before anything is
/// read, written or spent: the reports cannot be written, exit 3.
func checkWritable(folder path: String, flag: String) throws {
    guard let problem = OutputPath.folderProblem(path) else { return }
    printError("error: \(flag): \(problem); the reports cannot be written there")
    throw ExitCode.incomplete
}
