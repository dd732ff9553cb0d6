/// The table of `tradeoff history`: one model's quality, cost and latency, run by run.
struct HistorySection: Sendable {
    /// The history shown.
    var history: ModelHistory

    /// The section showing `history`.
    init(_ history: ModelHistory) {
        self.history = history
    }

    /// The title and the table.
    var blocks: [Block] {
        let rows = history.entries.map { entry -> [Cell] in
            let model = entry.summary
            return [
                .number(Double(entry.runID), "\(entry.runID)"), .text(Formatting.timestamp(entry.startedAt)),
                .text(entry.status.rawValue), .code(String(entry.suiteHash.prefix(8))), .count(model.cases),
                .number(model.quality, Formatting.quality(model.quality, model.qualityInterval)),
                model.passRate.map { .percent($0, Formatting.percent($0)) } ?? .none,
                model.priced ? .money(model.costPerCaseMicros.map { Double($0) }, Formatting.money(model.costPerCaseMicros))
                    : .text("unpriced"),
                model.latency.map { .duration($0.p95, Formatting.milliseconds($0.p95)) } ?? .none,
                .number(Double(model.errors), "\(model.errors)"),
            ]
        }
        let columns: [Table.ColumnHeader] = [
            .text("Run", .trailing), .text("Started", .leading), .text("Status", .leading), .text("Suite", .trailing),
            .text("Cases", .trailing), .text("Quality (95% CI)", .trailing), .text("Pass rate", .trailing),
            .text("Cost / case", .trailing), .text("p95 latency", .trailing), .text("Errors", .trailing),
        ]
        return [.heading(level: 1, [.data(history.modelID), .text(": history")]), .table(Table(columns, rows))]
    }
}
