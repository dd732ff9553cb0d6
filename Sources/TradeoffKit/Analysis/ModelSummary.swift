import Foundation

/// One model's results over a run: quality with its interval, pass and error rates, cost, latency.
///
/// Quality and pass rate average each case's repeats first, then the cases the model answered;
/// calls that produced no answer are counted as errors, not dropped and not scored 0.
public struct ModelSummary: Sendable, Hashable {
    /// Tradeoff's id for the model (the catalog id).
    public var modelID: String
    /// The provider's name for the model.
    public var model: String
    /// Open-weight or frontier.
    public var modelClass: ModelClass
    /// Served by Tradeoff's fake provider: its results illustrate the tool only.
    public var simulated: Bool
    /// Whether the run had prices for the model; when not, its cost is unknown.
    public var priced: Bool
    /// The prices used, USD per million tokens (input, output), as recorded; nil when not priced by token.
    public var prices: (input: String, output: String)? {
        guard let input = priceInput, let output = priceOutput else { return nil }
        return (input, output)
    }
    var priceInput: String?
    var priceOutput: String?
    /// USD per replica-hour, for a model priced by the hour; nil otherwise.
    public var pricePerHour: String?
    /// Where the prices came from and when they were right (`openai/gpt-4o, as of 2026-11-25, ...`),
    /// or `unpriced`.
    public var priceProvenance: String
    /// Calls made (answered and failed).
    public var calls: Int
    /// Calls that produced an answer.
    public var answered: Int
    /// Calls that produced no answer.
    public var errors: Int
    /// Answered calls that passed their case's threshold.
    public var passed: Int
    /// Cases with at least one answered call.
    public var cases: Int
    /// Mean case score (repeats averaged first); nil when nothing was answered.
    public var quality: Double?
    /// The 95% interval of `quality`.
    public var qualityInterval: Interval?
    /// Mean over cases of the fraction of repeats that passed; nil when nothing was answered.
    public var passRate: Double?
    /// The 95% interval of `passRate`.
    public var passRateInterval: Interval?
    /// Calls the run planned for the model that were never started: the run was interrupted,
    /// stopped by its budget or is still running, or the model was stopped. Not answered, like errors.
    public var notStarted = 0
    /// Calls the run planned for the model: made or not.
    public var planned: Int { calls + notStarted }
    /// `errors / calls`; nil when no call was made.
    public var errorRate: Double? { calls > 0 ? Double(errors) / Double(calls) : nil }
    /// The model's own cost over all its calls, micro-dollars; nil when unpriced.
    public var totalCostMicros: Int64?
    /// Cost per answered call (one case answered once), rounded half up; nil when unpriced or
    /// nothing was answered.
    public var costPerCaseMicros: Int64?
    /// Cost per 1,000 answered calls.
    public var costPer1kCasesMicros: Int64?
    /// Total cost / passed calls; nil when unpriced or nothing passed.
    public var costPerCorrectMicros: Int64?
    /// Total time of the calls, milliseconds.
    public var latency: Percentiles?
    /// Time to first token of streamed calls, milliseconds.
    public var timeToFirstToken: Percentiles?
    /// Median output tokens per second of streamed calls.
    public var medianOutputTokensPerSecond: Double?
    /// Input tokens over all calls, cached ones included.
    public var inputTokens: Int
    /// The cached part of `inputTokens`.
    public var cachedInputTokens: Int
    /// Output tokens over all calls.
    public var outputTokens: Int
    /// The prices recorded with the run; nil when unpriced.
    public var pricing: Pricing?
    /// For a model priced by the hour: the throughput its calls were costed at, and where it came from.
    public var hourlyBasis: HourlyPricing.Basis?
    /// Which parts of `pricing` the calls were billed at.
    public var pricedParts: PricedParts
    /// The failed calls by class, the most frequent first.
    public var errorGroups: [ErrorGroup]
    /// Answers replayed from the response cache: in quality and cost, not in latency.
    public var replayed: Int
    /// Calls made through a provider's batch API: at batch prices, not in latency.
    public var batched = 0
    /// Of them, sent in more than one batch (their requests expired or failed first).
    public var batchRetried = 0
    /// Calls made as ordinary calls after their requests expired or failed in a batch (`--batch-fallback`).
    public var batchFallback = 0
    /// What the batched calls cost, and what the same usage costs at the ordinary prices; nil
    /// when no call was batched or the model is not priced by token.
    public var batchSavings: BatchSavings?
    /// Calls whose reported usage could not be true of the request: priced from estimated tokens.
    public var untrustedUsage: Int
    /// Answers that were empty or only white space: scored, but nothing was said.
    public var emptyAnswers: Int
    /// Answers cut at `max_tokens` (finish reason `length`).
    public var truncatedAnswers: Int
    /// Answers the provider refused or filtered (finish reason `content_filter`).
    public var filteredAnswers: Int
    /// Calls whose tokens, and so cost, were estimated (no usage reported, or usage not trusted).
    public var estimatedUsage: Int

    init(record: RunModelRecord, tally: CallTally, scores: CaseSample, passes: CaseSample, errorGroups: [ErrorGroup],
         settings: AnalysisSettings) {
        modelID = record.modelId
        model = record.model
        modelClass = record.modelClass
        simulated = record.simulated
        priced = record.isPriced
        priceInput = record.priceInput
        priceOutput = record.priceOutput
        pricePerHour = record.pricePerHour
        priceProvenance = record.priceProvenance
        calls = tally.calls
        answered = tally.answered
        errors = tally.errors
        passed = tally.passed
        cases = scores.values.count
        quality = Statistics.mean(scores.values)
        qualityInterval = settings.meanInterval(scores)
        passRate = Statistics.mean(passes.values)
        passRateInterval = settings.meanInterval(passes)
        totalCostMicros = priced ? tally.costMicros : nil
        if let total = totalCostMicros {
            let answered = Int64(tally.answered)
            costPerCaseMicros = CostMath.roundedQuotient(total, answered)
            costPer1kCasesMicros = CostMath.scaledQuotient(total, times: 1000, over: answered)
            costPerCorrectMicros = CostMath.roundedQuotient(total, Int64(tally.passed))
        }
        latency = Percentiles(tally.latencies)
        timeToFirstToken = Percentiles(tally.timesToFirstToken)
        // By selection, not a sort of every answer's speed (1.5% of a 1M-call report's CPU).
        var speeds = tally.outputSpeeds.filter { !$0.isNaN }
        medianOutputTokensPerSecond = Statistics.percentiles([50], selectingIn: &speeds)?[0]
        inputTokens = tally.inputTokens
        cachedInputTokens = tally.cachedInputTokens
        outputTokens = tally.outputTokens
        pricing = record.pricing
        hourlyBasis = record.hourlyBasis
        pricedParts = PricedParts(cacheReadTokens: tally.cachedInputTokens,
                                  cacheWrite5mTokens: tally.cacheWriteTokens - tally.cacheWrite1hTokens,
                                  cacheWrite1hTokens: tally.cacheWrite1hTokens,
                                  tierCalls: Dictionary(zip(tally.tierThresholds, tally.tierCalls).filter { $0.1 > 0 },
                                                        uniquingKeysWith: +))
        self.errorGroups = errorGroups
        replayed = tally.replayed
        batched = tally.batched
        batchRetried = tally.batchRetried
        batchFallback = tally.batchFallback
        if tally.batched > 0, record.isPriced, tally.price != nil {
            batchSavings = BatchSavings(atBatchPricesMicros: tally.batchCostMicros,
                                        atOrdinaryPricesMicros: tally.batchOrdinaryCostMicros)
        }
        untrustedUsage = tally.untrustedUsage
        emptyAnswers = tally.emptyAnswers
        truncatedAnswers = tally.truncated
        filteredAnswers = tally.filtered
        estimatedUsage = tally.estimatedUsage
    }

    /// Cost per answered call in micro-dollars to a millionth of one (for exports: a case of a
    /// cheap model costs a few micro-dollars, which whole ones would round by up to 20%).
    public var preciseCostPerCaseMicros: Decimal? {
        totalCostMicros.flatMap { CostMath.preciseQuotient($0, Int64(answered)) }
    }

    /// Total cost / passed calls in micro-dollars to a millionth of one.
    public var preciseCostPerCorrectMicros: Decimal? {
        totalCostMicros.flatMap { CostMath.preciseQuotient($0, Int64(passed)) }
    }

    /// Whether the model answered nothing and spent nothing (stopped for a bad key, or never
    /// started): it has no cost to show, not a cost of $0.
    public var answeredNothing: Bool { answered == 0 && (totalCostMicros ?? 0) == 0 }

    /// `totalCostMicros`, or nil when the model answered nothing (`answeredNothing`), as reports show it.
    public var shownTotalCostMicros: Int64? { answeredNothing ? nil : totalCostMicros }

    /// Cost per case as a ratio of micro-dollars (unrounded), for ordering and ratios.
    var exactCostPerCase: Double? {
        guard let total = totalCostMicros, answered > 0 else { return nil }
        return Double(total) / Double(answered)
    }
}

/// The failed calls of one model that share an error class.
public struct ErrorGroup: Sendable, Hashable, Codable {
    /// The class of failure.
    public var errorClass: CallError.Kind
    /// How many calls failed this way.
    public var count: Int
    /// The message of the first such call, as an example.
    public var exampleMessage: String

    /// Groups the failed calls among `calls` by class: the most frequent first, ties by name.
    static func groups(of calls: [ReportCall]) -> [ErrorGroup] {
        var groups: [CallError.Kind: ErrorGroup] = [:]
        for call in calls {
            guard let kind = call.errorClass else { continue }
            if groups[kind] == nil {
                groups[kind] = ErrorGroup(errorClass: kind, count: 0, exampleMessage: call.errorMessage ?? "")
            }
            groups[kind]?.count += 1
        }
        return groups.values.sorted {
            $0.count != $1.count ? $0.count > $1.count : $0.errorClass.rawValue < $1.errorClass.rawValue
        }
    }
}
