import Foundation

/// The "Routing" section: each task sent to its recommended model, the portfolio as a whole
/// against the reference alone and the best single model, and what kind of number it is.
struct RoutingSection: Sendable {
    /// The run shown.
    var summary: RunSummary

    /// The routing section of `summary`.
    init(_ summary: RunSummary) {
        self.summary = summary
    }

    /// The section; nothing when there is nothing to route (one model or one task), and the
    /// reason alone when there is no portfolio.
    var blocks: [Block] {
        guard summary.models.count > 1 else { return [] }
        let cascades = CascadesPart(summary: summary).blocks
        guard summary.tasks.count > 1 else { return cascades.isEmpty ? [] : [.section("Routing")] + cascades }
        switch summary.routing {
        case .skipped(let skip):
            return [.section("Routing"), .paragraph(Self.reason(skip))] + cascades
        case .portfolio(let portfolio):
            return [.section("Routing"), .paragraph(Self.headline(portfolio)), .table(routes(portfolio)),
                    .table(wholes(portfolio)), .paragraph([.text(method(portfolio))])] + cascades
        }
    }

    /// "Route classify to open-good, the rest to frontier: 98% (95–100%) of frontier's quality at
    /// 55% of the cost."
    static func headline(_ portfolio: Portfolio) -> [Inline] {
        var groups: [(modelID: String, tasks: [String])] = []
        for route in portfolio.routes where route.modelID != portfolio.referenceID {
            if let index = groups.firstIndex(where: { $0.modelID == route.modelID }) {
                groups[index].tasks.append(route.taskID)
            } else {
                groups.append((route.modelID, [route.taskID]))
            }
        }
        var text: [Inline] = [.text("Route ")] + .list(groups.map { .list($0.tasks) + [.text(" to "), .data($0.modelID)] })
        if portfolio.routes.contains(where: { $0.modelID == portfolio.referenceID }) {
            text += [.text(", the rest to "), .data(portfolio.referenceID)]
        }
        guard let reference = portfolio.baselines.first(where: { $0.role == .reference }) else { return text + [.text(".")] }
        if let ratio = reference.relativeQuality {
            text += [.text(": " + Self.ratio(ratio, reference.relativeQualityInterval) + " of "), .data(reference.modelID),
                     .text("'s quality")]
        }
        if let cost = reference.relativeCost { text.append(.text(" at \(Formatting.ratioPercent(cost)) of the cost")) }
        return text + [.text(".")]
    }

    /// `97% (95–99%)`.
    static func ratio(_ value: Double, _ interval: Interval?) -> String {
        guard let interval else { return Formatting.ratioPercent(value) }
        let lower = Formatting.ratioPercent(interval.lower)
        return "\(Formatting.ratioPercent(value)) (\(lower.hasSuffix("%") ? String(lower.dropLast()) : lower)–"
            + "\(Formatting.ratioPercent(interval.upper)))"
    }

    static func reason(_ skip: Portfolio.Skip) -> [Inline] {
        switch skip {
        case .noReference: [.text("No portfolio: there is no reference to route against.")]
        case .everyTaskToReference(let reference):
            [.text("No portfolio: every task routes to the reference "), .data(reference),
             .text(" (no cheaper model is shown non-inferior on any task), so routing changes nothing.")]
        case .unpriced(let model): [.text("No portfolio: "), .data(model), .text(" has no price, so its cost is unknown.")]
        case .unanswered(let model, let task):
            [.text("No portfolio: "), .data(model), .text(" answered none of the cases of "), .data(task), .text(".")]
        }
    }

    private func routes(_ portfolio: Portfolio) -> Table {
        let rows = portfolio.routes.map { route -> [Cell] in
            let why: Cell = switch route.reason {
            case .nonInferior(let cases): .text("non-inferior on \(Formatting.count(cases, "case"))")
            case .better(let cases): .text("better on \(Formatting.count(cases, "case"))")
            case .reference: .text("reference")
            }
            let cost = NSDecimalNumber(decimal: route.costPerCaseMicros).doubleValue
            return [.data(route.taskID), .count(route.caseCount), .data(route.modelID), why,
                    .number(route.quality, Formatting.quality(route.quality)), .money(cost, Formatting.money(exact: cost))]
        }
        return Table([.text("Task", .leading), .text("Cases", .trailing), .text("Routed to", .leading),
                      .text("Why", .leading), .text("Quality", .trailing), .text("Cost per case", .trailing)], rows)
    }

    private func wholes(_ portfolio: Portfolio) -> Table {
        let volume = summary.routingVolume
        func money(_ micros: Int64?) -> Cell { .money(micros.map(Double.init), Formatting.money(micros)) }
        var rows: [[Cell]] = [
            [.strong("portfolio"), .number(portfolio.quality, Formatting.quality(portfolio.quality, portfolio.qualityInterval)),
             money(portfolio.costPer1kCasesMicros)] + (volume == nil ? [] : [money(portfolio.monthlyCostMicros)])
                + [.none, .none],
        ]
        for baseline in portfolio.baselines {
            let role = baseline.role == .reference ? " (reference)" : " (best single model)"
            rows.append([Cell([.data(baseline.modelID), .text(role)]),
                         .number(baseline.quality, Formatting.quality(baseline.quality)),
                         money(baseline.costPer1kCasesMicros)] + (volume == nil ? [] : [money(baseline.monthlyCostMicros)])
                        + [.percent(baseline.relativeQuality,
                                    baseline.relativeQuality.map { Self.ratio($0, baseline.relativeQualityInterval) } ?? Formatting.none),
                           .percent(baseline.relativeCost, baseline.relativeCost.map(Formatting.ratioPercent) ?? Formatting.none)])
        }
        let columns: [Table.ColumnHeader] = [.text("Run", .leading), .text("Quality", .trailing), .text("Per 1,000 cases", .trailing)]
            + (volume.map { [.text("At \($0)", .trailing)] } ?? [])
            + [.text("Portfolio's quality", .trailing), .text("Portfolio's cost", .trailing)]
        return Table(columns, rows)
    }

    private func method(_ portfolio: Portfolio) -> String {
        var text = "Each task goes to its recommended model (the cheapest shown non-inferior to the reference at "
            + "\(Formatting.margin(summary.settings.margin)), else the reference); tasks weigh by "
            + (portfolio.weightedByVolume ? "their stated share of traffic (`volume:`). " : "their cases. ")
        if let p50 = portfolio.latencyP50Ms, let p95 = portfolio.latencyP95Ms {
            text += "Latency of the routed answers: p50 \(Formatting.milliseconds(p50)), p95 \(Formatting.milliseconds(p95)). "
        }
        if let interval = portfolio.qualityInterval {
            text += "Quality's interval: \(interval.method.label)"
            if interval.method == .bootstrapStratified {
                text += ", B = \(Formatting.grouped(summary.settings.bootstrap.replicates)), seed \(summary.settings.bootstrap.seed)"
            }
            text += ". "
        }
        return text + "This is a what-if on the suite's cases, not a measured production router: a router must "
            + "know each request's task, and real traffic may mix the tasks differently."
    }
}
