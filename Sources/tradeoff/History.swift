import ArgumentParser
import Foundation
import TradeoffKit

struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show one model's quality, cost and latency across the runs of a database.",
        discussion: """
            Prints a Markdown table (one row per run, oldest first) and writes an SVG sparkline chart \
            of quality (with its 95% interval), cost per case and p95 latency, for the nightly trend. \
            With --format json, stdout is one JSON document and the chart is written only when --svg names it.

            Examples:
              tradeoff history results/demo.sqlite --model gpt-4o
              tradeoff history results/demo.sqlite --model gpt-4o --format json
              tradeoff history --db postgres://ci@db.internal/evals --model gpt-4o
            """
    )

    @Argument(help: "The results database.", completion: .file(extensions: ["sqlite"]))
    var database: String?

    @Option(help: ArgumentHelp("The shared history to read instead of a file (default: $TRADEOFF_DATABASE_URL).",
                               valueName: "postgres://user@host/db"))
    var db: String?

    @Option(help: ArgumentHelp("The model (its catalog id).", valueName: "model-id"))
    var model: String

    @Option(help: ArgumentHelp("Where to write the chart (default: reports/<model>.history.svg).", valueName: "file"))
    var svg: String?

    @OptionGroup var output: FormatOption

    func run() throws {
        let database = try namedDatabase(self.database, db: db)
        let store: ResultStore
        let known: [String]
        var snapshot: PostgresSnapshot?
        if let url = PostgresURL(database) {
            // Only the runs (and rows) of this model are pulled.
            let history = try openSharedHistory(url)
            let pulled = try history.snapshot(runs: try history.runIDs(withModel: model), modelID: model)
            (store, known, snapshot) = (pulled.store, try history.modelIDs(), pulled)
        } else {
            store = try openExistingStore(database)
            known = try store.modelIDs()
        }
        defer { withExtendedLifetime(snapshot) {} }
        let shown = snapshot?.label ?? database
        guard known.contains(model) else {
            var message = "error: no model '\(model)' in '\(shown)'"
            if let suggestion = Suggestions.closest(to: model, among: known) { message += " (did you mean '\(suggestion)'?)" }
            printError(message + "; models: " + (known.isEmpty ? "none" : known.joined(separator: ", ")))
            throw ExitCode.badInput
        }
        if output.isJSON {
            let history = try ModelHistory.load(from: store, modelID: model)
            if let svg {
                try checkWritable(file: svg, flag: "--svg", example: "\(model.replacingOccurrences(of: "/", with: "-")).history.svg")
                try ReportWriter.write(HistoryReport(history).svg(), to: svg)
                printError("chart: \(svg)")
            }
            print(CommandOutput.history(history), terminator: "")
            return
        }
        let path = svg ?? "reports/\(model.replacingOccurrences(of: "/", with: "-")).history.svg"
        try checkWritable(file: path, flag: "--svg", example: "\(model.replacingOccurrences(of: "/", with: "-")).history.svg")
        let report = HistoryReport(try ModelHistory.load(from: store, modelID: model))
        print(report.markdown(), terminator: "")
        try ReportWriter.write(report.svg(), to: path)
        print("\nchart: \(path)")
    }
}
