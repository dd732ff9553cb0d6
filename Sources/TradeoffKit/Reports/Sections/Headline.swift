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
        if let perTask = perTaskSentence(summary) { sentences.append(perTask) }
        return .joined(sentences, separator: " ")
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
            return "telling a \(points(margin))-point difference needs about \(Formatting.count(needed, "case"))"
        case .inconclusive:
            return "the one-sided 95% bound of the difference (\(signedPoints(comparison.differenceLowerBound))) "
                + "is beyond the \(points(margin))-point margin"
        case .noSharedCases:
            return "the two models answered no case in common"
        case .nonInferior:
            return "it is non-inferior but not cheaper"
        }
    }

    /// `Per task: llama is enough for triage and arithmetic; gpt-4o stays the choice for extract-email.`
    private static func perTaskSentence(_ summary: RunSummary) -> [Inline]? {
        guard summary.tasks.count > 1, let referenceID = summary.referenceID else { return nil }
        var enough: [(model: String, tasks: [String])] = []
        var kept: [String] = []
        for task in summary.tasks {
            guard let recommendation = task.recommendation else { continue }
            if recommendation.switchesFromReference {
                if let index = enough.firstIndex(where: { $0.model == recommendation.modelID }) {
                    enough[index].tasks.append(task.taskID)
                } else {
                    enough.append((recommendation.modelID, [task.taskID]))
                }
            } else {
                kept.append(task.taskID)
            }
        }
        var parts: [[Inline]] = enough.map { [.data($0.model), .text(" is enough for ")] + .list($0.tasks) }
        if !kept.isEmpty {
            parts.append(enough.isEmpty
                         ? [.text("no cheaper model is shown non-inferior on any of the \(summary.tasks.count) tasks")]
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
