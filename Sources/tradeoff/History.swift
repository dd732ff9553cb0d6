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
            """
    )

    @Argument(help: "The results database.", completion: .file(extensions: ["sqlite"]))
    var database: String

    @Option(help: ArgumentHelp("The model (its catalog id).", valueName: "model-id"))
    var model: String

    @Option(help: ArgumentHelp("Where to write the chart (default: reports/<model>.history.svg).", valueName: "file"))
    var svg: String?

    @OptionGroup var output: FormatOption

    func run() throws {
        let store = try openExistingStore(database)
        let known = try store.modelIDs()
        guard known.contains(model) else {
            var message = "error: no model '\(model)' in '\(database)'"
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
