import Foundation

/// The "Run" and "Method" sections: the run's facts (files, versions, calls, spend, prices as
/// recorded) and how every number in the report was computed.
struct RunSection: Sendable {
    /// The run shown.
    var summary: RunSummary

    /// The run sections of `summary`.
    init(_ summary: RunSummary) {
        self.summary = summary
    }

    /// Both sections.
    var blocks: [Block] { facts + method }

    private var facts: [Block] {
        let run = summary.run
        var facts: [(String, [Inline])] = [
            ("Run", [.text(run.id.map(String.init) ?? Formatting.none)]),
            ("Status", [.text(run.status.rawValue)]),
            ("Started", [.text(Formatting.timestamp(run.startedAt))]),
            ("Finished", [.text(run.finishedAt.map(Formatting.timestamp) ?? "not finished")]),
            ("Duration", [.text(summary.duration.map(Formatting.duration) ?? Formatting.none)]),
            ("Tool version", [.data(run.toolVersion)]),
        ]
        if let commit = run.gitCommit { facts.append(("Git commit", [.code(commit)])) }
        let errors = summary.errorCount
        facts += [
            ("Suite file", [.code(run.suitePath), .text(" (SHA-256 "), .code(String(run.suiteHash.prefix(12))), .text(")")]),
            ("Catalog", [.code(run.catalogPath)]),
            ("Cases", [.text(Formatting.grouped(summary.caseCount) + (summary.repeats > 1 ? " × \(summary.repeats) repeats" : ""))]),
            ("Calls made", [.text(Formatting.grouped(summary.callCount) + (errors > 0 ? " (\(errors) failed)" : ""))]),
            ("Total spend", totalSpend()),
        ]
        var items = facts.map { label, value in ListItem([.strong([.text(label + ":")]), .text(" ")] + value) }
        items.append(ListItem([.strong([.text("Prices, as recorded with the run:")])], children: summary.models.map(prices)))
        return [.section("Run"), .list(items)]
    }

    /// Every part of the model's price its calls were billed at, so a reader can check the cost:
    /// `claude: input $3.00, output $15.00 per M tokens; cache reads $0.30; 1-hour cache writes
    /// at 2 × input ($6.00); above 200,000 tokens (3 calls): input $6.00, output $22.50 (source)`,
    /// or for a deployment by the hour its price, replicas and utilization.
    private func prices(_ model: ModelSummary) -> ListItem {
        let text: String
        switch model.pricing {
        case .tokens(let price): text = Self.tokenPrices(price, parts: model.pricedParts)
        case .hourly(let price):
            text = Self.hourlyPrice(price, basis: model.hourlyBasis, madeAnswers: model.answered - model.replayed)
        case nil: text = "unpriced"
        }
        var content: [Inline] = [.data(model.modelID), .text(": " + text)]
        if model.priced { content += [.text(" ("), .data(model.priceProvenance), .text(")")] }
        return ListItem(content)
    }

    static func tokenPrices(_ price: Price, parts: PricedParts) -> String {
        let usd = PriceText.usd
        func used(_ rates: TokenRates, base: Bool) -> [String] {
            var used: [String] = []
            if parts.cacheReadTokens > 0 {
                let own = base ? price.cachedInputPerMillion : rates.tier?.cachedInputPerMillion ?? price.cachedInputPerMillion
                used.append(own == nil ? "cache reads at the input price" : "cache reads \(usd(rates.cachedInput))")
            }
            if parts.cacheWrite5mTokens > 0 {
                let own = base ? price.cacheWritePerMillion : rates.tier?.cacheWritePerMillion ?? price.cacheWritePerMillion
                used.append(own == nil ? "5-minute cache writes at the input price"
                            : "5-minute cache writes \(usd(rates.cacheWrite))")
            }
            if parts.cacheWrite1hTokens > 0 {
                let own = base ? price.cacheWrite1hPerMillion
                    : rates.tier?.cacheWrite1hPerMillion ?? price.cacheWrite1hPerMillion
                used.append(own == nil ? "1-hour cache writes at 2 × input (\(usd(rates.cacheWrite1h)))"
                            : "1-hour cache writes \(usd(rates.cacheWrite1h))")
            }
            return used
        }
        let base = price.rates(forInputTokens: 0)
        var sections = ["input \(usd(base.input)), output \(usd(base.output)) per M tokens"] + used(base, base: true)
        for tier in price.tiers {
            guard let calls = parts.tierCalls[tier.aboveInputTokens] else { continue }
            let rates = price.rates(forInputTokens: tier.aboveInputTokens + 1)
            sections.append("above \(PriceText.grouped(tier.aboveInputTokens)) tokens (\(calls) call\(calls == 1 ? "" : "s")): "
                            + (["input \(usd(rates.input)), output \(usd(rates.output))"] + used(rates, base: false))
                                .joined(separator: ", "))
        }
        if let fee = price.perRequest { sections.append("\(usd(fee)) per request") }
        return sections.joined(separator: "; ")
    }

    /// The hourly price and the assumption that turns it into a cost per call: the throughput,
    /// stated or measured (at which concurrency, over what), and the cost of a unit of work.
    ///
    /// - Parameter madeAnswers: The model's answers made in the run (not replayed): with some and
    ///   no basis, the run was costed before bases were recorded, or has not been costed yet.
    static func hourlyPrice(_ price: HourlyPrice, basis: HourlyPricing.Basis?, madeAnswers: Int = 0) -> String {
        let utilization = price.utilization.map { "\($0) utilization" } ?? "full utilization (1)"
        let perHour = (price.effectivePerHour * 1_000_000).rounded(.plain) / 1_000_000
        let hourly = "\(PriceText.usd(price.perHour)) per replica-hour × \(price.replicas) "
            + "replica\(price.replicas == 1 ? "" : "s") at \(utilization): \(PriceText.usd(perHour)) per hour"
        guard let basis else {
            if madeAnswers > 0 {
                return hourly + "; no throughput was recorded with the run: it was costed by an older tradeoff (from "
                    + "its serving time), or not yet (it is running, or stopped before its end); `tradeoff report "
                    + "--reprice` costs it at the throughput measured over its answers"
            }
            return hourly + "; no throughput to cost calls at: the price states none and no call of the run was "
                + "answered to measure it, so its calls' costs are unknown (replayed answers keep what they cost when made)"
        }
        let figure = PriceText.throughput(basis.throughput)
        let origin: String
        switch basis.source {
        case .stated:
            origin = "\(figure), stated for production"
        case .measured:
            let over = basis.calls.map { " over \(PriceText.grouped($0)) answered call\($0 == 1 ? "" : "s")" } ?? ""
            let busy = basis.busySeconds.map { " in \(PriceText.number($0)) s of serving" } ?? ""
            origin = "\(figure), measured in this run\(over)\(busy) (retry waits, failed attempts, queueing and idle "
                + "time excluded; at another concurrency the deployment serves another throughput)"
        }
        let unit = HourlyPricing.microsPerUnit(price, at: basis.throughput)
        let rate = switch basis.throughput.unit {
        case .outputTokens: "\(PriceText.usd(Self.rounded(unit, places: 6))) per M output tokens"
        case .calls: "\(PriceText.usd(Self.rounded(unit / 1_000_000, places: 6))) per answered call"
        }
        return hourly + "; costed at \(origin): \(rate)"
    }

    private static func rounded(_ value: Decimal, places: Int) -> Decimal {
        var value = value, result = Decimal()
        NSDecimalRound(&result, &value, places, .plain)
        return result
    }

    /// The candidates' cost plus the judges', as one total with its parts.
    private func totalSpend() -> [Inline] {
        let judges = summary.grading.judgeCostMicros
        guard summary.totalSpendMicros != nil || judges != nil else { return [.text("unpriced")] }
        let total = Money.sum(summary.totalSpendMicros ?? 0, judges ?? 0)
        let unpriced = summary.unpricedModels.map { [Inline.data($0.modelID)] }
        var notes: [[Inline]] = [unpriced.isEmpty ? [.text("every call")]
                                 : [.text("priced models only; unpriced: ")] + .joined(unpriced, separator: ", ")]
        if let judges { notes.append([.text("judges: \(Money.format(micros: judges))")]) }
        return [.value(Quantity(.money, Double(total), display: Money.format(micros: total))), .text(" (")]
            + .joined(notes, separator: "; ") + [.text(")")]
    }

    private var method: [Block] {
        let settings = summary.settings
        let minimum = max(PairedComparison.minimumSharedCases, Statistics.minimumCasesForNonInferiority(margin: settings.margin))
        let lines = [
            "Quality intervals (95%): below \(settings.smallSampleLimit) cases, Wilson when every case scored 0 or 1, "
                + "else a percentile bootstrap over cases; from \(settings.smallSampleLimit) cases on, mean ± 1.96·SE "
                + "with the SE clustered by task (never below the plain SE).",
            "Paired differences: a percentile bootstrap over the cases both models answered (B = "
                + "\(Formatting.grouped(settings.bootstrap.replicates)), xoshiro256** seeded with \(settings.bootstrap.seed), "
                + "so the report is reproducible) on up to \(Formatting.grouped(settings.bootstrapCaseLimit)) cases, and when the "
                + "cases span several tasks a bootstrap resampling whole tasks too, keeping the wider interval; above "
                + "that, mean ± 1.96·SE clustered by task. A bootstrap costs B × n draws, so the limit is lowered "
                + "when a run would need more than \(Formatting.grouped(settings.bootstrapBudget)) in all: the largest "
                + "samples, where the two intervals agree, then use the normal one.",
            "Flips: exact McNemar test (binomial, two-sided) on the cases one model passed and the other failed; "
                + "Holm's correction across the models compared with the reference (per task: across the task's models).",
            "Non-inferiority at \(Formatting.margin(settings.margin)): the one-sided 95% lower bound of Δ above −δ, "
                + "on at least \(minimum) cases (with fewer, even no disagreement at all cannot bound the difference "
                + "within δ). Cases needed when inconclusive: n ≈ 7.84·Var(d)/(Δ + δ)² (α = 0.05, power 0.8) with the "
                + "observed Δ and Var(d), the variance inflated by clustering by task, and always more than the cases run.",
            "Too few shared cases: no verdict — non-inferior, worse, significantly better or worse, dominated — rests "
                + "on fewer than \(PairedComparison.minimumSharedCases) cases both models answered (a bootstrap of 3 cases "
                + "has 10 distinct resamples, and 3 losses of 3 would read as certain); such a pair is inconclusive, "
                + "with the cases needed: at least \(PairedComparison.minimumSharedCases) when Δ is below −δ, else at "
                + "least the non-inferiority minimum, more when the observed variance says so.",
            "Latency and cost per case cover answered calls; failed calls are counted as errors and their cost "
                + "(if any) is in the totals.",
        ]
        return [.section("Method"), .list(lines.map { ListItem([.text($0)]) })]
    }
}
