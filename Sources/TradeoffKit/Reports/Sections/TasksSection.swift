/// The "Tasks" and "Recommendation" sections: each model's quality per task, then the model to
/// run for the whole suite and for each task, with the evidence.
struct TasksSection: Sendable {
    /// The run shown.
    var summary: RunSummary

    /// The task sections of `summary`.
    init(_ summary: RunSummary) {
        self.summary = summary
    }

    /// Both sections; the recommendation only when there is a choice to make.
    var blocks: [Block] { tasks + recommendations }

    private var tasks: [Block] {
        let models = summary.models
        let rows = summary.tasks.map { task -> [Cell] in
            [.data(task.taskID), .count(task.caseCount)] + models.map { model in
                guard let result = task.perModel[model.modelID] else { return .none }
                var cell: [Inline] = [.value(Quantity(.number, result.quality,
                                                      display: Formatting.quality(result.quality, result.qualityInterval)))]
                if let comparison = result.comparison, comparison.verdict == .nonInferior { cell.append(.text(" ✓")) }
                if let comparison = result.comparison, comparison.verdict == .inferior { cell.append(.text(" ✗")) }
                if result.errors > 0 { cell.append(.text(" (\(Formatting.count(result.errors, "error")))")) }
                return Cell(cell)
            }
        }
        let columns = [Table.ColumnHeader.text("Task", .leading), .text("Cases", .trailing)] + models.map { model in
            Table.ColumnHeader([.data(model.modelID)] + (model.modelID == summary.referenceID ? [.text(" (reference)")] : []),
                         .trailing)
        }
        var legend = "Quality per task (95% CI)."
        if summary.referenceID != nil {
            legend += " ✓ non-inferior to the reference on the task at \(Formatting.margin(summary.settings.margin)); "
                + "✗ worse by more than δ; no mark: not shown either way."
        }
        return [.section("Tasks"), .table(Table(columns, rows)), .paragraph([.text(legend)])]
    }

    private var recommendations: [Block] {
        guard let suite = summary.recommendation, summary.models.count > 1 else { return [] }
        var rows: [[Cell]] = [[
            .strong("whole suite"), .count(summary.caseCount), .data(suite.modelID),
            Cell(evidence(suite, comparison: { summary.comparison(for: $0) },
                          cost: { summary.model($0).flatMap(\.exactCostPerCase) })),
        ]]
        for task in summary.tasks {
            guard let recommendation = task.recommendation else { continue }
            rows.append([.data(task.taskID), .count(task.caseCount), .data(recommendation.modelID),
                         Cell(evidence(recommendation, comparison: { task.perModel[$0]?.comparison },
                                       cost: { task.perModel[$0]?.exactCostPerCase }))])
        }
        let table = Table([.text("Workload", .leading), .text("Cases", .trailing), .text("Run on", .leading),
                           .text("Evidence", .leading)], rows)
        return [.section("Recommendation"), .table(table),
                .paragraph([.text("The cheapest model shown non-inferior to the reference at "
                                  + "\(Formatting.margin(summary.settings.margin)), or the reference when none is; "
                                  + "a model significantly better than the reference (95% interval of Δ above 0) "
                                  + "is chosen instead when it costs less per quality point.")])]
    }

    private func evidence(_ recommendation: Recommendation, comparison: (String) -> PairedComparison?,
                          cost: (String) -> Double?) -> [Inline] {
        if recommendation.switchesFromReference, let chosen = comparison(recommendation.modelID), chosen.isSignificantlyBetter {
            var text = "significantly better: Δ \(Formatting.signed(chosen.difference, chosen.differenceInterval)), McNemar p "
                + Formatting.pValue(chosen.pValue)
            if let modelCost = cost(recommendation.modelID), let referenceCost = cost(recommendation.referenceID),
               referenceCost > 0 {
                text += "; \(Formatting.ratioPercent(modelCost / referenceCost)) of the cost"
            }
            return [.text(text)]
        }
        if recommendation.switchesFromReference, let chosen = comparison(recommendation.modelID) {
            var text = "non-inferior: Δ \(Formatting.signed(chosen.difference, chosen.differenceInterval)), one-sided "
                + "bound \(chosen.differenceLowerBound.map(Formatting.signed) ?? Formatting.none)"
            if let modelCost = cost(recommendation.modelID), let referenceCost = cost(recommendation.referenceID),
               referenceCost > 0 {
                text += "; \(Formatting.ratioPercent(modelCost / referenceCost)) of the cost"
            }
            return [.text(text)]
        }
        guard let closestID = recommendation.closestCandidateID, let closest = comparison(closestID) else {
            return [.text("no cheaper model measured")]
        }
        return [.text("no cheaper model shown non-inferior; closest "), .data(closestID),
                .text(": Δ \(Formatting.signed(closest.difference, closest.differenceInterval)), "
                      + Headline.shortfall(closest, margin: summary.settings.margin))]
    }
}
