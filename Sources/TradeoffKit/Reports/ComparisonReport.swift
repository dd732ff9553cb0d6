/// The Markdown of `tradeoff compare`: each model in both runs, baseline against current, on the
/// cases both runs hold — Δ quality with its paired interval, the flips both ways, Δ cost and
/// Δ p95 latency — and the cases that flipped.
public struct ComparisonReport: Sendable {
    /// The comparison.
    public var comparison: RunComparison
    /// How to name the baseline (`run 3 of results/demo.sqlite`).
    public var baselineLabel: String
    /// How to name the current run.
    public var currentLabel: String
    /// Gates checked on the current run, if any.
    public var checks: Checks?

    /// The most flipped cases listed per model and direction.
    public static let flipLimit = 20

    /// A report of `comparison`.
    public init(_ comparison: RunComparison, baselineLabel: String, currentLabel: String, checks: Checks? = nil) {
        self.comparison = comparison
        self.baselineLabel = baselineLabel
        self.currentLabel = currentLabel
        self.checks = checks
    }

    /// The report as Markdown, ending with a newline.
    public func render() -> String {
        let current = comparison.current
        var blocks = ["# Tradeoff comparison: \(MarkdownText.escape(current.run.suite))", headline()]
        var notes: [String] = []
        if comparison.baseline.run.suite != current.run.suite {
            notes.append("The runs are of different suites ('\(MarkdownText.escape(comparison.baseline.run.suite))' and "
                         + "'\(MarkdownText.escape(current.run.suite))'); only cases with the same task and case id are compared.")
        } else if comparison.suiteChanged {
            notes.append("The suite changed between the runs (SHA-256 \(MarkdownText.code(String(comparison.baseline.run.suiteHash.prefix(12)))) → "
                         + "\(MarkdownText.code(String(current.run.suiteHash.prefix(12))))); only cases in both are compared.")
        }
        if !comparison.onlyInBaseline.isEmpty {
            notes.append("Only in the baseline: \(Formatting.list(comparison.onlyInBaseline.map(MarkdownText.escape))).")
        }
        if !comparison.onlyInCurrent.isEmpty {
            notes.append("Only in the current run: \(Formatting.list(comparison.onlyInCurrent.map(MarkdownText.escape))).")
        }
        if !notes.isEmpty { blocks.append(notes.map { "> " + $0 }.joined(separator: "\n>\n")) }
        if !comparison.models.isEmpty { blocks.append(modelsSection()) }
        if let flips = flipsSection() { blocks.append(flips) }
        if let checks, !checks.gateResults.isEmpty {
            let rows = checks.gateResults.map { result -> [String] in
                [MarkdownText.code(result.gate.text), result.modelID.map(MarkdownText.escape) ?? Formatting.none,
                 GateText.value(result), result.passed ? "pass" : "**FAIL**"]
            }
            blocks.append("## Gates (current run)\n\n" + MarkdownText.table(["Gate", "Model", "Measured", "Result"],
                                                                              align: "llrl", rows))
        }
        blocks.append("## Runs\n\n" + [
            "- **Baseline:** \(MarkdownText.escape(baselineLabel)), started \(Formatting.timestamp(comparison.baseline.run.startedAt)), "
                + comparison.baseline.run.status.rawValue,
            "- **Current:** \(MarkdownText.escape(currentLabel)), started \(Formatting.timestamp(current.run.startedAt)), "
                + current.run.status.rawValue,
            "- **Shared cases:** \(Formatting.grouped(comparison.sharedCases))",
        ].joined(separator: "\n"))
        blocks.append("A regression counts only when it is statistically real: more pass→fail than fail→pass flips, "
                      + "with the exact McNemar p-value below 0.05 after Holm's correction across the models. Δ quality is "
                      + "paired over the cases both runs answered, with a seeded bootstrap 95% interval.")
        return blocks.joined(separator: "\n\n") + "\n"
    }

    private func headline() -> String {
        let regressions = comparison.regressions.map { MarkdownText.escape($0.modelID) }
        let improvements = comparison.models.filter {
            $0.comparison.wins > $0.comparison.losses && $0.comparison.adjustedPValue < AnalysisSettings.alpha
        }.map { MarkdownText.escape($0.modelID) }
        var sentences: [String] = []
        if comparison.models.isEmpty {
            sentences.append("**The runs have no model in common**, so there is nothing to compare.")
        } else if regressions.isEmpty {
            sentences.append("**No statistically real regression** across \(Formatting.count(comparison.models.count, "model")) "
                             + "on \(Formatting.count(comparison.sharedCases, "shared case")).")
        } else {
            sentences.append("**Regression in \(Formatting.list(regressions))**: more cases flipped from pass to fail than "
                             + "back, beyond what noise explains.")
        }
        if !improvements.isEmpty { sentences.append("Improved beyond noise: \(Formatting.list(improvements)).") }
        return sentences.joined(separator: " ")
    }

    private func modelsSection() -> String {
        let rows = comparison.models.map { change -> [String] in
            let paired = change.comparison
            let before = paired.referenceQuality.map(Formatting.quality) ?? Formatting.none
            let now = paired.quality.map(Formatting.quality) ?? Formatting.none
            var cost = Formatting.none
            if let old = change.baselineCostPerCaseMicros, let new = change.currentCostPerCaseMicros {
                let delta = new - old
                cost = delta == 0 ? "0" : (delta < 0 ? "−" : "+") + Money.format(micros: abs(delta))
                if old > 0 && delta != 0 { cost += String(format: " (%+.0f%%)", Double(delta) / Double(old) * 100) }
            }
            var latency = Formatting.none
            if let old = change.baselineP95LatencyMs, let new = change.currentP95LatencyMs {
                latency = new == old ? "0 ms" : (new - old < 0 ? "−" : "+") + Formatting.milliseconds(abs(new - old))
            }
            var verdict = "no real change"
            if change.isRegression {
                verdict = "**regression**"
            } else if paired.wins > paired.losses && paired.adjustedPValue < AnalysisSettings.alpha {
                verdict = "improvement"
            }
            return [MarkdownText.escape(change.modelID), Formatting.grouped(paired.cases), "\(before) → \(now)",
                    Formatting.signed(paired.difference, paired.differenceInterval),
                    Formatting.grouped(change.passToFail.count), Formatting.grouped(change.failToPass.count),
                    "\(Formatting.pValue(paired.pValue)) (\(Formatting.pValue(paired.adjustedPValue)))",
                    cost, latency, verdict]
        }
        return "## Models\n\n" + MarkdownText.table(
            ["Model", "Shared cases", "Quality before → now", "Δ quality (95% CI)", "Pass→fail", "Fail→pass",
             "McNemar p (Holm)", "Δ cost / case", "Δ p95 latency", "Verdict"], align: "lrrrrrrrrl", rows)
    }

    private func flipsSection() -> String? {
        var blocks: [String] = []
        for change in comparison.models where !change.passToFail.isEmpty || !change.failToPass.isEmpty {
            var lines = ["### \(MarkdownText.escape(change.modelID))", ""]
            for (label, cases) in [("Pass → fail", change.passToFail), ("Fail → pass", change.failToPass)] where !cases.isEmpty {
                var names = cases.prefix(Self.flipLimit).map {
                    MarkdownText.code("\($0.taskID)/\($0.caseID)")
                }.joined(separator: ", ")
                if cases.count > Self.flipLimit { names += " and \(cases.count - Self.flipLimit) more" }
                lines.append("- **\(label) (\(cases.count)):** \(names)")
            }
            blocks.append(lines.joined(separator: "\n"))
        }
        guard !blocks.isEmpty else { return nil }
        return "## Flipped cases\n\n" + blocks.joined(separator: "\n\n")
    }
}
