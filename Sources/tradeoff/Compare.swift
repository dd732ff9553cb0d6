import ArgumentParser
import Foundation
import TradeoffKit

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two stored runs case by case: Δ quality, flips, Δ cost and Δ latency per model.",
        discussion: """
            BASELINE and CURRENT are each a results database (its latest run), DATABASE:ID, or a run id \
            in --db; a shared history (postgres://..., its last run, or postgres://...#ID) too. Models are matched by id and cases by task and case id; Δ quality is paired over \
            the cases both runs answered. A regression counts only when it is statistically real: more \
            pass→fail than fail→pass flips with a Holm-adjusted exact McNemar p below 0.05. Prints the \
            comparison as Markdown (and appends it to $GITHUB_STEP_SUMMARY when set). Exits 1 when a gate \
            on CURRENT fails or, with --fail-on-regression, a model regressed; 2 on bad input; 3 when a \
            file cannot be written. With --format json, stdout is one JSON document (--output still \
            writes the Markdown; gate failures and regressions go to stderr).

            Examples:
              tradeoff compare results/nightly.sqlite:41 results/nightly.sqlite:42
              tradeoff compare 41 42 --db results/nightly.sqlite --fail-on-regression
              tradeoff compare 41 42 --db postgres://ci@db.internal/evals
            """
    )

    @Argument(help: "The earlier run: DATABASE, DATABASE:ID or a run id.")
    var baselineRun: String

    @Argument(help: "The later run: DATABASE, DATABASE:ID or a run id.")
    var currentRun: String

    @Option(help: ArgumentHelp("The database that run ids refer to: a file, or the shared history "
                               + "(default: $TRADEOFF_DATABASE_URL).", valueName: "database"))
    var db: String?

    @Option(help: ArgumentHelp("Also write the comparison to this Markdown file.", valueName: "file"))
    var output: String?

    @Option(name: .customLong("gate"),
            help: ArgumentHelp("A condition the current run must meet, like \"quality(llama-3.3-70b) >= 0.85\" (repeatable).",
                               valueName: "condition"))
    var gateTexts: [String] = []

    @Flag(help: "Exit 1 when a model regressed beyond noise.")
    var failOnRegression = false

    @Option(help: ArgumentHelp("Write the checks as JUnit XML to this file.", valueName: "file"))
    var junit: String?

    @OptionGroup var format: FormatOption

    func validate() throws {
        for text in gateTexts {
            do { _ = try Gate(parsing: text) } catch { throw ValidationError("\(error)") }
        }
    }

    func run() throws {
        try checkWritable(file: output, flag: "--output", example: "comparison.md")
        try checkWritable(file: junit, flag: "--junit", example: "junit.xml")
        let environment = ProcessInfo.processInfo.environment[PostgresURL.environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        let baseline = try StoredRun.locate(baselineRun, defaultDatabase: db ?? environment, role: "baseline")
        let current = try StoredRun.locate(currentRun, defaultDatabase: db ?? environment, role: "current")
        let modelIDs = try current.store.armIDs(ofRun: current.runID)
        var gates: [Gate] = []
        for text in gateTexts {
            let gate = try Gate(parsing: text)
            if let problem = gate.problem(modelIDs: modelIDs) {
                printError("error: \(problem)")
                throw ExitCode.badInput
            }
            gates.append(gate)
        }
        let currentSummary = try RunSummary.load(from: current.store, runID: current.runID)
        let baselineSummary = try RunSummary.load(from: baseline.store, runID: baseline.runID)
        let checks = Checks(gates: gates, summary: currentSummary, baseline: baselineSummary,
                            failOnRegression: failOnRegression)
        guard let comparison = checks.baseline else { return }
        let markdown = ComparisonReport(comparison, baselineLabel: baseline.label, currentLabel: current.label,
                                        checks: checks).render()
        if format.isJSON {
            print(CommandOutput.comparison(comparison, baselineLabel: baseline.label, currentLabel: current.label,
                                           checks: checks), terminator: "")
        } else {
            print(markdown, terminator: "")
        }
        if let output { try ReportWriter.write(markdown, to: output) }
        if let summaryFile = ProcessInfo.processInfo.environment["GITHUB_STEP_SUMMARY"], !summaryFile.isEmpty {
            try ReportWriter.append(markdown + "\n", to: summaryFile)
        }
        if let junit { try ReportWriter.write(JUnitReport(currentSummary, checks: checks).render(), to: junit) }
        for result in checks.failedGates { printError("gate failed: " + GateText.line(result)) }
        for change in comparison.regressions {
            printError("regression: \(change.modelID): \(change.passToFail.count) pass→fail, "
                       + "\(change.failToPass.count) fail→pass")
        }
        if checks.failed { throw ExitCode.gateFailed }
    }
}
