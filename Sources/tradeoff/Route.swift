import ArgumentParser
import Foundation
import TradeoffKit

struct Route: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "Show a stored run's portfolio and cascades: which model each task goes to, which cheap model to try first, and what that costs and scores.",
        discussion: """
            Prints the report's Routing section for one run: each task sent to its recommended model (the \
            cheapest shown non-inferior to the reference on that task, else the reference) and why, the \
            portfolio's quality with its 95% interval, its cost per 1,000 cases and at the run's stated \
            volume (`--volume`, else the tasks' stated `volume:`), with the routed answers' latency \
            percentiles, against the reference alone and the best single model; or why there is no \
            portfolio. Then the cascades: the suite's `cascades:` and every open → frontier pair, each \
            trying its first model and escalating when an `online: true` grader fails on the answer, with \
            the quality paired with the last model, PGR, escalation rate, cost (the checks' own included) \
            and latency. It is a what-if on the suite's cases, not a measured production router. Makes no model calls \
            and writes no files; the margin, reference and volume are the run's own. With --format json, \
            stdout is one JSON document whose `routing` is the report's. Exits 2 on bad input (no such \
            database or run).

            Examples:
              tradeoff route results/demo.sqlite
              tradeoff route results/demo.sqlite --run 3 --format json
              tradeoff route --db postgres://ci@db.internal/evals --run 41
            """
    )

    @Argument(help: "The results database (e.g. results/demo.sqlite).", completion: .file(extensions: ["sqlite"]))
    var database: String?

    @Option(help: ArgumentHelp("The shared history to read instead of a file (default: $TRADEOFF_DATABASE_URL).",
                               valueName: "postgres://user@host/db"))
    var db: String?

    @Option(name: .customLong("run"), help: "The run to show: a run id, or 'latest'.")
    var selectedRun: String = "latest"

    @OptionGroup var output: FormatOption

    func run() throws {
        let database = try namedDatabase(self.database, db: db)
        let opened = try openRun(database, selected: selectedRun)
        let (store, runID, snapshot) = (opened.store, opened.runID, opened.snapshot)
        defer { withExtendedLifetime(snapshot) {} }
        let summary = try RunSummary.load(from: store, runID: runID, settings: try settings(store: store, runID: runID))
        let report = RouteReport(summary, label: "run \(runID) of \(snapshot?.label ?? database)")
        print(output.isJSON ? report.json() : report.markdown(), terminator: "")
    }

    /// The run's own reference, margin and volume, as the report uses them; the defaults (and a
    /// note) for a run made before runs kept their settings.
    private func settings(store: ResultStore, runID: Int64) throws -> AnalysisSettings {
        let modelIDs = try store.armIDs(ofRun: runID)
        guard let frozen = try store.run(runID)?.context else {
            printError("note: run \(runID) was made before runs kept their settings; the default reference, margin "
                       + "and no volume are used (`tradeoff report` applies the suite's)")
            return ReportChoices(modelIDs: modelIDs, suite: nil, reference: nil, margin: nil, volume: nil, gates: []).settings
        }
        let side = ReportChoices.SuiteSide(reference: frozen.reference, margin: frozen.margin, gates: [])
        let choices = ReportChoices(modelIDs: modelIDs, suite: side, reference: nil, margin: nil,
                                    volume: frozen.volume.flatMap { try? Volume(parsing: $0) }, gates: [])
        for note in choices.notes { printError("note: \(note)") }
        return choices.settings
    }
}
