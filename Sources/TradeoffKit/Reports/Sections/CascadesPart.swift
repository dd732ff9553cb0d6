import Foundation

/// The cascades part of the "Routing" section: each cascade's quality against its last model,
/// the share of the gap it recovers (PGR), what it costs and how long it makes a request wait.
struct CascadesPart: Sendable {
    /// The run shown.
    var summary: RunSummary

    /// The one sentence that says what kind of number a cascade is.
    static let caveat = "A cascade here is a what-if on the suite's cases, not a measured production router: "
        + "it replays the stored answers and the online checks' stored verdicts."

    /// The blocks; nothing when the run has neither a cascade nor a note about one.
    var blocks: [Block] {
        guard !summary.cascades.isEmpty || !summary.cascadeNotes.isEmpty else { return [] }
        var blocks: [Block] = [.heading(level: 3, [.text("Cascades")])]
        if let best = Self.best(summary.cascades) { blocks.append(.paragraph(Self.headline(best))) }
        if !summary.cascades.isEmpty { blocks.append(.table(table)) }
        for note in summary.cascadeNotes { blocks.append(.paragraph([.text(note)])) }
        if !summary.cascades.isEmpty { blocks.append(.paragraph([.text(method)])) }
        return blocks
    }

    /// The cascade the headline speaks of: the cheapest non-inferior to its last model, else the
    /// one recovering most of the gap.
    static func best(_ cascades: [Cascade]) -> Cascade? {
        let nonInferior = cascades.filter { $0.versusLast.verdict == .nonInferior && $0.relativeCost != nil }
        if let cheapest = nonInferior.min(by: { $0.relativeCost! < $1.relativeCost! }) { return cheapest }
        return cascades.max { ($0.pgr ?? -.infinity) < ($1.pgr ?? -.infinity) }
    }

    /// "llama-3.3-70b → claude-sonnet-4.5, escalating on structure: 99% (97–100%) of
    /// claude-sonnet-4.5's quality at 41% of its cost, 18% of cases escalated, PGR 0.92
    /// (non-inferior at δ = 0.1, one-sided bound of Δ −0.031)."
    static func headline(_ cascade: Cascade) -> [Inline] {
        var text: [Inline] = [.data(cascade.spec.name), .text(", escalating on \(cascade.checkLabel)")]
        if let ratio = cascade.versusLast.relativeQuality {
            text += [.text(": " + RoutingSection.ratio(ratio, cascade.versusLast.relativeQualityInterval) + " of "),
                     .data(cascade.lastModelID), .text("'s quality")]
        }
        if let cost = cascade.relativeCost { text.append(.text(" at \(Formatting.ratioPercent(cost)) of its cost")) }
        // The verdict rests on the one-sided bound, not the 95% interval shown: say which it is,
        // so a lower end past −δ beside "non-inferior" reads as what it is.
        let comparison = cascade.versusLast
        let bound = comparison.differenceLowerBound.map { ", one-sided bound of Δ \(Formatting.signed($0))" } ?? ""
        text.append(.text(", \(Formatting.percent(cascade.escalationRate)) of cases escalated, "
                          + (cascade.pgr.map { "PGR \(String(format: "%.2f", $0))" } ?? "PGR undefined")
                          + " (\(comparison.verdict.label) at \(Formatting.margin(comparison.margin))\(bound))."))
        return text
    }

    private var table: Table {
        let volume = summary.routingVolume
        func money(_ micros: Int64?) -> Cell { .money(micros.map(Double.init), Formatting.money(micros)) }
        func latency(_ ms: Double?) -> String { ms.map(Formatting.milliseconds) ?? Formatting.none }
        let rows = summary.cascades.map { cascade -> [Cell] in
            let comparison = cascade.versusLast
            let name: Cell = Cell([.data(cascade.spec.name)] + (cascade.automatic ? [.text(" (open → frontier)")] : []))
            return [name, .text(cascade.checkLabel), .count(cascade.cases),
                    .percent(cascade.escalationRate, Formatting.percent(cascade.escalationRate)),
                    .number(cascade.quality, Formatting.quality(cascade.quality)),
                    .number(comparison.difference, Formatting.signed(comparison.difference, comparison.differenceInterval)),
                    .number(cascade.pgr, cascade.pgr.map { String(format: "%.2f", $0) } ?? "undefined"),
                    money(cascade.costPer1kCasesMicros), money(cascade.checkCostPer1kCasesMicros)]
                + (volume == nil ? [] : [money(cascade.monthlyCostMicros)])
                + [.percent(cascade.relativeCost, cascade.relativeCost.map(Formatting.ratioPercent) ?? Formatting.none),
                   .duration(cascade.latencyP50Ms, latency(cascade.latencyP50Ms) + " / " + latency(cascade.latencyP95Ms))]
        }
        let columns: [Table.ColumnHeader] = [
            .text("Cascade", .leading), .text("Escalates on", .leading), .text("Cases", .trailing),
            .text("Escalated", .trailing), .text("Quality", .trailing), .text("Δ vs last (95% CI)", .trailing),
            .text("PGR", .trailing), .text("Per 1,000 cases", .trailing), .text("Of which checks", .trailing),
        ] + (volume.map { [.text("At \($0)", .trailing)] } ?? [])
            + [.text("Cost vs last", .trailing), .text("Latency p50 / p95", .trailing)]
        return Table(columns, rows)
    }

    private var method: String {
        var text = "Each model answers until an online check (a grader marked `online: true`) fails on its answer; "
            + "the last model's answer is always kept. Computed on the cases every model of the cascade answered: "
            + "cost is the first model on every case, the next on the escalated ones, and the checks' own cost; "
            + "an escalated case waits for both answers. "
            + (summary.cascades.contains(where: \.weightedByVolume)
               ? "Every figure weighs tasks by their stated share of traffic (`volume:`), and Δ is paired with the "
                 + "last model, stratified by task; "
               : "Δ is paired with the last model, clustered by task; ")
            + "PGR = (q_cascade − q_first) / (q_last − q_first), undefined when the two score the same. "
        let unchecked = Set(summary.cascades.flatMap(\.uncheckedTasks)).sorted()
        if !unchecked.isEmpty {
            text += "No online check ran on \(Formatting.list(unchecked)), where a cascade never escalates. "
        }
        return text + Self.caveat
    }
}
