/// The "Against the reference" and "Cost at volume" sections: each model paired with the
/// reference on the cases both answered, then what each would cost a month.
struct ReferenceSection: Sendable {
    /// The run shown.
    var summary: RunSummary

    /// The reference sections of `summary`.
    init(_ summary: RunSummary) {
        self.summary = summary
    }

    /// The sections there is something to show in: none without a reference or a volume.
    var blocks: [Block] { comparison + volume }

    private var comparison: [Block] {
        guard let reference = summary.reference, !summary.comparisons.isEmpty else { return [] }
        let rows = summary.comparisons.map { comparison -> [Cell] in
            let relativeCost = summary.model(comparison.modelID).flatMap { Headline.relativeCost($0, reference) }
            return [
                .data(comparison.modelID), .count(comparison.cases),
                .number(comparison.difference, Formatting.signed(comparison.difference, comparison.differenceInterval)),
                relativeQuality(comparison),
                relativeCost.map { .percent($0, Formatting.ratioPercent($0)) } ?? .none,
                Cell([.value(Quantity(.number, Double(comparison.wins), display: Formatting.grouped(comparison.wins))),
                      .text(" / "),
                      .value(Quantity(.number, Double(comparison.losses), display: Formatting.grouped(comparison.losses)))]),
                // No shared case, no test: a p-value of 1 would read as evidence.
                comparison.verdict == .noSharedCases ? .none
                    : Cell([.value(Quantity(.number, comparison.pValue, display: Formatting.pValue(comparison.pValue))), .text(" ("),
                            .value(Quantity(.number, comparison.adjustedPValue,
                                            display: Formatting.pValue(comparison.adjustedPValue))),
                            .text(")")]),
                .text(Self.verdict(comparison)),
            ]
        }
        let table = Table([.text("Model", .leading), .text("Cases", .trailing), .text("Δ quality (95% CI)", .trailing),
                           .text("Relative quality (95% CI)", .trailing), .text("Relative cost", .trailing),
                           .text("Flips won / lost", .trailing), .text("McNemar p (Holm)", .trailing),
                           .text("Non-inferior at \(Formatting.margin(summary.settings.margin))?", .leading)], rows)
        let legend: [Inline] = [
            .text("Each model against "), .data(reference.modelID),
            .text(" on the cases both answered: Δ is the mean per-case difference in score (paired); relative quality and "
                  + "cost are the model's over the reference's. Flips won are cases the model passed and the reference "
                  + "failed; lost, the reverse. A model is non-inferior when the one-sided 95% lower bound of Δ is above −δ; "
                  + "no verdict either way rests on fewer than \(PairedComparison.minimumSharedCases) shared cases."),
        ]
        return [.heading(level: 2, [.text("Against the reference: "), .data(reference.modelID)]), .table(table),
                .paragraph(legend)]
    }

    private func relativeQuality(_ comparison: PairedComparison) -> Cell {
        guard let ratio = comparison.relativeQuality else { return .none }
        guard let interval = comparison.relativeQualityInterval else { return .percent(ratio, Formatting.ratioPercent(ratio)) }
        return .percent(ratio, "\(Formatting.ratioPercent(ratio)) (\(Formatting.ratioPercent(interval.lower))–"
                        + "\(Formatting.ratioPercent(interval.upper)))")
    }

    /// `yes (bound −0.021)`, `no: worse by more than δ`, `inconclusive: 66 cases, about 314 needed`,
    /// and below the shared cases any verdict needs `inconclusive: 3 of 10 cases needed`.
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
        case .tooFewCases(let needed):
            return "inconclusive: \(Formatting.grouped(comparison.cases)) of \(Formatting.count(needed, "case")) needed"
        case .noSharedCases:
            return "no shared cases"
        }
    }

    private var volume: [Block] {
        guard let volume = summary.settings.volume else { return [] }
        let reference = summary.referenceID.flatMap { summary.monthlyCostMicros(of: $0) }
        let rows = summary.models.map { model -> [Cell] in
            guard let monthly = summary.monthlyCostMicros(of: model.modelID) else {
                return [.data(model.modelID), model.priced ? .none : .text("unpriced"), .none]
            }
            var against = Cell.none
            if model.modelID == summary.referenceID {
                against = .text("reference")
            } else if let reference, reference > 0 {
                let saving = reference - monthly
                let share = Double(abs(saving)) / Double(reference)
                let amount = Inline.value(Quantity(.money, Double(abs(saving)), display: Money.format(micros: abs(saving))))
                let percent = Inline.value(Quantity(.percent, share, display: Formatting.ratioPercent(share)))
                against = Cell(saving >= 0 ? [.text("saves "), amount, .text(" ("), percent, .text(")")]
                               : [.text("costs "), amount, .text(" more ("), percent, .text(")")])
            }
            return [.data(model.modelID), .money(Double(monthly), Money.format(micros: monthly)), against]
        }
        let table = Table([.text("Model", .leading), .text("Cost a month", .trailing),
                           .text("Against the reference", .trailing)], rows)
        return [.section("Cost at \(volume)"), .table(table),
                .paragraph([.text("Measured cost per case × \(Formatting.grouped(Int(volume.casesPerMonth))) cases a month.")])]
    }
}
