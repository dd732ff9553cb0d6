import Foundation

/// What `tradeoff plan` says about routing: what the portfolio of the suite's latest run would
/// cost at the stated monthly volume, or, plainly, what it needs to say so.
public struct PortfolioForecast: Sendable {
    /// The lines to print, each a sentence.
    public var lines: [String]
    /// The portfolio's monthly cost, micro-dollars; nil when it cannot be told.
    public var monthlyCostMicros: Int64?
    /// The reference alone at the same volume, micro-dollars.
    public var referenceMonthlyCostMicros: Int64?
    /// The volume costed at.
    public var volume: Volume?
    /// The run the portfolio comes from.
    public var runID: Int64?
    /// The run's portfolio, or why it has none; nil when there is no earlier run of the suite.
    public var routing: Routing?

    /// The forecast for `suite` from the latest run of it in `store` (nil: no database).
    ///
    /// The volume is the sum of the tasks' stated monthly volumes (`volume: 500k/month`), else
    /// the run's own `--volume`.
    ///
    /// - Throws: `StoreError` when reading the run fails.
    public init(suite: Suite, store: ResultStore?, databasePath: String) throws {
        lines = []
        let stated = TaskVolume.total(suite.tasks.map(\.volume))
        guard let store, let run = try store.latestRun(ofSuite: suite.name), let runID = run.id else {
            lines = ["portfolio: no earlier run of '\(suite.name)' in \(databasePath); after one run, plan shows what "
                     + "sending each task to its recommended model would cost"
                     + (stated.map { " at \($0)" } ?? " at the tasks' stated volume (volume: 500k/month)")]
            return
        }
        self.runID = runID
        let volume = stated ?? run.context?.volume.flatMap { try? Volume(parsing: $0) }
        self.volume = volume
        let modelIDs = try store.models(ofRun: runID).map(\.modelId)
        let side = run.context.map { ReportChoices.SuiteSide(reference: $0.reference, margin: $0.margin, gates: []) }
        let settings = ReportChoices(modelIDs: modelIDs, suite: side, reference: nil, margin: nil, volume: volume,
                                     gates: []).settings
        let summary = try RunSummary.load(from: store, runID: runID, settings: settings)
        routing = summary.routing
        guard let portfolio = summary.routing.portfolio else {
            let reason = summary.routing.skip?.description ?? "no portfolio."
            lines = ["portfolio (run \(runID)): " + reason]
            return
        }
        let routes = portfolio.routes.map { "\($0.taskID) → \($0.modelID)" }.joined(separator: ", ")
        let reference = portfolio.baselines.first { $0.role == .reference }
        monthlyCostMicros = portfolio.monthlyCostMicros
        referenceMonthlyCostMicros = reference?.monthlyCostMicros
        guard let volume, let monthly = portfolio.monthlyCostMicros else {
            lines = ["portfolio (run \(runID)): \(routes): \(Money.format(micros: portfolio.costPer1kCasesMicros)) per "
                     + "1,000 cases; state each task's monthly volume (volume: 500k/month) or run with --volume to see "
                     + "it per month"]
            return
        }
        var line = "portfolio (run \(runID)): \(routes): \(Money.format(micros: monthly))/month at \(volume)"
        if let reference, let referenceMonthly = reference.monthlyCostMicros {
            line += " (\(reference.modelID) alone: \(Money.format(micros: referenceMonthly))/month)"
        }
        lines = [line]
    }
}
