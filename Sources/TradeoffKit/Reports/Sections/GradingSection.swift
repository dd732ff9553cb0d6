/// The "Grading" section: per-metric scores, grader errors, and the cost of evaluating (what
/// the judges cost, apart from the candidates), with how often several judges agree.
struct GradingSection: Sendable {
    /// The run shown.
    var summary: RunSummary

    /// The grading section of `summary`.
    init(_ summary: RunSummary) {
        self.summary = summary
    }

    /// The section, or nothing when the run has no named metric, no judge and no grader error.
    var blocks: [Block] {
        let grading = summary.grading
        guard !grading.isEmpty else { return [] }
        var blocks: [Block] = [.section("Grading")]
        if !grading.metrics.isEmpty || !grading.graderErrors.isEmpty { blocks += scores(grading) }
        if !grading.judges.isEmpty { blocks += judges(grading) }
        return blocks
    }

    private func scores(_ grading: GradingSummary) -> [Block] {
        let showErrors = !grading.graderErrors.isEmpty
        let rows = summary.models.map { model -> [Cell] in
            var cells: [Cell] = [.data(model.modelID)]
            for metric in grading.metrics {
                guard let score = grading.scores[metric]?[model.modelID] else {
                    cells.append(.none)
                    continue
                }
                cells.append(Cell([.value(Quantity(.number, score.score, display: Formatting.quality(score.score))),
                                   .text(" ("),
                                   .value(Quantity(.percent, score.passRate, display: Formatting.percent(score.passRate))),
                                   .text(" pass)")]))
            }
            if showErrors {
                let errors = grading.graderErrors[model.modelID] ?? 0
                cells.append(.number(Double(errors), String(errors)))
            }
            return cells
        }
        let columns = [Table.ColumnHeader.text("Model", .leading)] + grading.metrics.map { Table.ColumnHeader([.data($0)], .trailing) }
            + (showErrors ? [.text("Grader errors", .trailing)] : [])
        var legend: [[Inline]] = []
        if !grading.metrics.isEmpty {
            legend.append([.text("Each metric is the mean, over the answers graded on it, of its graders' weighted score, "
                                 + "with the share of answers every one of its graders passed.")])
        }
        if showErrors {
            var text: [Inline] = [.text("Grader errors are graders that could not grade an answer (a command failed, a "
                                        + "judge gave no verdict): they are left out of the scores, not counted as 0.")]
            let ungraded = grading.ungraded.values.reduce(0, +)
            if ungraded > 0 {
                text.append(.text(" \(Formatting.count(ungraded, "answer")) had no grader that could grade "
                                  + (ungraded == 1 ? "it: it has no score, and counts" : "them: they have no score, and count")
                                  + " as 0 in quality."))
            }
            let examples = summary.models.compactMap { model in
                grading.errorExamples[model.modelID].map {
                    [Inline.data(model.modelID), .text(": "), .data(Formatting.truncated($0, to: 160))]
                }
            }
            if !examples.isEmpty { text += [.text(" For example — ")] + .joined(examples, separator: "; ") + [.text(".")] }
            legend.append(text)
        }
        return [.table(Table(columns, rows)), .paragraph(.joined(legend, separator: " "))]
    }

    private func judges(_ grading: GradingSummary) -> [Block] {
        var blocks: [Block] = [.paragraph(costOfEvaluating(grading))]
        let rows = grading.judges.map { judge -> [Cell] in
            [.data(judge.modelID), .count(judge.verdicts), .count(judge.calls), .count(judge.reused), .count(judge.errors),
             judge.costMicros.map { .money(Double($0), Money.format(micros: $0)) } ?? (judge.calls > 0 ? .text("unpriced") : .none)]
        }
        blocks.append(.table(Table([.text("Judge", .leading), .text("Verdicts", .trailing), .text("Calls", .trailing),
                                    .text("Reused", .trailing), .text("No verdict", .trailing), .text("Cost", .trailing)],
                                   rows)))
        for agreement in grading.agreements where agreement.answers > 0 {
            let share = Double(agreement.agreed) / Double(agreement.answers)
            blocks.append(.paragraph([.text("Judges ")] + .list(agreement.judges) + [
                .text(" agree on pass or fail for \(Formatting.ratioPercent(share)) of "
                      + "\(Formatting.count(agreement.answers, "answer")) ("),
                .data(agreement.label), .text("); the grade is their mean."),
            ]))
        }
        if !grading.candidateJudges.isEmpty {
            let pronoun = grading.candidateJudges.count == 1 ? "its" : "their"
            blocks.append(.note(Note(.caution, title: "A judge is also a candidate.", .list(grading.candidateJudges) + [
                .text(" graded \(pronoun) own answers too; judges tend to favour their own answers."),
            ])))
        }
        return blocks
    }

    private func costOfEvaluating(_ grading: GradingSummary) -> [Inline] {
        let calls = grading.judges.reduce(0) { $0 + $1.calls }
        var text = " The judges made \(Formatting.count(calls, "call")) for "
        if let judging = grading.judgeCostMicros {
            text += Money.format(micros: judging)
            if let candidates = summary.totalSpendMicros {
                text += ", apart from the candidates' \(Money.format(micros: candidates)) (together "
                    + "\(Money.format(micros: candidates + judging)))"
            }
            let reused = grading.judges.reduce(0) { $0 + $1.reused }
            if reused > 0 { text += "; \(Formatting.count(reused, "verdict")) reused from the run graded again cost nothing" }
            text += "."
        } else {
            text += "an unknown cost (no judge is priced)."
        }
        return [.strong([.text("Cost of evaluating.")]), .text(text)]
    }
}
