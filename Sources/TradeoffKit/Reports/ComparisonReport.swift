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
    public static let flipLimit = ComparisonSection.flipLimit

    /// A report of `comparison`.
    public init(_ comparison: RunComparison, baselineLabel: String, currentLabel: String, checks: Checks? = nil) {
        self.comparison = comparison
        self.baselineLabel = baselineLabel
        self.currentLabel = currentLabel
        self.checks = checks
    }

    /// The report as a neutral document.
    public var document: ReportDocument {
        let current = comparison.current
        var blocks: [Block] = [.heading(level: 1, [.text("Tradeoff comparison: "), .data(current.run.suite)])]
        blocks += ComparisonSection(comparison).blocks
        if let checks, !checks.gateResults.isEmpty {
            blocks += [.section("Gates (current run)"), .table(ChecksSection.gates(checks.gateResults))]
        }
        let runs = [("Baseline:", baselineLabel, comparison.baseline.run), ("Current:", currentLabel, current.run)].map {
            ListItem([.strong([.text($0.0)]), .text(" "), .data($0.1),
                      .text(", started \(Formatting.timestamp($0.2.startedAt)), " + $0.2.status.rawValue)])
        }
        blocks += [
            .section("Runs"),
            .list(runs + [ListItem([.strong([.text("Shared cases:")]), .text(" " + Formatting.grouped(comparison.sharedCases))])]),
            .paragraph([.text("A regression counts only when it is statistically real: more pass→fail than fail→pass flips, "
                              + "with the exact McNemar p-value below 0.05 after Holm's correction across the models. Δ "
                              + "quality is paired over the cases both runs answered, with a seeded bootstrap 95% interval.")]),
        ]
        return ReportDocument(blocks)
    }

    /// The report as Markdown, ending with a newline.
    public func render() -> String {
        MarkdownRenderer().render(document)
    }
}
