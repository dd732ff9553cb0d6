import ArgumentParser
import Foundation
import TradeoffKit

struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Estimate a run's calls, tokens and cost before anything is spent.",
        discussion: """
            Input tokens are estimated from the rendered prompts (about 4 characters per token). \
            Output tokens are each task's max_tokens — an upper bound — unless the results database \
            holds earlier runs of the model on the task, whose mean output is used instead; the \
            OUTPUT FROM column says which. Judges have rows of their own: a call per answer and \
            judge, reading the judge's prompt and the answer's estimated length, writing the judge's \
            mean output in earlier runs, else up to the grader's max_tokens. A model priced by the hour is \
            costed at the throughput its price states, else at the one measured in its latest run in the \
            database; a note under the table says which. When the database holds a run of the suite, a \
            last line says what its portfolio (each task on its recommended model) would cost per month \
            at the tasks' stated volume (`volume: 500k/month`) or the run's --volume, or what it needs \
            to say so. Makes no calls and writes nothing. \
            With --format json, stdout is one JSON document (costs in micro-dollars, null when unpriced; \
            the last line's data under `portfolio`).

            Examples:
              tradeoff plan suites/demo.yaml
              tradeoff plan suites/demo.yaml --shard 1/4 --format json
              tradeoff plan suites/demo.yaml --only-tasks triage --sample 10 --seed 7
            """
    )

    @OptionGroup var selection: SuiteOptions

    @Option(help: "A results database with earlier runs, for observed output lengths (default: results/<suite>.sqlite if it exists).")
    var db: String?

    @Flag(help: ArgumentHelp("Show what the run costs with run --batch too.",
                             discussion: "The models run --batch batches at their batch prices (half, unless the catalog gives batch prices); the others, and the judges, as usual."))
    var batch = false

    @OptionGroup var output: FormatOption

    func run() throws {
        let (loaded, plan) = try selection.plan(loader: SuiteLoader())
        let databasePath = db ?? "results/\(loaded.suite.name).sqlite"
        var observed: [String: [String: Double]] = [:]
        var observedJudges: [String: Double] = [:]
        var throughput: [String: HourlyPricing.Basis] = [:]
        var store: ResultStore?
        // A --db that is missing, a folder or not a database is bad input (exit 2); the default
        // one is read only when it is there.
        if db != nil || FileManager.default.fileExists(atPath: databasePath) {
            let opened = try openExistingStore(databasePath)
            store = opened
            observed = try opened.observedOutputTokens()
            observedJudges = try opened.observedJudgeOutputTokens()
            let hourly = plan.models.filter { $0.hourlyPrice != nil && $0.hourlyPrice?.throughput == nil }.map(\.id)
            if !hourly.isEmpty { throughput = try opened.observedThroughput(of: hourly) }
        }
        let estimate = RunEstimate(plan, observedOutput: observed, observedJudgeOutput: observedJudges,
                                   observedThroughput: throughput)
        let forecast = try PortfolioForecast(suite: loaded.suite, store: store, databasePath: databasePath)
        if output.isJSON {
            print(CommandOutput.plan(suite: loaded.suite.name, plan, estimate, forecast: forecast), terminator: "")
            return
        }
        let grouped = { (value: Int) in value.formatted(.number.grouping(.automatic)) }
        let all = estimate.models + estimate.judges
        let money = { (micros: Int64?) in micros.map { Money.format(micros: $0) } ?? "unpriced" }
        // With --batch, what each row costs through the batch API ("as usual" where it cannot be).
        let batchColumn = { (model: RunEstimate.Model) -> [String] in
            guard batch else { return [] }
            if let cost = model.batchCostMicros { return [money(cost)] }
            return [model.costMicros == nil ? "unpriced" : "as usual"]
        }
        var rows = estimate.models.map { model in
            [model.modelID, grouped(model.calls), grouped(model.inputTokens), grouped(model.outputTokens),
             model.outputSource.rawValue, money(model.costMicros)] + batchColumn(model)
        }
        rows += estimate.judges.map { judge in
            [judge.modelID + " (judge)", grouped(judge.calls), grouped(judge.inputTokens), grouped(judge.outputTokens),
             judge.outputSource.rawValue, money(judge.costMicros)] + batchColumn(judge)
        }
        rows.append(["TOTAL", grouped(all.reduce(0) { $0 + $1.calls }),
                     grouped(all.reduce(0) { $0 + $1.inputTokens }),
                     grouped(all.reduce(0) { $0 + $1.outputTokens }), "",
                     money(estimate.totalCostMicros)] + (batch ? [money(estimate.totalBatchCostMicros)] : []))
        let slice = (plan.shard.map { ", shard \($0)" } ?? "") + (plan.slice.map { ", a slice: \($0)" } ?? "")
        print("plan for '\(loaded.suite.name)'\(slice): \(plan.summary)")
        print(table(header: ["MODEL", "CALLS", "INPUT TOKENS", "OUTPUT TOKENS", "OUTPUT FROM", "EST. COST"]
                        + (batch ? ["WITH --BATCH"] : []), rows: rows))
        for line in estimate.hourlyNotes(plan) { print(line) }
        let unpriced = all.filter { $0.costMicros == nil }.map(\.modelID)
        if !unpriced.isEmpty {
            print("unpriced (cost unknown, not in the total): \(unpriced.joined(separator: ", "))")
        }
        for line in forecast.lines { print(line) }
    }
}
