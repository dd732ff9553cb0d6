/// The "Checks" section: whether the gates held and whether any model regressed against the
/// baseline run.
struct ChecksSection: Sendable {
    /// The checks shown.
    var checks: Checks

    /// The section showing `checks`.
    init(_ checks: Checks) {
        self.checks = checks
    }

    /// The section, or nothing when nothing was checked.
    var blocks: [Block] {
        guard !checks.isEmpty else { return [] }
        var blocks: [Block] = [
            .section("Checks"),
            .paragraph(checks.failed ? [.strong([.text("Checks failed.")])] : [.text("All checks passed.")]),
        ]
        if !checks.gateResults.isEmpty { blocks.append(.table(Self.gates(checks.gateResults))) }
        if let comparison = checks.baseline { blocks.append(.paragraph(regressions(comparison))) }
        return blocks
    }

    /// One row per gate and model: the gate, the model, what was measured, pass or FAIL.
    static func gates(_ results: [GateResult]) -> Table {
        let rows = results.map { result -> [Cell] in
            [.code(result.gate.text), result.modelID.map(Cell.data) ?? .none, Cell([.value(GateText.quantity(result))]),
             result.passed ? .text("pass") : .strong("FAIL")]
        }
        return Table([.text("Gate", .leading), .text("Model", .leading), .text("Measured", .trailing),
                      .text("Result", .leading)], rows)
    }

    private func regressions(_ comparison: RunComparison) -> [Inline] {
        let regressions = comparison.regressions.map(\.modelID)
        var line: [Inline] = [.text("Against run \(comparison.baseline.run.id.map(String.init) ?? "?") "
                                    + "(\(Formatting.count(comparison.sharedCases, "shared case"))): ")]
        if regressions.isEmpty {
            line.append(.text("no statistically real regression."))
        } else {
            line += [.strong([.text("regression")]), .text(" in ")] + .list(regressions)
                + [.text(" (more pass→fail flips than fail→pass, Holm-adjusted exact McNemar p < 0.05).")]
            if !checks.failOnRegression { line.append(.text(" Not failing the job (no --fail-on-regression).")) }
        }
        return line
    }
}
