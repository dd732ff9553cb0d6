/// The "Grading" section: per-metric scores, grader errors, and the cost of evaluating (what
/// the judges cost, apart from the candidates), with how often several judges agree.
extension MarkdownReport {
    /// The section, or nil when the run has no named metric, no judge and no grader error.
    func gradingSection() -> String? {
        let grading = summary.grading
        guard !grading.isEmpty else { return nil }
        var blocks: [String] = []

        let showErrors = !grading.graderErrors.isEmpty
        if !grading.metrics.isEmpty || showErrors {
            let rows = summary.models.map { model -> [String] in
                var cells = [MarkdownText.escape(model.modelID)]
                for metric in grading.metrics {
                    guard let score = grading.scores[metric]?[model.modelID] else {
                        cells.append(Formatting.none)
                        continue
                    }
                    cells.append("\(Formatting.quality(score.score)) (\(Formatting.percent(score.passRate)) pass)")
                }
                if showErrors { cells.append(String(grading.graderErrors[model.modelID] ?? 0)) }
                return cells
            }
            let header = ["Model"] + grading.metrics.map(MarkdownText.escape) + (showErrors ? ["Grader errors"] : [])
            blocks.append(MarkdownText.table(header, align: "l" + String(repeating: "r", count: header.count - 1), rows))
            var legend: [String] = []
            if !grading.metrics.isEmpty {
                legend.append("Each metric is the mean, over the answers graded on it, of its graders' weighted score, "
                              + "with the share of answers every one of its graders passed.")
            }
            if showErrors {
                var text = "Grader errors are graders that could not grade an answer (a command failed, a judge gave no "
                    + "verdict): they are left out of the scores, not counted as 0."
                let ungraded = grading.ungraded.values.reduce(0, +)
                if ungraded > 0 {
                    text += " \(Formatting.count(ungraded, "answer")) had no grader that could grade "
                        + (ungraded == 1 ? "it: it has no score, and counts" : "them: they have no score, and count")
                        + " as 0 in quality."
                }
                let examples = summary.models.compactMap { model in
                    grading.errorExamples[model.modelID].map {
                        "\(MarkdownText.escape(model.modelID)): \(MarkdownText.escape(Formatting.truncated($0, to: 160)))"
                    }
                }
                if !examples.isEmpty { text += " For example — " + examples.joined(separator: "; ") + "." }
                legend.append(text)
            }
            blocks.append(legend.joined(separator: " "))
        }

        if !grading.judges.isEmpty {
            blocks.append(costOfEvaluating(grading))
            let rows = grading.judges.map { judge -> [String] in
                [MarkdownText.escape(judge.modelID), Formatting.grouped(judge.verdicts), Formatting.grouped(judge.calls),
                 Formatting.grouped(judge.reused), Formatting.grouped(judge.errors),
                 judge.costMicros.map { Money.format(micros: $0) } ?? (judge.calls > 0 ? "unpriced" : Formatting.none)]
            }
            blocks.append(MarkdownText.table(["Judge", "Verdicts", "Calls", "Reused", "No verdict", "Cost"], align: "lrrrrr", rows))
            for agreement in grading.agreements where agreement.answers > 0 {
                blocks.append("Judges \(Formatting.list(agreement.judges.map(MarkdownText.escape))) agree on pass or fail "
                              + "for \(Formatting.ratioPercent(Double(agreement.agreed) / Double(agreement.answers))) of "
                              + "\(Formatting.count(agreement.answers, "answer")) (\(MarkdownText.escape(agreement.label))); "
                              + "the grade is their mean.")
            }
            if !grading.candidateJudges.isEmpty {
                let names = Formatting.list(grading.candidateJudges.map(MarkdownText.escape))
                blocks.append("> **A judge is also a candidate.** \(names) graded "
                              + (grading.candidateJudges.count == 1 ? "its" : "their") + " own answers too; judges tend to "
                              + "favour their own answers.")
            }
        }
        return "## Grading\n\n" + blocks.joined(separator: "\n\n")
    }

    private func costOfEvaluating(_ grading: GradingSummary) -> String {
        let calls = grading.judges.reduce(0) { $0 + $1.calls }
        var text = "**Cost of evaluating.** The judges made \(Formatting.count(calls, "call")) for "
        guard let judging = grading.judgeCostMicros else { return text + "an unknown cost (no judge is priced)." }
        text += Money.format(micros: judging)
        if let candidates = summary.totalSpendMicros {
            text += ", apart from the candidates' \(Money.format(micros: candidates)) (together "
                + "\(Money.format(micros: candidates + judging)))"
        }
        let reused = grading.judges.reduce(0) { $0 + $1.reused }
        if reused > 0 { text += "; \(Formatting.count(reused, "verdict")) reused from the run graded again cost nothing" }
        return text + "."
    }
}
