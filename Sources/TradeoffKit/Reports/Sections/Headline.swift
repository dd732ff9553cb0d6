/// The two or three sentences at the top of a report, generated from the numbers: what to run,
/// at what quality and cost, and how sure the suite is — or why it cannot tell.
enum Headline {
    /// The headline of `summary` as Markdown, as the JSON summary carries it.
    static func text(_ summary: RunSummary) -> String {
        MarkdownRenderer().render(inlines(summary))
    }

    /// The headline of `summary`, model and task ids as data.
    static func inlines(_ summary: RunSummary) -> [Inline] {
        guard let reference = summary.reference, let recommendation = summary.recommendation else {
            return [.strong([.text("No model answered any case")]), .text(", so there is nothing to compare; see the errors below.")]
        }
        let ref = Inline.data(reference.modelID)
        // The run named its reference: it is not swapped for another, nor is it "the choice" with no answer.
        if reference.quality == nil {
            return [.strong([.text("The reference, "), ref,
                             .text(", answered none of the \(Formatting.count(summary.caseCount, "case"))")]),
                    .text(", so no model can be compared with it; see the errors below.")]
        }
        let margin = points(summary.settings.margin)
        if summary.models.count == 1 {
            var rest = ": quality \(Formatting.quality(reference.quality, reference.qualityInterval))" + partial(reference.cases, summary)
            if let cost = reference.costPerCaseMicros { rest += " at \(Money.format(micros: cost)) per case" }
            return [.strong([.text("Only "), ref, .text(" was run")]), .text(rest + ".")]
        }
        var sentences: [[Inline]] = []
        if recommendation.switchesFromReference, let model = summary.model(recommendation.modelID),
           let comparison = summary.comparison(for: model.modelID), comparison.isSignificantlyBetter {
            sentences.append(better(model, comparison, than: reference, in: summary, chosen: true))
        } else if recommendation.switchesFromReference, let model = summary.model(recommendation.modelID),
           let comparison = summary.comparison(for: model.modelID) {
            var claim: [Inline] = [.data(model.modelID), .text(" reaches \(relativeQuality(comparison)) of "), ref,
                                   .text("'s quality, non-inferior at δ = \(margin) points" + partial(comparison.cases, summary))]
            var sentence: [Inline]
            if let relativeCost = relativeCost(model, reference) {
                claim.append(.text(", at \(Formatting.ratioPercent(relativeCost)) of the cost"))
                sentence = [.strong(claim), .text(cost(model, instead: reference, in: summary))]
            } else {
                sentence = [.strong(claim), .text("; "), ref, .text("'s cost is unknown (unpriced), so the saving is too")]
            }
            sentences.append(sentence + [.text(".")])
        } else {
            sentences.append([.strong([.text("No cheaper model is shown non-inferior to "), ref,
                                       .text(" at δ = \(margin) points " + (summary.isPartial
                                            ? "on \(reference.cases) of this suite's \(Formatting.count(summary.caseCount, "case"))"
                                            : "on this suite's \(Formatting.count(summary.caseCount, "case"))"))]),
                              .text(", so "), ref, .text(" stays the choice.")])
            if let closestID = recommendation.closestCandidateID, let closest = summary.model(closestID),
               let comparison = summary.comparison(for: closestID) {
                var sentence: [Inline] = [.text("The closest, "), .data(closestID),
                                          .text(", reaches \(relativeQuality(comparison)) of "), ref, .text("'s quality")]
                if let relativeCost = relativeCost(closest, reference) {
                    var text = " at \(Formatting.ratioPercent(relativeCost)) of the cost"
                    if let volume = summary.settings.volume, let monthly = summary.monthlyCostMicros(of: closestID),
                       let referenceMonthly = summary.monthlyCostMicros(of: reference.modelID) {
                        text += " (\(Money.rounded(micros: monthly)) instead of \(Money.rounded(micros: referenceMonthly)) "
                            + "a month at \(volume))"
                    }
                    sentence.append(.text(text))
                }
                sentence.append(.text("; " + shortfall(comparison, margin: summary.settings.margin) + "."))
                sentences.append(sentence)
            } else {
                sentences.append([.text("No model measured is cheaper than "), ref, .text(".")])
            }
        }
        for comparison in summary.comparisons where comparison.isSignificantlyBetter && comparison.modelID != recommendation.modelID {
            guard let model = summary.model(comparison.modelID) else { continue }
            sentences.append(better(model, comparison, than: reference, in: summary, chosen: false))
        }
        if let perTask = perTaskSentence(summary) { sentences.append(perTask) }
        return .joined(sentences, separator: " ")
    }

    /// `qwen is significantly better than gemma: Δ +0.400 (95% CI +0.225 to +0.575), McNemar p <0.001,
    /// at 112% of the cost: $0.0195 instead of $0.0571 per 1,000 cases per quality point.`, in bold
    /// when it is the recommendation; otherwise saying it costs more per quality point, or that
    /// the cost is unknown.
    private static func better(_ model: ModelSummary, _ comparison: PairedComparison, than reference: ModelSummary,
                               in summary: RunSummary, chosen: Bool) -> [Inline] {
        var claim: [Inline] = [.data(model.modelID), .text(" is significantly better than "), .data(reference.modelID),
                               .text(": Δ \(signedWithInterval(comparison)), McNemar p \(Formatting.pValue(comparison.pValue))")]
        let relativeCost = relativeCost(model, reference)
        if let relativeCost { claim.append(.text(", at \(Formatting.ratioPercent(relativeCost)) of the cost")) }
        var rest = ""
        if let perPoint = costPerQualityPoint(model), let referencePerPoint = costPerQualityPoint(reference) {
            rest = ": \(Money.rounded(micros: perPoint)) instead of \(Money.rounded(micros: referencePerPoint)) per 1,000 cases "
                + "per quality point"
            if !chosen { rest += ", more per point than the recommendation" }
        } else if relativeCost == nil {
            rest = chosen ? "; the cost of one of them is unknown (unpriced), so quality decides"
                : "; the cost of one of them is unknown (unpriced), so it cannot be weighed"
        }
        return (chosen ? [.strong(claim)] : claim) + [.text(rest + ".")]
    }

    /// `+0.400 (95% CI +0.225 to +0.575)`.
    private static func signedWithInterval(_ comparison: PairedComparison) -> String {
        guard let difference = comparison.difference else { return Formatting.none }
        guard let interval = comparison.differenceInterval else { return Formatting.signed(difference) }
        return "\(Formatting.signed(difference)) (95% CI \(Formatting.signed(interval.lower)) to \(Formatting.signed(interval.upper)))"
    }

    /// Cost per 1,000 cases over quality in points, in micro-dollars; nil when unpriced or the
    /// quality is 0.
    private static func costPerQualityPoint(_ model: ModelSummary) -> Int64? {
        guard let perThousand = model.costPer1kCasesMicros, let quality = model.quality, quality > 0 else { return nil }
        return Money.micros(Double(perThousand) / (quality * 100))
    }

    /// ` on 40 of 66 cases` when the run is partial (the cases the claim rests on); empty otherwise.
    private static func partial(_ cases: Int, _ summary: RunSummary) -> String {
        summary.isPartial ? " on \(Formatting.grouped(cases)) of \(Formatting.count(summary.caseCount, "case"))" : ""
    }

    /// `96% (95% CI 92–99%)`.
    private static func relativeQuality(_ comparison: PairedComparison) -> String {
        guard let ratio = comparison.relativeQuality else { return Formatting.none }
        guard let interval = comparison.relativeQualityInterval else { return Formatting.ratioPercent(ratio) }
        return "\(Formatting.ratioPercent(ratio)) (95% CI \(String(format: "%.0f", interval.lower * 100))–"
            + "\(Formatting.ratioPercent(interval.upper)))"
    }

    /// Cost per case of `model` over the reference's; nil when either is unknown or the reference is free.
    static func relativeCost(_ model: ModelSummary, _ reference: ModelSummary) -> Double? {
        guard let cost = model.exactCostPerCase, let referenceCost = reference.exactCostPerCase, referenceCost > 0 else {
            return nil
        }
        return cost / referenceCost
    }

    /// `: $1,240 instead of $11,300 a month at 2M/month` or `: $0.03 instead of $0.16 per 1,000 cases`.
    private static func cost(_ model: ModelSummary, instead reference: ModelSummary, in summary: RunSummary) -> String {
        if let volume = summary.settings.volume, let monthly = summary.monthlyCostMicros(of: model.modelID),
           let referenceMonthly = summary.monthlyCostMicros(of: reference.modelID) {
            return ": \(Money.rounded(micros: monthly)) instead of \(Money.rounded(micros: referenceMonthly)) a month at \(volume)"
        }
        guard let perThousand = model.costPer1kCasesMicros, let referencePerThousand = reference.costPer1kCasesMicros else {
            return ""
        }
        return ": \(Money.rounded(micros: perThousand)) instead of \(Money.rounded(micros: referencePerThousand)) per 1,000 cases"
    }

    /// Why a candidate was not shown non-inferior.
    static func shortfall(_ comparison: PairedComparison, margin: Double) -> String {
        switch comparison.verdict {
        case .inferior:
            return "it is worse by more than \(points(margin)) points"
        case .inconclusive(let needed) where needed > comparison.cases:
            return "settling it at the \(points(margin))-point margin needs about \(Formatting.count(needed, "case"))"
        case .inconclusive:
            return "the one-sided 95% bound of the difference (\(signedPoints(comparison.differenceLowerBound))) "
                + "is beyond the \(points(margin))-point margin"
        case .tooFewCases(let needed):
            return "they share \(Formatting.grouped(comparison.cases)) of the \(Formatting.count(needed, "case")) a verdict needs"
        case .noSharedCases:
            return "the two models answered no case in common"
        case .nonInferior:
            return "it is non-inferior but not cheaper"
        }
    }

    /// `Per task: llama is enough for triage and arithmetic; gpt-4o stays the choice for extract-email.`
    private static func perTaskSentence(_ summary: RunSummary) -> [Inline]? {
        guard summary.tasks.count > 1, let referenceID = summary.referenceID else { return nil }
        var enough: [(model: String, better: Bool, tasks: [String])] = []
        var kept: [String] = []
        for task in summary.tasks {
            guard let recommendation = task.recommendation else { continue }
            if recommendation.switchesFromReference {
                let better = task.perModel[recommendation.modelID]?.comparison?.isSignificantlyBetter ?? false
                if let index = enough.firstIndex(where: { $0.model == recommendation.modelID && $0.better == better }) {
                    enough[index].tasks.append(task.taskID)
                } else {
                    enough.append((recommendation.modelID, better, [task.taskID]))
                }
            } else {
                kept.append(task.taskID)
            }
        }
        var parts: [[Inline]] = enough.map {
            [.data($0.model), .text($0.better ? " is significantly better for " : " is enough for ")] + .list($0.tasks)
        }
        if !kept.isEmpty {
            parts.append(enough.isEmpty
                         ? [.text("no cheaper model is shown non-inferior, nor any better, on any of the \(summary.tasks.count) tasks")]
                         : [.data(referenceID), .text(" stays the choice for ")] + .list(kept))
        }
        guard !parts.isEmpty else { return nil }
        return [.text("Per task: ")] + .joined(parts, separator: "; ") + [.text(".")]
    }

    /// `5` for δ = 0.05.
    static func points(_ margin: Double) -> String { Formatting.number(margin * 100) }

    /// `−2.1 points`.
    static func signedPoints(_ value: Double?) -> String {
        guard let value else { return Formatting.none }
        let text = String(format: "%.1f", abs(value * 100))
        return (value < 0 && text != "0.0" ? "−" : "") + text + " points"
    }
}
