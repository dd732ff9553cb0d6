import ArgumentParser
import Foundation
import TradeoffKit

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the reports of a stored run and check its gates.",
        discussion: """
            Reads a results database written by `tradeoff run`, or the shared history a `tradeoff push` \
            filled (--db postgres://..., or $TRADEOFF_DATABASE_URL; run ids are the server's); makes no model calls. Writes NAME.md \
            (linking the NAME.svg chart), NAME.html (one page that works offline), NAME.json, NAME.csv, \
            NAME.tasks.csv, NAME.routing.csv and NAME.calls.csv; with --pdf, NAME.pdf too. The margin, reference, gates and \
            volume are the run's own, kept with it when it ran (flags override them, and are named when they \
            differ). Exits 1 when a gate fails (or, with --fail-on-regression, a model regressed), 2 on bad \
            input (--pdf without a browser among them), 3 when a report cannot be written.

            Examples:
              tradeoff report results/demo.sqlite --out reports
              tradeoff report results/demo.sqlite --run 3 --gate "quality(*) >= 0.8"
              tradeoff report results/demo.sqlite --reprice
              tradeoff report results/demo.sqlite --pdf
              tradeoff report --db postgres://ci@db.internal/evals --run 41
            """
    )

    @Argument(help: "The results database (e.g. results/demo.sqlite).", completion: .file(extensions: ["sqlite"]))
    var database: String?

    @Option(help: ArgumentHelp("The shared history to read instead of a file (default: $TRADEOFF_DATABASE_URL).",
                               valueName: "postgres://user@host/db"))
    var db: String?

    @Option(name: .customLong("run"), help: "The run to report: a run id, or 'latest'.")
    var selectedRun: String = "latest"

    @OptionGroup var output: ReportOptions

    @Flag(help: "Cost the run again at today's prices from its stored tokens (no calls; the run is unchanged).")
    var reprice = false

    @OptionGroup var printing: PDFOptions

    func run() throws {
        let database = try namedDatabase(self.database, db: db)
        // With the shared history, the run before it of its suite (the default baseline) comes too.
        let opened = try openRun(database, selected: selectedRun, withPrevious: true)
        let (store, runID, snapshot) = (opened.store, opened.runID, opened.snapshot)
        defer { withExtendedLifetime(snapshot) {} }
        try output.checkOutputs(files: true)
        // Before anything is written: a missing browser is known now.
        let printer = try printing.printer()
        if reprice {
            let paths = try Prices.writeRepricedReports(store: store, runID: runID, output: output)
            for path in paths + (try PDFOptions.printPDF(of: paths, with: printer)) { print(path) }
            return
        }
        let frozen = try store.run(runID)?.context != nil
        let outcome = try output.report(store: store, runID: runID,
                                        suite: frozen ? nil : try suiteSettings(store: store, runID: runID),
                                        database: snapshot == nil ? nil : database)
        for path in outcome.paths + (try PDFOptions.printPDF(of: outcome.paths, with: printer)) { print(path) }
        if outcome.checksFailed { throw ExitCode.gateFailed }
    }

    /// For a run made before runs kept their settings: the suite the run ran, for its `margin:`,
    /// `reference:` and `gates:`, when the file still loads and is unchanged since the run; nil,
    /// with a note saying so, otherwise.
    private func suiteSettings(store: ResultStore, runID: Int64) throws -> Suite? {
        guard let run = try store.run(runID) else { return nil }
        guard FileManager.default.fileExists(atPath: run.suitePath) else {
            printError("note: run \(runID) was made before runs kept their settings, and its suite \(run.suitePath) is not "
                       + "found from here; its margin, reference and gates are not applied (give them as flags)")
            return nil
        }
        guard let loaded = try? SuiteLoader().load(suitePath: run.suitePath, catalogPath: run.catalogPath),
              loaded.suite.contentHash == run.suiteHash else {
            printError("note: \(run.suitePath) changed or does not load since run \(runID); its margin, reference and "
                       + "gates are not applied (give them as flags)")
            return nil
        }
        return loaded.suite
    }
}

/// Where reports go and what they compare and check; shared by `run` and `report`.
struct ReportOptions: ParsableArguments {
    @Option(help: "Folder for the reports.")
    var out: String = "reports"

    @Option(help: "Base name of the report files (default: the suite's name).")
    var name: String?

    @Option(help: ArgumentHelp("The model every other is compared with (default: the frontier model of best quality); "
                               + "with prompt variants, an arm: --reference 'gpt-4o · terse'.",
                               valueName: "model-id"))
    var reference: String?

    // Unconditional: `--margin -0.1` gets the range message in `validate`, not "Missing value".
    @Option(parsing: .unconditional,
            help: ArgumentHelp("Non-inferiority margin δ, as a fraction of quality (default 0.05, or the suite's 'margin:').",
                               valueName: "delta"))
    var margin: Double?

    @Option(help: ArgumentHelp("Monthly volume for the cost projection, like 2M/month or 500k.", valueName: "cases"))
    var volume: String?

    @Flag(name: .customLong("csv-bom"), help: "Start each CSV file with a UTF-8 byte order mark, so Excel reads it as UTF-8.")
    var csvBOM = false

    @OptionGroup var checks: CheckOptions

    func validate() throws {
        if let margin, !(margin > 0 && margin < 1) {
            throw ValidationError("--margin must be between 0 and 1 (0.05 = 5 points), got \(margin)")
        }
        if let volume {
            do { _ = try Volume(parsing: volume) } catch { throw ValidationError("\(error)") }
        }
    }

    /// Refuses, before anything is read or spent, an `--out` that is a file (when reports are
    /// written) and a `--junit` that is a folder: exit 3, the reports could not be written.
    func checkOutputs(files: Bool) throws {
        if files { try checkWritable(folder: out, flag: "--out") }
        try checkWritable(file: checks.junit, flag: "--junit", example: "junit.xml")
    }

    /// Refuses, before the first call, a `--reference` or `--gate` naming a model the run will
    /// not have, and a `--baseline` that names no stored run: exit 2, bad input.
    ///
    /// - Parameters:
    ///   - modelIDs: The models the run will have.
    ///   - suite: The suite, whose gates and reference only get notes when they do not fit.
    ///   - database: The database the run goes to, where a `--baseline` run id is looked up.
    func checkNames(modelIDs: [String], suite: Suite?, database: String) throws {
        let armIDs = PromptArm.labels(models: modelIDs, variants: suite?.variants ?? [])
        let choices = ReportChoices(modelIDs: armIDs, suite: suite?.reportSide, reference: reference, margin: margin,
                                    volume: nil, gates: try checks.gateTexts.map(Gate.init(parsing:)))
        guard choices.problems.isEmpty else {
            for problem in choices.problems { printError("error: \(problem)") }
            throw ExitCode.badInput
        }
        if let baseline = checks.baseline {
            _ = try StoredRun.locate(baseline, defaultDatabase: database, role: "--baseline", suite: suite?.name)
        }
    }

    /// What a run of `suite` on `modelIDs` freezes for its reports: the settings the flags and
    /// the suite decide, the suite's tasks and the models' order.
    func context(suite: Suite, modelIDs: [String], slice: QuickSlice? = nil) throws -> RunContext {
        let armIDs = PromptArm.labels(models: modelIDs, variants: suite.variants)
        let choices = ReportChoices(modelIDs: armIDs, suite: suite.reportSide, reference: reference, margin: margin,
                                    volume: nil, gates: try checks.gateTexts.map(Gate.init(parsing:)))
        // Said once, here: what is set aside is set aside for good, and the reports never repeat it.
        for note in choices.notes { printError("note: \(note)") }
        return suite.context(reference: choices.settings.reference, margin: choices.settings.margin,
                             gates: choices.gates.map(\.text), volume: volume, models: modelIDs, slice: slice)
    }

    /// Writes the reports of `runID` with the flags alone; returns the paths written.
    func write(store: ResultStore, runID: Int64) throws -> [String] {
        try report(store: store, runID: runID, suite: nil).paths
    }

    /// Analyses run `runID` with the suite's settings (when given) and the flags, checks its gates
    /// and regressions, and writes the reports, the JUnit file and the CI step summary.
    ///
    /// - Parameters:
    ///   - suite: The suite the run ran, for its `margin:`, `reference:` and `gates:`.
    ///   - files: Whether to write the report files (`run --no-report` checks only).
    /// - Throws: `ExitCode.badInput` after printing why, for a reference or gate naming a model
    ///   the run does not have.
    ///   - database: What run ids of `--baseline` refer to, when not `store`'s file (the shared history's URL).
    func report(store: ResultStore, runID: Int64, suite: Suite?, files: Bool = true,
                database: String? = nil) throws -> ReportOutcome {
        let modelIDs = try store.armIDs(ofRun: runID)
        let frozen = try store.run(runID)?.context
        let flagGates = try checks.gateTexts.map(Gate.init(parsing:))
        let choices: ReportChoices
        if let frozen {
            // The run's own settings; a flag that says otherwise wins, and the user is told.
            for difference in frozen.differences(reference: reference, margin: margin, volume: volume) {
                printError("note: \(difference) (run \(runID)'s own settings are kept with it)")
            }
            let side = ReportChoices.SuiteSide(reference: frozen.reference, margin: frozen.margin,
                                               gates: frozen.gates.compactMap { try? Gate(parsing: $0) })
            choices = ReportChoices(modelIDs: modelIDs, suite: side, reference: reference, margin: margin,
                                    volume: (volume ?? frozen.volume).flatMap { try? Volume(parsing: $0) },
                                    gates: flagGates.filter { !frozen.gates.contains($0.text) })
        } else {
            choices = ReportChoices(modelIDs: modelIDs, suite: suite?.reportSide, reference: reference, margin: margin,
                                    volume: volume.flatMap { try? Volume(parsing: $0) }, gates: flagGates)
        }
        for note in choices.notes { printError("note: \(note)") }
        guard choices.problems.isEmpty else {
            for problem in choices.problems { printError("error: \(problem)") }
            printError("note: the results are kept in \(store.path); fix the flags and run `tradeoff report "
                       + "\(store.path) --run \(runID)`")
            throw ExitCode.badInput
        }
        let (settings, gates) = (choices.settings, choices.gates)

        if !files && gates.isEmpty && !checks.needsAnalysis { return ReportOutcome(paths: [], checksFailed: false) }
        // The calls are folded as they are read, their rows of the calls file formatted in the same
        // pass, and read again only where a report shows them whole; the calls file, the longest
        // to write, is put in order as soon as their order is known.
        let spill = files ? try ReportWriter.startSpill(in: out, variants: frozen?.variants ?? []) : nil
        let (fold, calls) = try CallFold.read(from: store, runID: runID) { call, model in try spill?.add(call, model: model) }
        let callsFile = try spill.map {
            try ReportWriter.startCallsFile(in: out, name: name ?? fold.run.suite, order: fold.callOrder,
                                            spilled: try $0.finish(), csvBOM: csvBOM)
        }
        var reportWritten = false
        defer { if !reportWritten { callsFile?.discard() } }
        // The fold is given up, so the summary takes its tables without copying them.
        let summary = try RunSummary(consume fold, calls: calls, settings: settings)
        let baseline = try checks.baseline(for: summary, in: store, database: database ?? store.path)
        let results = Checks(gates: gates, summary: summary, baseline: baseline, failOnRegression: checks.failOnRegression)
        var paths: [String] = []
        if let callsFile {
            // The page shows every grader's reason and each case's variables: the rows the summary
            // skipped are read for its cases alone.
            var cases = try summary.drillDown(ownCalls: calls)
            cases.fill(grades: try store.grades(ofCalls: cases.callIDsWithoutGrades),
                       variables: try store.variables(ofRun: runID, cases: cases.cases.map { ($0.taskID, $0.caseID) }))
            paths = try ReportWriter.write(summary, callsFile: callsFile, checks: results.isEmpty ? nil : results, cases: cases)
            reportWritten = true
            // The chart file is not reachable from a job summary, so the summary's copy goes without it.
            if let summaryFile = ProcessInfo.processInfo.environment["GITHUB_STEP_SUMMARY"], !summaryFile.isEmpty {
                try ReportWriter.append(MarkdownReport(summary, checks: results.isEmpty ? nil : results).render() + "\n",
                                        to: summaryFile)
            }
        }
        try checks.finish(results, summary: summary)
        return ReportOutcome(paths: paths, checksFailed: results.failed)
    }
}

/// What `ReportOptions.report` did.
struct ReportOutcome {
    /// The report files written.
    var paths: [String]
    /// Whether a gate failed or a regression fails the job: exit 1.
    var checksFailed: Bool
}

/// Gates and regression checks for CI; shared by `run`, `report` and `compare`.
struct CheckOptions: ParsableArguments {
    @Option(name: .customLong("gate"),
            help: ArgumentHelp("A condition the run must meet, like \"quality(llama-3.3-70b) >= 0.85\", "
                               + "\"cost_per_case(*) <= 0.002\" or \"p95_latency(*) <= 4s\" (repeatable).",
                               valueName: "condition"))
    var gateTexts: [String] = []

    @Flag(help: "Exit 1 when a model regressed beyond noise against the baseline run.")
    var failOnRegression = false

    @Option(help: ArgumentHelp("The run to check regressions against: a run id in the same database, a database "
                               + "(its latest run) or DATABASE:ID (default: the previous run of the suite).",
                               valueName: "run"))
    var baseline: String?

    @Option(help: ArgumentHelp("Write the checks as JUnit XML to this file.", valueName: "file"))
    var junit: String?

    /// Whether anything beyond gates asks for the analysis: a regression check or a JUnit file.
    var needsAnalysis: Bool { failOnRegression || baseline != nil || junit != nil }

    func validate() throws {
        for text in gateTexts {
            do { _ = try Gate(parsing: text) } catch { throw ValidationError("\(error)") }
        }
    }

    /// The baseline run to check regressions against: `--baseline`, or with `--fail-on-regression`
    /// the latest earlier run of the same suite in the database; nil when there is none.
    ///
    /// - Parameter database: What a run id in `--baseline` refers to (the store's file, or a URL).
    func baseline(for summary: RunSummary, in store: ResultStore, database: String) throws -> RunSummary? {
        if let baseline {
            let located = try StoredRun.locate(baseline, defaultDatabase: database, role: "--baseline",
                                               suite: summary.run.suite)
            return try RunSummary.load(from: located.store, runID: located.runID, settings: summary.settings)
        }
        guard failOnRegression, let runID = summary.run.id else { return nil }
        guard let earlier = try store.previousRun(before: runID, ofSuite: summary.run.suite), let earlierID = earlier.id else {
            printError("note: no earlier run of '\(summary.run.suite)' in \(store.path) to check regressions against")
            return nil
        }
        return try RunSummary.load(from: store, runID: earlierID, settings: summary.settings)
    }

    /// Prints the checks' outcome, and writes the JUnit file when asked.
    func finish(_ checks: Checks, summary: RunSummary) throws {
        if let junit { try ReportWriter.write(JUnitReport(summary, checks: checks).render(), to: junit) }
        guard !checks.isEmpty else { return }
        for result in checks.gateResults where !result.passed { printError("gate failed: " + GateText.line(result)) }
        if let comparison = checks.baseline {
            for change in comparison.regressions {
                printError("regression: \(change.modelID) against run \(comparison.baseline.run.id.map(String.init) ?? "?"): "
                           + "\(change.passToFail.count) pass→fail, \(change.failToPass.count) fail→pass "
                           + "(Holm-adjusted McNemar p \(String(format: "%.3g", change.comparison.adjustedPValue)))")
            }
        }
        var parts: [String] = []
        if !checks.gateResults.isEmpty {
            parts.append("\(checks.gateResults.filter(\.passed).count) of \(checks.gateResults.count) gate checks passed")
        }
        if let comparison = checks.baseline {
            let count = comparison.regressions.count
            parts.append("\(count) \(count == 1 ? "regression" : "regressions") against run "
                         + (comparison.baseline.run.id.map(String.init) ?? "?"))
        }
        let line = "checks: " + parts.joined(separator: ", ")
        print(line + (checks.failed ? " (failed)" : ""))
    }
}
