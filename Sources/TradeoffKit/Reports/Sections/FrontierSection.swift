/// The "Cost against quality" section: the chart, then each model's place on or below the
/// cost–quality frontier.
struct FrontierSection: Sendable {
    /// The run shown.
    var summary: RunSummary
    /// The chart's path relative to the report, as a URL path; nil leaves the chart out.
    var chartFile: String?

    /// The frontier section of `summary`, showing the chart at `chartFile`.
    init(_ summary: RunSummary, chartFile: String?) {
        self.summary = summary
        self.chartFile = chartFile
    }

    /// The section, or nothing when no model is on the chart.
    var blocks: [Block] {
        let frontier = summary.frontier
        guard !frontier.points.isEmpty else { return [] }
        var blocks: [Block] = [.section("Cost against quality")]
        if let chartFile {
            blocks.append(.figure(Figure(source: chartFile,
                                         description: "Cost per case (log scale) against quality, with 95% intervals")))
        }
        let rows = frontier.points.map { point -> [Cell] in
            [.data(point.modelID), .money(point.costPerCaseMicros, Formatting.money(exact: point.costPerCaseMicros)),
             .number(point.quality, Formatting.quality(point.quality)), place(point)]
        }
        blocks.append(.table(Table([.text("Model", .leading), .text("Cost / case", .trailing), .text("Quality", .trailing),
                                    .text("Frontier", .leading)], rows)))
        var legend: [Inline] = [
            .text("The frontier holds the models that no other model beats on both cost per case and quality. A model is "
                  + "called dominated only when a model at most as expensive is significantly better on the same cases "
                  + "(paired 95% interval above 0)."),
        ]
        if !frontier.excluded.isEmpty {
            legend += [.text(" Not on the chart (unpriced or nothing answered): ")] + .list(frontier.excluded) + [.text(".")]
        }
        blocks.append(.paragraph(legend))
        return blocks
    }

    /// `on the frontier: …`, `dominated by gpt-4o (Δ −0.120 …)`, `below the frontier`.
    private func place(_ point: Frontier.Point) -> Cell {
        if point.onFrontier {
            guard let increment = point.incrementalCostPerPointMicros else { return .text("on the frontier") }
            return .text("on the frontier: +\(Money.format(micros: Money.micros(increment * 1000))) per 1,000 cases "
                         + "for each quality point over the previous")
        }
        guard let by = point.dominatedBy, let dominance = point.dominance else { return .text("below the frontier") }
        // `dominance` is the dominating model against this one; the row is this model's, so its Δ
        // is this model's quality minus the other's ("not shown worse than" reads with a Δ ≤ 0).
        let interval = dominance.differenceInterval.map {
            Interval(lower: -$0.upper, upper: -$0.lower, method: $0.method)
        }
        let delta = Formatting.signed(dominance.difference.map { -$0 }, interval)
        return Cell([.text(point.dominanceIsSignificant ? "dominated by " : "below the frontier, but not shown worse than "),
                     .data(by), .text(" (Δ \(delta))")])
    }
}
