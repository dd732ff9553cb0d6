/// The "Prompt variants" section of a run whose tasks list `prompts:`: per model, each wording's
/// quality with its interval, the best one, and how far ahead of the next it is (paired); then
/// which prompt is best on which model. Nothing for a run without variants.
struct PromptVariantsSection: Sendable {
    /// The run shown.
    var summary: RunSummary

    /// The section of `summary`.
    init(_ summary: RunSummary) {
        self.summary = summary
    }

    /// The heading, the sentence, the table and its legend; empty without variants.
    var blocks: [Block] {
        guard let view = summary.promptVariants, !view.rows.isEmpty else { return [] }
        var sentence: [Inline] = [.text("Every task was asked in \(Formatting.count(view.variants.count, "wording")) (")]
        sentence += .list(view.variants)
        sentence.append(.text("); each model in each wording is one arm, named like "))
        sentence.append(.data(PromptArm.label(modelID: view.rows[0].modelID, variant: view.variants[0])))
        sentence.append(.text(" in every table of this report. "))
        let best = view.bestOn.map { entry -> [Inline] in [.strong([.data(entry.variant)]), .text(" on ")] + .list(entry.models) }
        if !best.isEmpty { sentence += [.text("Best: ")] + .joined(best, separator: "; ") + [.text(".")] }

        let columns = [Table.ColumnHeader.text("Model", .leading)]
            + view.variants.map { Table.ColumnHeader([.data($0), .text(" quality (95% CI)")], .trailing) }
            + [.text("Best", .leading), .text("Best − next (95% CI)", .trailing), .text("Separated", .leading)]
        let rows = view.rows.map { row -> [Cell] in
            var cells: [Cell] = [.data(row.modelID)]
            for variant in view.variants {
                guard let cell = row.cells.first(where: { $0.variant == variant }) else { cells.append(.none); continue }
                cells.append(.number(cell.quality, Formatting.quality(cell.quality, cell.qualityInterval)))
            }
            cells.append(row.best.map { .data($0) } ?? .none)
            if let margin = row.margin {
                cells.append(.number(margin.difference, Formatting.signed(margin.difference, margin.differenceInterval)))
                let apart = (margin.differenceInterval?.lower ?? 0) > 0
                cells.append(Cell([.text(apart ? "yes, ahead of " : "no: within noise of "),
                                   .data(Self.variant(of: margin.referenceID, in: view))]))
            } else {
                cells += [.none, .none]
            }
            return cells
        }
        let legend: [Inline] = [
            .text("Quality is each arm's, as in Models. Best − next is the best wording's mean per-case score minus "
                  + "the next best's, paired over the cases both answered; a wording is separated from the next when "
                  + "that interval lies above zero. A model with its own wording ("),
            .code("overrides:"),
            .text(") is asked in it under every variant."),
        ]
        return [.section("Prompt variants"), .paragraph(sentence), .table(Table(columns, rows)), .paragraph(legend)]
    }

    /// The variant of an arm's label.
    private static func variant(of armID: String, in view: PromptVariants) -> String {
        PromptArm(label: armID, variants: view.variants)?.variant ?? armID
    }
}
