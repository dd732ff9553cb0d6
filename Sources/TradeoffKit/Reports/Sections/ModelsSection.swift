import Foundation

/// The "Models" and "Cost and latency" sections: each model's quality and pass rate with their
/// intervals, then what it cost and how fast it answered.
struct ModelsSection: Sendable {
    /// The run shown.
    var summary: RunSummary

    /// The model sections of `summary`.
    init(_ summary: RunSummary) {
        self.summary = summary
    }

    /// Both sections.
    var blocks: [Block] { quality + cost }

    private var quality: [Block] {
        let rows = summary.models.map { model -> [Cell] in
            var name: [Inline] = [.data(model.modelID)]
            if model.modelID == summary.referenceID { name.append(.text(" (reference)")) }
            return [
                Cell(name), .text(model.modelClass.rawValue), .count(model.cases),
                .number(model.quality, Formatting.quality(model.quality, model.qualityInterval)),
                .percent(model.passRate, Formatting.percent(model.passRate, model.passRateInterval)),
                Self.notAnswered(model),
            ]
        }
        let table = Table([.text("Model", .leading), .text("Class", .leading), .text("Cases", .trailing),
                           .text("Quality (95% CI)", .trailing), .text("Pass rate (95% CI)", .trailing),
                           .text("Errors", .trailing)], rows)
        let methods = Set(summary.models.flatMap { [$0.qualityInterval?.method, $0.passRateInterval?.method] }
            .compactMap { $0 })
        var legend = "Quality is the mean case score (0–1) over the cases a model answered"
        if summary.repeats > 1 { legend += ", each case's \(summary.repeats) repeats averaged first" }
        legend += "; calls that failed are counted under Errors, not scored."
        if !methods.isEmpty {
            legend += " Intervals: " + IntervalMethod.allCases.filter(methods.contains).map(\.label).joined(separator: ", ")
                + " (see Method)."
        }
        return [.section("Models"), .table(table)] + doubts + [.paragraph([.text(legend)])]
    }

    /// `**Read with care:** `m`: 25 of 40 answers empty, 15 cut at max_tokens, tokens estimated
    /// on 40 of 40 calls, so its cost is an estimate too.` — what makes a score
    /// or a cost less than it seems, per model, only when there is something to say.
    private var doubts: [Block] {
        let lines = summary.models.compactMap { model -> [Inline]? in
            var answers: [String] = []
            if model.emptyAnswers > 0 { answers.append("\(model.emptyAnswers) of \(model.answered) answers empty") }
            if model.truncatedAnswers > 0 { answers.append("\(model.truncatedAnswers) cut at max_tokens") }
            if model.filteredAnswers > 0 { answers.append("\(model.filteredAnswers) refused or filtered") }
            var text = answers.joined(separator: ", ")
            if model.estimatedUsage > 0 {
                text += (text.isEmpty ? "" : ", ") + "tokens estimated on \(model.estimatedUsage) of "
                    + "\(Formatting.count(model.calls, "call")), so its cost is an estimate too"
            }
            return text.isEmpty ? nil : [.data(model.modelID), .text(": " + text)]
        }
        guard !lines.isEmpty else { return [] }
        return [.paragraph([.strong([.text("Read with care:")]), .text(" ")] + .joined(lines, separator: "; ") + [.text(".")])]
    }

    private var cost: [Block] {
        let rows = summary.models.map { model -> [Cell] in
            let speed = model.medianOutputTokensPerSecond.map { Cell.number($0, String(format: "%.0f", $0)) } ?? .none
            // A model that answered nothing (stopped: a bad key) has no cost to show, not a cost of $0.
            let money = !model.priced ? Array(repeating: Cell.text("unpriced"), count: 4)
                : model.answeredNothing ? Array(repeating: Cell.none, count: 4)
                : [model.totalCostMicros, model.costPerCaseMicros, model.costPer1kCasesMicros, model.costPerCorrectMicros]
                    .map { micros in Cell.money(micros.map { Double($0) }, Formatting.money(micros)) }
            return [.data(model.modelID)] + money + [Self.percentiles(model.latency), Self.percentiles(model.timeToFirstToken), speed]
        }
        let table = Table([.text("Model", .leading), .text("Cost total", .trailing), .text("Cost / case", .trailing),
                           .text("Cost / 1k cases", .trailing), .text("Cost / correct", .trailing),
                           .text("Latency p50 / p90 / p99", .trailing), .text("TTFT p50 / p90 / p99", .trailing),
                           .text("Output tok/s", .trailing)], rows)
        var legend = "Cost per case is the model's own cost per answered call; per correct answer, the total over the "
            + "calls that passed. Latency is the total time of answered calls; time to first token (TTFT) and "
            + "output speed are measured on streamed calls only; output tok/s counts the answer's streamed tokens "
            + "(reasoning tokens left out) from its first token to its last chunk."
        let replayed = summary.models.reduce(0) { $0 + $1.replayed }
        if replayed > 0 {
            legend += " \(Formatting.grouped(replayed)) answers were replayed from the response cache: they count at "
                + "what they cost when they were made (this run spent nothing on them) and are left out of latency."
        }
        let batched = summary.models.reduce(0) { $0 + $1.batched }
        if batched > 0 {
            legend += " \(Formatting.grouped(batched)) calls went through the providers' batch APIs: they cost the batch "
                + "prices (half the price unless the catalog gives batch prices) and are left out of latency (their time "
                + "is the provider's queue)."
            if let savings = BatchSavings.total(summary.models.map(\.batchSavings)) {
                legend += " Batch saved \(Money.exact(micros: savings.savedMicros)): "
                    + "\(Money.exact(micros: savings.atBatchPricesMicros)) at batch prices vs "
                    + "\(Money.exact(micros: savings.atOrdinaryPricesMicros)) ordinary (the same calls' usage at the usual prices)."
            }
        }
        let retried = summary.models.reduce(0) { $0 + $1.batchRetried }
        let fellBack = summary.models.reduce(0) { $0 + $1.batchFallback }
        if retried > 0 || fellBack > 0 {
            legend += " Requests that expired or failed in their batch were retried: "
                + "\(Formatting.count(retried, "call")) in a new batch, "
                + "\(Formatting.count(fellBack, "call")) as ordinary calls (--batch-fallback, at the usual price)."
        }
        var blocks: [Block] = [.section("Cost and latency"), .table(table), .paragraph([.text(legend)])]
        let untrusted = summary.models.filter { $0.untrustedUsage > 0 }
        if !untrusted.isEmpty {
            let counts = untrusted.map { [Inline.data($0.modelID), .text(" (\(Formatting.count($0.untrustedUsage, "call")))")] }
            let explanation = " reported usage that could not be true of the request (below zero, more output than "
                + "max_tokens allows, more input than the prompt could make, or unreadable). Their answers and grades are "
                + "kept; their cost is estimated from the prompt and the answer (about 4 characters a token), and "
            let heading: [Inline] = [.strong([.text("Usage not trusted:")]), .text(" ")]
            blocks.append(.paragraph(heading + .joined(counts, separator: ", ")
                + [.text(explanation), .code("usage_untrusted"), .text(" in the database says why.")]))
        }
        return blocks
    }

    /// `3 (4.5%)`; with calls never started, which are not answered either, `128 (85.3%), 125 not started`.
    private static func notAnswered(_ model: ModelSummary) -> Cell {
        guard model.notStarted > 0 else {
            return .number(Double(model.errors), model.errorRate.map { "\(model.errors) (\(Formatting.percent($0)))" } ?? "0")
        }
        let missing = model.errors + model.notStarted
        return .number(Double(missing), "\(missing) (\(Formatting.percent(Double(missing) / Double(model.planned)))), "
                       + "\(model.notStarted) not started")
    }

    /// `60 ms / 80 ms / 95 ms`, three durations in one cell.
    private static func percentiles(_ percentiles: Percentiles?) -> Cell {
        guard let percentiles else { return .none }
        let values = [percentiles.p50, percentiles.p90, percentiles.p99].map {
            [Inline.value(Quantity(.duration, $0, display: Formatting.milliseconds($0)))]
        }
        return Cell(.joined(values, separator: " / "))
    }
}
