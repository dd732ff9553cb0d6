/// The "Run" and "Method" sections: the run's facts (files, versions, calls, spend, prices as
/// recorded) and how every number in the report was computed.
struct RunSection: Sendable {
    /// The run shown.
    var summary: RunSummary

    /// The run sections of `summary`.
    init(_ summary: RunSummary) {
        self.summary = summary
    }

    /// Both sections.
    var blocks: [Block] { facts + method }

    private var facts: [Block] {
        let run = summary.run
        var facts: [(String, [Inline])] = [
            ("Run", [.text(run.id.map(String.init) ?? Formatting.none)]),
            ("Status", [.text(run.status.rawValue)]),
            ("Started", [.text(Formatting.timestamp(run.startedAt))]),
            ("Finished", [.text(run.finishedAt.map(Formatting.timestamp) ?? "not finished")]),
            ("Duration", [.text(summary.duration.map(Formatting.duration) ?? Formatting.none)]),
            ("Tool version", [.data(run.toolVersion)]),
        ]
        if let commit = run.gitCommit { facts.append(("Git commit", [.code(commit)])) }
        let errors = summary.errorCount
        facts += [
            ("Suite file", [.code(run.suitePath), .text(" (SHA-256 "), .code(String(run.suiteHash.prefix(12))), .text(")")]),
            ("Catalog", [.code(run.catalogPath)]),
            ("Cases", [.text(Formatting.grouped(summary.caseCount) + (summary.repeats > 1 ? " × \(summary.repeats) repeats" : ""))]),
            ("Calls made", [.text(Formatting.grouped(summary.callCount) + (errors > 0 ? " (\(errors) failed)" : ""))]),
            ("Total spend", totalSpend()),
        ]
        var items = facts.map { label, value in ListItem([.strong([.text(label + ":")]), .text(" ")] + value) }
        items.append(ListItem([.strong([.text("Prices, as recorded with the run:")])], children: summary.models.map(prices)))
        return [.section("Run"), .list(items)]
    }

    /// `gpt-4o: $2.50 in / $10 out per million tokens (catalog.yaml)`.
    private func prices(_ model: ModelSummary) -> ListItem {
        var text: String
        if let prices = model.prices {
            text = "$\(prices.input) in / $\(prices.output) out per million tokens"
        } else if let perHour = model.pricePerHour {
            text = "$\(perHour) per replica-hour"
        } else {
            text = "unpriced"
        }
        var content: [Inline] = [.data(model.modelID), .text(": " + text)]
        if model.priced { content += [.text(" ("), .data(model.priceProvenance), .text(")")] }
        return ListItem(content)
    }

    /// The candidates' cost plus the judges', as one total with its parts.
    private func totalSpend() -> [Inline] {
        let judges = summary.grading.judgeCostMicros
        guard summary.totalSpendMicros != nil || judges != nil else { return [.text("unpriced")] }
        let total = Money.sum(summary.totalSpendMicros ?? 0, judges ?? 0)
        let unpriced = summary.unpricedModels.map { [Inline.data($0.modelID)] }
        var notes: [[Inline]] = [unpriced.isEmpty ? [.text("every call")]
                                 : [.text("priced models only; unpriced: ")] + .joined(unpriced, separator: ", ")]
        if let judges { notes.append([.text("judges: \(Money.format(micros: judges))")]) }
        return [.value(Quantity(.money, Double(total), display: Money.format(micros: total))), .text(" (")]
            + .joined(notes, separator: "; ") + [.text(")")]
    }

    private var method: [Block] {
        let settings = summary.settings
        let minimum = Statistics.minimumCasesForNonInferiority(margin: settings.margin)
        let lines = [
            "Quality intervals (95%): below \(settings.smallSampleLimit) cases, Wilson when every case scored 0 or 1, "
                + "else a percentile bootstrap over cases; from \(settings.smallSampleLimit) cases on, mean ± 1.96·SE "
                + "with the SE clustered by task (never below the plain SE).",
            "Paired differences: a percentile bootstrap over the cases both models answered (B = "
                + "\(Formatting.grouped(settings.bootstrap.replicates)), xoshiro256** seeded with \(settings.bootstrap.seed), "
                + "so the report is reproducible) on up to \(Formatting.grouped(settings.bootstrapCaseLimit)) cases; above "
                + "that, mean ± 1.96·SE clustered by task. A bootstrap costs B × n draws, so the limit is lowered "
                + "when a run would need more than \(Formatting.grouped(settings.bootstrapBudget)) in all: the largest "
                + "samples, where the two intervals agree, then use the normal one.",
            "Flips: exact McNemar test (binomial, two-sided) on the cases one model passed and the other failed; "
                + "Holm's correction across the models compared with the reference (per task: across the task's models).",
            "Non-inferiority at \(Formatting.margin(settings.margin)): the one-sided 95% lower bound of Δ above −δ, "
                + "on at least \(minimum) cases (with fewer, even no disagreement at all cannot bound the difference "
                + "within δ). Cases needed to tell a δ difference: n ≈ 7.84·Var(d)/δ² (α = 0.05, power 0.8).",
            "Latency and cost per case cover answered calls; failed calls are counted as errors and their cost "
                + "(if any) is in the totals.",
        ]
        return [.section("Method"), .list(lines.map { ListItem([.text($0)]) })]
    }
}
