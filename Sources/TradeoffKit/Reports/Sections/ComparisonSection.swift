import Foundation

/// The body of `tradeoff compare`: the headline, what the runs do not share, each model
/// baseline against current (Δ quality with its paired interval, the flips both ways, Δ cost and
/// Δ p95 latency), and the cases that flipped.
struct ComparisonSection: Sendable {
    /// The comparison shown.
    var comparison: RunComparison

    /// The most flipped cases listed per model and direction.
    static let flipLimit = 20

    /// The sections showing `comparison`.
    init(_ comparison: RunComparison) {
        self.comparison = comparison
    }

    /// The headline, the caveats, the models and the flipped cases.
    var blocks: [Block] {
        var blocks: [Block] = [.paragraph(headline)]
        let caveats = self.caveats
        if !caveats.isEmpty { blocks.append(.note(Note(.caution, paragraphs: caveats))) }
        if !comparison.models.isEmpty { blocks += models }
        return blocks + flips
    }

    private var headline: [Inline] {
        let regressions = comparison.regressions.map(\.modelID)
        let improvements = comparison.models.filter(Self.improved).map(\.modelID)
        var sentences: [[Inline]] = []
        if comparison.models.isEmpty {
            sentences.append([.strong([.text("The runs have no model in common")]), .text(", so there is nothing to compare.")])
        } else if regressions.isEmpty {
            sentences.append([.strong([.text("No statistically real regression")]),
                              .text(" across \(Formatting.count(comparison.models.count, "model")) "
                                    + "on \(Formatting.count(comparison.sharedCases, "shared case")).")])
        } else {
            sentences.append([.strong([.text("Regression in ")] + .list(regressions)),
                              .text(": more cases flipped from pass to fail than back, beyond what noise explains.")])
        }
        if !improvements.isEmpty { sentences.append([.text("Improved beyond noise: ")] + .list(improvements) + [.text(".")]) }
        return .joined(sentences, separator: " ")
    }

    /// Whether `change` passed more cases than it failed, beyond noise.
    private static func improved(_ change: RunComparison.ModelChange) -> Bool {
        change.comparison.wins > change.comparison.losses && change.comparison.adjustedPValue < AnalysisSettings.alpha
    }

    /// The verdict of a change the test did not show: `no change` when nothing moved, else which
    /// way it went and that it is `not significant after Holm's correction` — absence of evidence,
    /// never "no real change".
    static func notShown(_ paired: PairedComparison) -> String {
        let difference = paired.difference ?? 0
        if paired.wins == 0 && paired.losses == 0 && difference == 0 { return "no change" }
        let direction = difference < 0 ? "lower, " : difference > 0 ? "higher, " : ""
        return direction + "not significant after Holm's correction"
    }

    /// What makes the runs not fully comparable: other suites, a changed suite, models in one only.
    private var caveats: [[Inline]] {
        let baseline = comparison.baseline.run
        let current = comparison.current.run
        var caveats: [[Inline]] = []
        if baseline.suite != current.suite {
            caveats.append([.text("The runs are of different suites ('"), .data(baseline.suite), .text("' and '"),
                            .data(current.suite), .text("'); only cases with the same task and case id are compared.")])
        } else if comparison.suiteChanged {
            caveats.append([.text("The suite changed between the runs (SHA-256 "), .code(String(baseline.suiteHash.prefix(12))),
                            .text(" → "), .code(String(current.suiteHash.prefix(12))),
                            .text("); only cases in both are compared.")])
        }
        if !comparison.onlyInBaseline.isEmpty {
            caveats.append([.text("Only in the baseline: ")] + .list(comparison.onlyInBaseline) + [.text(".")])
        }
        if !comparison.onlyInCurrent.isEmpty {
            caveats.append([.text("Only in the current run: ")] + .list(comparison.onlyInCurrent) + [.text(".")])
        }
        return caveats
    }

    private var models: [Block] {
        let rows = comparison.models.map { change -> [Cell] in
            let paired = change.comparison
            let quality = { (value: Double?) in
                Inline.value(Quantity(.number, value, display: value.map(Formatting.quality) ?? Formatting.none))
            }
            let verdict: Cell = if change.isRegression {
                .strong("regression")
            } else if Self.improved(change) {
                .text("improvement")
            } else {
                .text(Self.notShown(paired))
            }
            return [
                .data(change.modelID), .count(paired.cases),
                Cell([quality(paired.referenceQuality), .text(" → "), quality(paired.quality)]),
                .number(paired.difference, Formatting.signed(paired.difference, paired.differenceInterval)),
                .count(change.passToFail.count), .count(change.failToPass.count),
                Cell([.value(Quantity(.number, paired.pValue, display: Formatting.pValue(paired.pValue))), .text(" ("),
                      .value(Quantity(.number, paired.adjustedPValue, display: Formatting.pValue(paired.adjustedPValue))),
                      .text(")")]),
                costChange(change), latencyChange(change), verdict,
            ]
        }
        let columns: [Table.ColumnHeader] = [
            .text("Model", .leading), .text("Shared cases", .trailing), .text("Quality before → now", .trailing),
            .text("Δ quality (95% CI)", .trailing), .text("Pass→fail", .trailing), .text("Fail→pass", .trailing),
            .text("McNemar p (Holm)", .trailing), .text("Δ cost / case", .trailing), .text("Δ p95 latency", .trailing),
            .text("Verdict", .leading),
        ]
        return [.section("Models"), .table(Table(columns, rows))]
    }

    /// `−$0.000012 (−8%)`, `0`, or `—` when either run is unpriced.
    private func costChange(_ change: RunComparison.ModelChange) -> Cell {
        guard let old = change.baselineCostPerCaseMicros, let new = change.currentCostPerCaseMicros else { return .none }
        let delta = new - old
        var text = delta == 0 ? "0" : (delta < 0 ? "−" : "+") + Money.format(micros: abs(delta))
        if old > 0 && delta != 0 { text += String(format: " (%+.0f%%)", Double(delta) / Double(old) * 100) }
        return .money(Double(delta), text)
    }

    /// `+120 ms`, `0 ms`, or `—` when either run has no latency.
    private func latencyChange(_ change: RunComparison.ModelChange) -> Cell {
        guard let old = change.baselineP95LatencyMs, let new = change.currentP95LatencyMs else { return .none }
        return .duration(new - old, new == old ? "0 ms" : (new - old < 0 ? "−" : "+") + Formatting.milliseconds(abs(new - old)))
    }

    private var flips: [Block] {
        var blocks: [Block] = []
        for change in comparison.models where !change.passToFail.isEmpty || !change.failToPass.isEmpty {
            blocks.append(.heading(level: 3, [.data(change.modelID)]))
            let items = [("Pass → fail", change.passToFail), ("Fail → pass", change.failToPass)]
                .filter { !$0.1.isEmpty }
                .map { label, cases in
                    let names = cases.prefix(Self.flipLimit).map { [Inline.code("\($0.taskID)/\($0.caseID)")] }
                    var content: [Inline] = [.strong([.text("\(label) (\(cases.count)):")]), .text(" ")]
                        + .joined(Array(names), separator: ", ")
                    if cases.count > Self.flipLimit { content.append(.text(" and \(cases.count - Self.flipLimit) more")) }
                    return ListItem(content)
                }
            blocks.append(.list(items))
        }
        return blocks.isEmpty ? [] : [.section("Flipped cases")] + blocks
    }
}
