import ArgumentParser
import Foundation
import TradeoffKit

struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Estimate a run's calls, tokens and cost before anything is spent.",
        discussion: """
            Input tokens are estimated from the rendered prompts (about 4 characters per token). \
            Output tokens are each task's max_tokens — an upper bound — unless the results database \
            holds earlier runs of the model on the task, whose mean output is used instead; the \
            OUTPUT FROM column says which. Makes no calls and writes nothing.
            """
    )

    @OptionGroup var selection: SuiteOptions

    @Option(help: "A results database with earlier runs, for observed output lengths (default: results/<suite>.sqlite if it exists).")
    var db: String?

    func run() throws {
        let (loaded, plan) = try selection.plan(loader: SuiteLoader())
        let databasePath = db ?? "results/\(loaded.suite.name).sqlite"
        var observed: [String: [String: Double]] = [:]
        if FileManager.default.fileExists(atPath: databasePath) {
            observed = try ResultStore(path: databasePath).observedOutputTokens()
        } else if db != nil {
            printError("error: no results database at '\(databasePath)'")
            throw ExitCode.badInput
        }
        let estimate = RunEstimate(plan, observedOutput: observed)
        let grouped = { (value: Int) in value.formatted(.number.grouping(.automatic)) }
        var rows = estimate.models.map { model in
            [model.modelID, grouped(model.calls), grouped(model.inputTokens), grouped(model.outputTokens),
             model.outputSource.rawValue,
             model.costMicros.map { Money.format(micros: $0) } ?? "unpriced"]
        }
        rows.append(["TOTAL", grouped(estimate.models.reduce(0) { $0 + $1.calls }),
                     grouped(estimate.models.reduce(0) { $0 + $1.inputTokens }),
                     grouped(estimate.models.reduce(0) { $0 + $1.outputTokens }), "",
                     estimate.totalCostMicros.map { Money.format(micros: $0) } ?? "unpriced"])
        let slice = plan.shard.map { ", shard \($0)" } ?? ""
        print("plan for '\(loaded.suite.name)'\(slice): \(plan.summary)")
        print(table(header: ["MODEL", "CALLS", "INPUT TOKENS", "OUTPUT TOKENS", "OUTPUT FROM", "EST. COST"], rows: rows))
        let unpriced = estimate.models.filter { $0.costMicros == nil }.map(\.modelID)
        if !unpriced.isEmpty {
            print("unpriced (cost unknown, not in the total): \(unpriced.joined(separator: ", "))")
        }
    }
}
