import ArgumentParser
import Foundation
import TradeoffKit

struct Grade: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Grade a stored run's answers again with the suite's current graders, into a new run.",
        discussion: """
            No candidate model is called: each answer, with its tokens, cost and timings, is copied to a \
            new run and graded by the graders the suite file has now, with its cases' current variables. \
            A judge's verdict is reused when the same judge gets the same prompt about the same answer, \
            and asked again otherwise (that is the new run's cost of evaluating). Cases no longer in the \
            suite are left out. Writes the new run's reports like `run`. Exits 1 when a gate fails, 2 on \
            bad input (no database, no such run, a suite that does not load), 3 when judging or writing \
            the reports fails.

            Examples:
              tradeoff grade results/demo.sqlite
              tradeoff grade results/demo.sqlite --run 3 --suite suites/demo.yaml
            """
    )

    @Argument(help: "The results database (e.g. results/demo.sqlite).", completion: .file(extensions: ["sqlite"]))
    var database: String

    @Option(name: .customLong("run"), help: "The run to grade again: a run id, or 'latest'.")
    var selectedRun: String = "latest"

    @Option(help: "The suite file to take the graders from (default: the file the run ran).",
            completion: .file(extensions: ["yaml", "yml"]))
    var suite: String?

    @Option(name: .customLong("models"), help: "A model catalog for the judges (default: the catalog the run used).",
            completion: .file(extensions: ["yaml", "yml"]))
    var catalog: String?

    @Flag(help: "Do not write the report.")
    var noReport = false

    @OptionGroup var connection: ConnectionOptions

    @OptionGroup var output: ReportOptions

    func run() throws {
        let store = try openExistingStore(database, hint: "; run `tradeoff run SUITE --db \(database)` first")
        let source = try selectRun(selectedRun, in: store)
        let sourceID = source.id!
        let suitePath = suite ?? source.suitePath
        let loader = SuiteLoader()
        let loaded: LoadedSuite
        do {
            loaded = try loader.load(suitePath: suitePath, catalogPath: catalog ?? source.catalogPath)
        } catch let error as DiagnosticsError {
            printError(error.description)
            printError("note: run \(sourceID) is unchanged; fix the suite (or name another with --suite) and grade again")
            throw ExitCode.badInput
        }

        // The flags are checked before any judge is asked (or a new run recorded).
        try output.checkNames(modelIDs: try store.models(ofRun: sourceID).map(\.modelId), suite: loaded.suite,
                              database: database)
        try output.checkOutputs(files: !noReport)
        let candidates = try store.models(ofRun: sourceID).compactMap { loaded.catalog.model($0.modelId) }
        for warning in loader.judgeWarnings(for: loaded.suite, candidates: candidates) { printError(warning.description) }
        let missing = loader.missingCredentials(for: loaded.suite.judgeModels)
        for problem in missing {
            var warning = problem
            warning.severity = .warning
            warning.message += "; verdicts that cannot be reused from run \(sourceID) will be grader errors"
            printError(warning.description)
        }

        let client = try HTTPClient()
        defer { client.shutdown() }
        let regrader = Regrader(store: store, suite: loaded.suite, client: client, retryPolicy: connection.retryPolicy,
                                caBundle: try connection.validatedCABundle())
        let outcome: Regrader.Outcome
        do { outcome = try regrader.regrade(runID: sourceID) } catch {
            printError("error: \(error)")
            throw ExitCode.incomplete
        }

        var line = "run \(outcome.runID) graded from run \(sourceID) with the graders of \(suitePath): "
            + "\(outcome.graded) answers graded, \(outcome.changed) changed"
        if outcome.failedCopied > 0 { line += ", \(outcome.failedCopied) failed calls copied" }
        if outcome.leftOut > 0 { line += ", \(outcome.leftOut) calls of cases no longer in the suite left out" }
        if outcome.judgeCalls + outcome.judgeVerdictsReused > 0 {
            line += "; judges: \(outcome.judgeVerdictsReused) verdicts reused, \(outcome.judgeCalls) calls, "
                + "\(Money.format(micros: outcome.judgeCostMicros))"
        }
        if outcome.graderErrors > 0 { line += "; \(outcome.graderErrors) grader errors" }
        print(line + "; results in \(database)")
        let reported = try output.report(store: store, runID: outcome.runID, suite: loaded.suite, files: !noReport)
        for path in reported.paths { print("report: \(path)") }
        if reported.checksFailed { throw ExitCode.gateFailed }
    }
}
