import Foundation

/// The Markdown report of a run: GitHub-flavoured, readable by someone who buys as well as in a
/// CI job summary.
///
/// It opens with a headline generated from the numbers, then the models with their intervals,
/// each model against the reference (paired), the cost–quality frontier with its chart, the
/// same per task with a recommendation each, the cases the models disagree on most, the errors,
/// the checks, the run's facts and how everything was computed. The text depends only on the
/// summary (no "generated at" time; the bootstrap is seeded), so the same results always give the
/// same report. Everything that came from a model or a user file is escaped.
public struct MarkdownReport: Sendable {
    /// What the report shows.
    public var summary: RunSummary
    /// Gates and regressions checked, if any.
    public var checks: Checks?
    /// The chart's file name, relative to the report (`demo.svg`); nil leaves the chart out.
    public var chartFile: String?

    /// A report of `summary`.
    ///
    /// - Parameters:
    ///   - summary: The run's summary.
    ///   - checks: The gates and regressions checked, shown in a "Checks" section.
    ///   - chartFile: The SVG chart's path relative to the report, linked from the frontier section.
    public init(_ summary: RunSummary, checks: Checks? = nil, chartFile: String? = nil) {
        self.summary = summary
        self.checks = checks
        self.chartFile = chartFile
    }

    /// The report as Markdown, ending with a newline.
    public func render() -> String {
        var blocks = ["# Tradeoff report: \(MarkdownText.escape(summary.run.suite))", Headline.text(summary)]
        if let notice = simulationNotice() { blocks.append(notice) }
        if let checks, !checks.isEmpty { blocks.append(checksSection(checks)) }
        blocks.append(modelsSection())
        blocks.append(costSection())
        if let section = comparisonSection() { blocks.append(section) }
        if let section = volumeSection() { blocks.append(section) }
        if let section = frontierSection() { blocks.append(section) }
        blocks.append(tasksSection())
        if let section = recommendationsSection() { blocks.append(section) }
        if let section = gradingSection() { blocks.append(section) }
        if !summary.disagreements.isEmpty { blocks.append(disagreementsSection()) }
        if summary.errorCount > 0 { blocks.append(errorsSection()) }
        blocks.append(runSection())
        blocks.append(methodSection())
        return blocks.joined(separator: "\n\n") + "\n"
    }

    private func simulationNotice() -> String? {
        let simulated = summary.simulatedModels.map { MarkdownText.escape($0.modelID) }
        guard !simulated.isEmpty else { return nil }
        let subject = simulated.count == 1 ? "\(simulated[0]) is" : "\(Formatting.list(simulated)) are"
        return "> **Simulated results.** \(subject) simulated by Tradeoff's fake provider, so their answers, "
            + "latencies and costs illustrate the tool and say nothing about the real models."
    }

    // MARK: Models

    private func modelsSection() -> String {
        let rows = summary.models.map { model -> [String] in
            var name = MarkdownText.escape(model.modelID)
            if model.modelID == summary.referenceID { name += " (reference)" }
            return [
                name, model.modelClass.rawValue, Formatting.grouped(model.cases),
                Formatting.quality(model.quality, model.qualityInterval),
                Formatting.percent(model.passRate, model.passRateInterval),
                model.errorRate.map { "\(model.errors) (\(Formatting.percent($0)))" } ?? "0",
            ]
        }
        let table = MarkdownText.table(["Model", "Class", "Cases", "Quality (95% CI)", "Pass rate (95% CI)", "Errors"],
                                       align: "llrrrr", rows)
        let methods = Set(summary.models.flatMap { [$0.qualityInterval?.method, $0.passRateInterval?.method] }
            .compactMap { $0 })
        var legend = "Quality is the mean case score (0–1) over the cases a model answered"
        if summary.repeats > 1 { legend += ", each case's \(summary.repeats) repeats averaged first" }
        legend += "; calls that failed are counted under Errors, not scored."
        if !methods.isEmpty {
            legend += " Intervals: " + IntervalMethod.allCases.filter(methods.contains).map(\.label).joined(separator: ", ")
                + " (see Method)."
        }
        return "## Models\n\n" + table + "\n\n" + legend
    }

    private func costSection() -> String {
        let rows = summary.models.map { model -> [String] in
            let latency = model.latency.map {
                "\(Formatting.milliseconds($0.p50)) / \(Formatting.milliseconds($0.p90)) / \(Formatting.milliseconds($0.p99))"
            } ?? Formatting.none
            let ttft = model.timeToFirstToken.map {
                "\(Formatting.milliseconds($0.p50)) / \(Formatting.milliseconds($0.p90)) / \(Formatting.milliseconds($0.p99))"
            } ?? Formatting.none
            guard model.priced else {
                return [MarkdownText.escape(model.modelID), "unpriced", "unpriced", "unpriced", "unpriced", latency, ttft,
                        model.medianOutputTokensPerSecond.map { String(format: "%.0f", $0) } ?? Formatting.none]
            }
            return [
                MarkdownText.escape(model.modelID), Formatting.money(model.totalCostMicros),
                Formatting.money(model.costPerCaseMicros), Formatting.money(model.costPer1kCasesMicros),
                Formatting.money(model.costPerCorrectMicros), latency, ttft,
                model.medianOutputTokensPerSecond.map { String(format: "%.0f", $0) } ?? Formatting.none,
            ]
        }
        let table = MarkdownText.table(["Model", "Cost total", "Cost / case", "Cost / 1k cases", "Cost / correct",
                                        "Latency p50 / p90 / p99", "TTFT p50 / p90 / p99", "Output tok/s"],
                                       align: "lrrrrrrr", rows)
        var legend = "Cost per case is the model's own cost per answered call; per correct answer, the total over the "
            + "calls that passed. Latency is the total time of answered calls; time to first token (TTFT) and "
            + "output speed are measured on streamed calls only."
        let replayed = summary.models.reduce(0) { $0 + $1.replayed }
        if replayed > 0 {
            legend += " \(Formatting.grouped(replayed)) answers were replayed from the response cache: they count at "
                + "what they cost when they were made (this run spent nothing on them) and are left out of latency."
        }
        return "## Cost and latency\n\n" + table + "\n\n" + legend
    }

    // MARK: Comparison

    private func comparisonSection() -> String? {
        guard let reference = summary.reference, !summary.comparisons.isEmpty else { return nil }
        let margin = summary.settings.margin
        let rows = summary.comparisons.map { comparison -> [String] in
            let model = summary.model(comparison.modelID)
            return [
                MarkdownText.escape(comparison.modelID), Formatting.grouped(comparison.cases),
                Formatting.signed(comparison.difference, comparison.differenceInterval),
                relativeQuality(comparison),
                model.flatMap { Headline.relativeCost($0, reference) }.map(Formatting.ratioPercent) ?? Formatting.none,
                "\(Formatting.grouped(comparison.wins)) / \(Formatting.grouped(comparison.losses))",
                "\(Formatting.pValue(comparison.pValue)) (\(Formatting.pValue(comparison.adjustedPValue)))",
                Self.verdict(comparison),
            ]
        }
        let table = MarkdownText.table(["Model", "Cases", "Δ quality (95% CI)", "Relative quality (95% CI)",
                                        "Relative cost", "Flips won / lost", "McNemar p (Holm)",
                                        "Non-inferior at \(Formatting.margin(margin))?"],
                                       align: "lrrrrrrl", rows)
        let legend = "Each model against \(MarkdownText.escape(reference.modelID)) on the cases both answered: "
            + "Δ is the mean per-case difference in score (paired); relative quality and cost are the model's over "
            + "the reference's. Flips won are cases the model passed and the reference failed; lost, the reverse. "
            + "A model is non-inferior when the one-sided 95% lower bound of Δ is above −δ."
        return "## Against the reference: \(MarkdownText.escape(reference.modelID))\n\n" + table + "\n\n" + legend
    }

    private func relativeQuality(_ comparison: PairedComparison) -> String {
        guard let ratio = comparison.relativeQuality else { return Formatting.none }
        guard let interval = comparison.relativeQualityInterval else { return Formatting.ratioPercent(ratio) }
        return "\(Formatting.ratioPercent(ratio)) (\(Formatting.ratioPercent(interval.lower))–"
            + "\(Formatting.ratioPercent(interval.upper)))"
    }

    /// `yes (bound −0.021)`, `no: worse by more than δ`, `inconclusive: 66 cases, about 314 needed`.
    static func verdict(_ comparison: PairedComparison) -> String {
        let bound = comparison.differenceLowerBound.map(Formatting.signed) ?? Formatting.none
        switch comparison.verdict {
        case .nonInferior:
            return "yes (bound \(bound))"
        case .inferior:
            return "no: worse by more than δ (bound \(comparison.differenceUpperBound.map(Formatting.signed) ?? "—"))"
        case .inconclusive(let needed) where needed > comparison.cases:
            return "inconclusive: \(Formatting.count(comparison.cases, "case")), about \(Formatting.grouped(needed)) needed"
        case .inconclusive:
            return "inconclusive (bound \(bound))"
        case .noSharedCases:
            return "no shared cases"
        }
    }

    private func volumeSection() -> String? {
        guard let volume = summary.settings.volume else { return nil }
        let reference = summary.referenceID.flatMap { summary.monthlyCostMicros(of: $0) }
        let rows = summary.models.map { model -> [String] in
            guard let monthly = summary.monthlyCostMicros(of: model.modelID) else {
                return [MarkdownText.escape(model.modelID), model.priced ? Formatting.none : "unpriced", Formatting.none]
            }
            var against = Formatting.none
            if model.modelID == summary.referenceID {
                against = "reference"
            } else if let reference, reference > 0 {
                let saving = reference - monthly
                let share = Formatting.ratioPercent(Double(abs(saving)) / Double(reference))
                against = saving >= 0 ? "saves \(Money.format(micros: saving)) (\(share))"
                    : "costs \(Money.format(micros: -saving)) more (\(share))"
            }
            return [MarkdownText.escape(model.modelID), Money.format(micros: monthly), against]
        }
        let table = MarkdownText.table(["Model", "Cost a month", "Against the reference"], align: "lrr", rows)
        return "## Cost at \(volume)\n\n" + table + "\n\n"
            + "Measured cost per case × \(Formatting.grouped(Int(volume.casesPerMonth))) cases a month."
    }

    // MARK: Frontier

    private func frontierSection() -> String? {
        let frontier = summary.frontier
        guard !frontier.points.isEmpty else { return nil }
        var lines: [String] = []
        if let chartFile {
            lines.append("![Cost per case (log scale) against quality, with 95% intervals](\(chartFile))")
        }
        let rows = frontier.points.map { point -> [String] in
            var note: String
            if point.onFrontier {
                note = "on the frontier"
                if let increment = point.incrementalCostPerPointMicros {
                    note += ": +\(Money.format(micros: Int64((increment * 1000).rounded()))) per 1,000 cases for each "
                        + "quality point over the previous"
                }
            } else if let by = point.dominatedBy, let dominance = point.dominance {
                let delta = Formatting.signed(dominance.difference, dominance.differenceInterval)
                note = point.dominanceIsSignificant
                    ? "dominated by \(MarkdownText.escape(by)) (Δ \(delta))"
                    : "below the frontier, but not shown worse than \(MarkdownText.escape(by)) (Δ \(delta))"
            } else {
                note = "below the frontier"
            }
            return [MarkdownText.escape(point.modelID), Formatting.money(exact: point.costPerCaseMicros),
                    Formatting.quality(point.quality), note]
        }
        lines.append(MarkdownText.table(["Model", "Cost / case", "Quality", "Frontier"], align: "lrrl", rows))
        var legend = "The frontier holds the models that no other model beats on both cost per case and quality. "
            + "A model is called dominated only when a model at most as expensive is significantly better on the "
            + "same cases (paired 95% interval above 0)."
        if !frontier.excluded.isEmpty {
            legend += " Not on the chart (unpriced or nothing answered): "
                + Formatting.list(frontier.excluded.map(MarkdownText.escape)) + "."
        }
        lines.append(legend)
        return "## Cost against quality\n\n" + lines.joined(separator: "\n\n")
    }

    // MARK: Tasks

    private func tasksSection() -> String {
        let models = summary.models
        let rows = summary.tasks.map { task -> [String] in
            var cells = [MarkdownText.escape(task.taskID), Formatting.grouped(task.caseCount)]
            for model in models {
                guard let result = task.perModel[model.modelID] else {
                    cells.append(Formatting.none)
                    continue
                }
                var cell = Formatting.quality(result.quality, result.qualityInterval)
                if let comparison = result.comparison, comparison.verdict == .nonInferior { cell += " ✓" }
                if let comparison = result.comparison, comparison.verdict == .inferior { cell += " ✗" }
                if result.errors > 0 { cell += " (\(Formatting.count(result.errors, "error")))" }
                cells.append(cell)
            }
            return cells
        }
        let header = ["Task", "Cases"] + models.map { model in
            MarkdownText.escape(model.modelID) + (model.modelID == summary.referenceID ? " (reference)" : "")
        }
        let table = MarkdownText.table(header, align: "lr" + String(repeating: "r", count: models.count), rows)
        var legend = "Quality per task (95% CI)."
        if summary.referenceID != nil {
            legend += " ✓ non-inferior to the reference on the task at \(Formatting.margin(summary.settings.margin)); "
                + "✗ worse by more than δ; no mark: not shown either way."
        }
        return "## Tasks\n\n" + table + "\n\n" + legend
    }

    private func recommendationsSection() -> String? {
        guard let suite = summary.recommendation, summary.models.count > 1 else { return nil }
        var rows = [["**whole suite**", Formatting.grouped(summary.caseCount), MarkdownText.escape(suite.modelID),
                     evidence(suite, comparison: { summary.comparison(for: $0) }, cost: {
                         summary.model($0).flatMap(\.exactCostPerCase)
                     })]]
        for task in summary.tasks {
            guard let recommendation = task.recommendation else { continue }
            rows.append([MarkdownText.escape(task.taskID), Formatting.grouped(task.caseCount),
                         MarkdownText.escape(recommendation.modelID),
                         evidence(recommendation, comparison: { task.perModel[$0]?.comparison },
                                  cost: { task.perModel[$0]?.exactCostPerCase })])
        }
        let table = MarkdownText.table(["Workload", "Cases", "Run on", "Evidence"], align: "lrll", rows)
        return "## Recommendation\n\n" + table + "\n\n"
            + "The cheapest model shown non-inferior to the reference at \(Formatting.margin(summary.settings.margin)), "
            + "or the reference when none is."
    }

    private func evidence(_ recommendation: Recommendation, comparison: (String) -> PairedComparison?,
                          cost: (String) -> Double?) -> String {
        let margin = summary.settings.margin
        if recommendation.switchesFromReference, let chosen = comparison(recommendation.modelID) {
            var text = "non-inferior: Δ \(Formatting.signed(chosen.difference, chosen.differenceInterval)), one-sided "
                + "bound \(chosen.differenceLowerBound.map(Formatting.signed) ?? Formatting.none)"
            if let modelCost = cost(recommendation.modelID), let referenceCost = cost(recommendation.referenceID),
               referenceCost > 0 {
                text += "; \(Formatting.ratioPercent(modelCost / referenceCost)) of the cost"
            }
            return text
        }
        guard let closestID = recommendation.closestCandidateID, let closest = comparison(closestID) else {
            return "no cheaper model measured"
        }
        return "no cheaper model shown non-inferior; closest \(MarkdownText.escape(closestID)): "
            + "Δ \(Formatting.signed(closest.difference, closest.differenceInterval)), "
            + Headline.shortfall(closest, margin: margin)
    }

    // MARK: Cases and errors

    private func disagreementsSection() -> String {
        let models = summary.models
        let rows = summary.disagreements.map { disagreement -> [String] in
            var cells = ["\(MarkdownText.escape(disagreement.taskID)) / \(MarkdownText.escape(disagreement.caseID))"]
            for model in models {
                guard let answer = disagreement.answers[model.modelID] else {
                    cells.append(Formatting.none)
                    continue
                }
                if let score = answer.score {
                    let text = MarkdownText.escape(Formatting.truncated(answer.output ?? "", to: 80))
                    cells.append("\(String(format: "%.2f", score)): \(text.isEmpty ? "(empty)" : text)")
                } else if let kind = answer.errorClass {
                    cells.append("error: \(kind.rawValue)")
                } else {
                    cells.append(Formatting.none)
                }
            }
            return cells
        }
        let table = MarkdownText.table(["Case"] + models.map { MarkdownText.escape($0.modelID) },
                                       align: "l" + String(repeating: "l", count: models.count), rows)
        return "## Where the models disagree most\n\n" + table + "\n\n"
            + "The cases with the widest spread of scores across models, each cell the score and the answer "
            + "(first repeat, cut at 80 characters; the calls CSV has every answer whole)."
    }

    private func errorsSection() -> String {
        var rows: [[String]] = []
        for model in summary.models {
            for group in model.errorGroups {
                rows.append([MarkdownText.escape(model.modelID), group.errorClass.rawValue, "\(group.count)",
                             MarkdownText.escape(Formatting.truncated(group.exampleMessage, to: 200))])
            }
        }
        return "## Errors\n\n" + MarkdownText.table(["Model", "Error class", "Count", "Example"], align: "llrl", rows)
    }

    // MARK: Checks

    private func checksSection(_ checks: Checks) -> String {
        var blocks: [String] = []
        if !checks.gateResults.isEmpty {
            let rows = checks.gateResults.map { result -> [String] in
                [MarkdownText.code(result.gate.text), result.modelID.map(MarkdownText.escape) ?? Formatting.none,
                 GateText.value(result), result.passed ? "pass" : "**FAIL**"]
            }
            blocks.append(MarkdownText.table(["Gate", "Model", "Measured", "Result"], align: "llrl", rows))
        }
        if let comparison = checks.baseline {
            let regressions = comparison.regressions.map { MarkdownText.escape($0.modelID) }
            var line = "Against run \(comparison.baseline.run.id.map(String.init) ?? "?") "
                + "(\(Formatting.count(comparison.sharedCases, "shared case"))): "
            line += regressions.isEmpty ? "no statistically real regression."
                : "**regression** in \(Formatting.list(regressions)) (more pass→fail flips than fail→pass, "
                    + "Holm-adjusted exact McNemar p < 0.05)."
            if !checks.failOnRegression && !regressions.isEmpty { line += " Not failing the job (no --fail-on-regression)." }
            blocks.append(line)
        }
        let verdict = checks.failed ? "**Checks failed.**" : "All checks passed."
        return "## Checks\n\n" + verdict + "\n\n" + blocks.joined(separator: "\n\n")
    }

    // MARK: Run and method

    private func runSection() -> String {
        let run = summary.run
        var facts: [(String, String)] = [
            ("Run", run.id.map(String.init) ?? Formatting.none),
            ("Status", run.status.rawValue),
            ("Started", Formatting.timestamp(run.startedAt)),
            ("Finished", run.finishedAt.map(Formatting.timestamp) ?? "not finished"),
            ("Duration", summary.duration.map(Formatting.duration) ?? Formatting.none),
            ("Tool version", MarkdownText.escape(run.toolVersion)),
            ("Suite file", "\(MarkdownText.code(run.suitePath)) (SHA-256 \(MarkdownText.code(String(run.suiteHash.prefix(12)))))"),
            ("Catalog", MarkdownText.code(run.catalogPath)),
            ("Cases", Formatting.grouped(summary.caseCount) + (summary.repeats > 1 ? " × \(summary.repeats) repeats" : "")),
        ]
        if let commit = run.gitCommit {
            facts.insert(("Git commit", MarkdownText.code(commit)), at: facts.firstIndex { $0.0 == "Suite file" }!)
        }
        let errors = summary.errorCount
        facts.append(("Calls made", Formatting.grouped(summary.callCount) + (errors > 0 ? " (\(errors) failed)" : "")))
        facts.append(("Total spend", totalSpend()))
        var lines = facts.map { "- **\($0.0):** \($0.1)" }
        lines.append("- **Prices, as recorded with the run:**")
        for model in summary.models {
            var text = "  - \(MarkdownText.escape(model.modelID)): "
            if let prices = model.prices {
                text += "$\(prices.input) in / $\(prices.output) out per million tokens"
            } else if let perHour = model.pricePerHour {
                text += "$\(perHour) per replica-hour"
            } else {
                text += "unpriced"
            }
            if model.priced { text += " (\(MarkdownText.escape(model.priceProvenance)))" }
            lines.append(text)
        }
        return "## Run\n\n" + lines.joined(separator: "\n")
    }

    /// The candidates' cost plus the judges', as one total with its parts.
    private func totalSpend() -> String {
        let judges = summary.grading.judgeCostMicros
        guard summary.totalSpendMicros != nil || judges != nil else { return "unpriced" }
        let total = (summary.totalSpendMicros ?? 0) + (judges ?? 0)
        var notes: [String] = []
        let unpriced = summary.unpricedModels.map { MarkdownText.escape($0.modelID) }
        notes.append(unpriced.isEmpty ? "every call" : "priced models only; unpriced: \(unpriced.joined(separator: ", "))")
        if let judges { notes.append("judges: \(Money.format(micros: judges))") }
        return Money.format(micros: total) + " (" + notes.joined(separator: "; ") + ")"
    }

    private func methodSection() -> String {
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
        return "## Method\n\n" + lines.map { "- " + $0 }.joined(separator: "\n")
    }
}
