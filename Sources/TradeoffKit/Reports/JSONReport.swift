import Foundation

/// The run's summary as JSON for machines: the numbers of the Markdown report, with a schema
/// version. Money is in micro-dollars (`*_micros`): totals in whole ones, costs per case, per
/// correct answer and per quality point to a millionth of one. Rates and qualities are
/// fractions, times are milliseconds, keys are snake_case and sorted, so the output is stable.
/// A key has one type wherever it appears (`quality` is always an estimate object); a value that
/// is unknown (an unpriced cost, the cost or quality of a model that answered nothing) is left out.
public struct JSONReport: Sendable {
    /// The version of the document's shape; bumped when a field changes meaning, type or goes
    /// away. 2: costs per case and per correct answer carry fractions of a micro-dollar; a
    /// frontier point's `quality` is an estimate object as everywhere else; `run.id` is
    /// `run.run_id` and a model's `reference` flag `is_reference` (`id` and `reference` are
    /// strings everywhere else).
    public static let schemaVersion = 2

    /// What the document shows.
    public var summary: RunSummary
    /// Gates and regressions checked, if any.
    public var checks: Checks?

    /// The document of `summary` (and `checks`).
    public init(_ summary: RunSummary, checks: Checks? = nil) {
        self.summary = summary
        self.checks = checks
    }

    /// The JSON text, pretty-printed with sorted keys, ending with a newline.
    public func render() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let data = (try? encoder.encode(document())) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    // MARK: Document

    struct Document: Encodable {
        var schemaVersion: Int
        var run: Run
        var settings: Settings
        var headline: String
        var reference: String?
        var recommendation: Recommendation?
        var models: [Model]
        var frontier: [FrontierPoint]
        var tasks: [Task]
        var routing: RoutingEntry
        var disagreements: [DisagreementEntry]
        var checks: ChecksEntry?
        /// Which prompt is best on which model; only for a run with `prompts:`.
        var promptVariants: PromptVariantsEntry?
    }

    struct Run: Encodable {
        var runId: Int64?
        var suite, suitePath, suiteHash, catalogPath, toolVersion, startedAt: String
        var finishedAt: String?
        var status: String
        var durationSeconds: Double?
        var cases, repeats, calls, errors: Int
        var totalSpendMicros, judgeSpendMicros: Int64?
        /// The quick slice the run made, if it is one.
        var slice: SliceEntry?
    }

    struct SliceEntry: Encodable {
        var description: String
        var onlyTasks: [String]?
        var limit, sample: Int?
        var seed: UInt64?
    }

    struct Settings: Encodable {
        var reference: String?
        var margin: Double
        var volumePerMonth: Int64?
        var bootstrapReplicates: Int
        var bootstrapSeed: UInt64
        var bootstrapGenerator = "xoshiro256** seeded by SplitMix64"
        var smallSampleLimit, bootstrapCaseLimit: Int
        var alpha: Double
    }

    struct Estimate: Encodable {
        var value: Double
        var lower, upper: Double?
        var method: String?

        init?(_ value: Double?, _ interval: Interval?) {
            guard let value else { return nil }
            self.value = value
            lower = interval?.lower
            upper = interval?.upper
            method = interval?.method.rawValue
        }
    }

    struct Cost: Encodable {
        var totalMicros, perThousandCasesMicros, monthlyMicros: Int64?
        var perCaseMicros, perCorrectMicros: Decimal?
    }

    struct Comparison: Encodable {
        var reference: String
        var cases: Int
        var difference: Estimate?
        var differenceLowerBound, differenceUpperBound: Double?
        var relativeQuality: Estimate?
        var relativeCost: Double?
        var flipsWon, flipsLost: Int
        var mcnemarP, mcnemarPHolm: Double
        var margin: Double
        var nonInferiority: String
        var casesNeeded: Int?

        init(_ comparison: PairedComparison, relativeCost: Double?) {
            reference = comparison.referenceID
            cases = comparison.cases
            difference = Estimate(comparison.difference, comparison.differenceInterval)
            differenceLowerBound = comparison.differenceLowerBound
            differenceUpperBound = comparison.differenceUpperBound
            relativeQuality = Estimate(comparison.relativeQuality, comparison.relativeQualityInterval)
            self.relativeCost = relativeCost
            flipsWon = comparison.wins
            flipsLost = comparison.losses
            mcnemarP = comparison.pValue
            mcnemarPHolm = comparison.adjustedPValue
            margin = comparison.margin
            nonInferiority = comparison.verdict.label
            casesNeeded = comparison.verdict.casesNeeded
        }
    }

    /// `stated` or `measured`; `unit` `output_tokens_per_second` or `calls_per_second`; decimals as
    /// text, as prices are.
    struct HourlyThroughput: Encodable {
        var source, unit, perSecond: String
        var concurrency: String?
        var answeredCalls: Int?
        var busySeconds: String?

        init(_ basis: HourlyPricing.Basis) {
            source = basis.source.rawValue
            unit = basis.throughput.unit.rawValue
            perSecond = "\(basis.throughput.perSecond)"
            concurrency = basis.throughput.concurrency.map { "\($0)" }
            answeredCalls = basis.calls
            busySeconds = basis.busySeconds.map { "\($0)" }
        }
    }

    struct Model: Encodable {
        var id, model, `class`: String
        /// For an arm of a run with prompt variants (`id` is `gpt-4o · terse`): the catalog
        /// model's id and the variant.
        var modelId, promptVariant: String?
        var simulated, priced, isReference: Bool
        var priceInputPerMillion, priceOutputPerMillion, pricePerHour: String?
        /// For a model priced by the hour, the throughput its calls were costed at.
        var hourlyThroughput: HourlyThroughput?
        var priceProvenance: String
        var calls, answered, errors, notStarted, cases: Int
        var errorRate: Double?
        var quality, passRate: Estimate?
        var cost: Cost
        var latencyMs, ttftMs: Percentiles?
        var outputTokensPerSecondP50: Double?
        var inputTokens, cachedInputTokens, outputTokens: Int
        var errorsByClass: [ErrorEntry]
        var comparison: Comparison?
        /// Present when calls went through a batch API or fell back from one.
        var batch: BatchEntry?
    }

    /// A model's calls in batch mode: how many went through a batch, and how the requests that
    /// expired or failed in their batch were retried.
    struct BatchEntry: Encodable {
        var calls: Int
        var retriedInBatch: Int
        var retriedAsOrdinaryCalls: Int
        /// The batched calls' cost, the same usage at the ordinary prices, and the difference;
        /// absent when the model is not priced by token.
        var costAtBatchPricesMicros: Int64?
        var costAtOrdinaryPricesMicros: Int64?
        var savedMicros: Int64?
    }

    struct ErrorEntry: Encodable {
        var errorClass: String
        var count: Int
        var exampleMessage: String
    }

    struct FrontierPoint: Encodable {
        var model: String
        var costPerCaseMicros: Decimal?
        var quality: Estimate?
        var onFrontier: Bool
        var incrementalCostPerQualityPointMicros: Decimal?
        var dominatedBy: String?
        var dominanceSignificant: Bool?
    }

    struct Task: Encodable {
        var id: String
        var cases: Int
        var recommendation: Recommendation?
        var models: [TaskModel]
        /// The models that ran the task with their own wording (`overrides:`).
        var ownWording: [String]?
    }

    struct TaskModel: Encodable {
        var model: String
        var cases, calls, answered, errors: Int
        var quality, passRate: Estimate?
        var costTotalMicros: Int64?
        var costPerCaseMicros: Decimal?
        var comparison: Comparison?
    }

    struct DisagreementEntry: Encodable {
        var task, `case`: String
        var spread: Double
        var answers: [AnswerEntry]
    }

    struct AnswerEntry: Encodable {
        var model: String
        var score: Double?
        var output: String?
        var errorClass: String?
    }

    struct ChecksEntry: Encodable {
        var failed: Bool
        var gates: [GateEntry]
        var baselineRunId: Int64?
        var regressions: [String]
        var failOnRegression: Bool
    }

    struct GateEntry: Encodable {
        var gate: String
        var model: String?
        var value: Double?
        var passed: Bool
        var missingReason: String?
    }

    /// `value` to six decimals, exactly as written (a ratio computed in floating point).
    static func millionths(_ value: Double) -> Decimal? {
        value.isFinite ? Decimal(string: String(format: "%.6f", value)) : nil
    }

    func document() -> Document {
        let run = summary.run
        let settings = summary.settings
        let reference = summary.reference
        func relativeCost(_ cost: Double?) -> Double? {
            guard let cost, let referenceCost = reference?.exactCostPerCase, referenceCost > 0 else { return nil }
            return cost / referenceCost
        }
        let variants = run.context?.variants ?? []
        func arm(_ id: String) -> PromptArm? { PromptArm(label: id, variants: variants) }
        let models = summary.models.map { model in
            Model(id: model.modelID, model: model.model, class: model.modelClass.rawValue,
                  modelId: arm(model.modelID)?.modelID, promptVariant: arm(model.modelID)?.variant,
                  simulated: model.simulated,
                  priced: model.priced, isReference: model.modelID == summary.referenceID,
                  priceInputPerMillion: model.prices?.input, priceOutputPerMillion: model.prices?.output,
                  pricePerHour: model.pricePerHour, hourlyThroughput: model.hourlyBasis.map(HourlyThroughput.init),
                  priceProvenance: model.priceProvenance,
                  calls: model.calls, answered: model.answered, errors: model.errors, notStarted: model.notStarted,
                  cases: model.cases,
                  errorRate: model.errorRate, quality: Estimate(model.quality, model.qualityInterval),
                  passRate: Estimate(model.passRate, model.passRateInterval),
                  cost: Cost(totalMicros: model.shownTotalCostMicros, perThousandCasesMicros: model.costPer1kCasesMicros,
                             monthlyMicros: summary.monthlyCostMicros(of: model.modelID),
                             perCaseMicros: model.preciseCostPerCaseMicros,
                             perCorrectMicros: model.preciseCostPerCorrectMicros),
                  latencyMs: model.latency, ttftMs: model.timeToFirstToken,
                  outputTokensPerSecondP50: model.medianOutputTokensPerSecond, inputTokens: model.inputTokens,
                  cachedInputTokens: model.cachedInputTokens, outputTokens: model.outputTokens,
                  errorsByClass: model.errorGroups.map {
                      ErrorEntry(errorClass: $0.errorClass.rawValue, count: $0.count, exampleMessage: $0.exampleMessage)
                  },
                  comparison: summary.comparison(for: model.modelID).map {
                      Comparison($0, relativeCost: relativeCost(model.exactCostPerCase))
                  },
                  batch: model.batched + model.batchFallback == 0 ? nil
                      : BatchEntry(calls: model.batched, retriedInBatch: model.batchRetried,
                                   retriedAsOrdinaryCalls: model.batchFallback,
                                   costAtBatchPricesMicros: model.batchSavings?.atBatchPricesMicros,
                                   costAtOrdinaryPricesMicros: model.batchSavings?.atOrdinaryPricesMicros,
                                   savedMicros: model.batchSavings?.savedMicros))
        }
        let modelsByID = Dictionary(summary.models.map { ($0.modelID, $0) }, uniquingKeysWith: { first, _ in first })
        let frontier = summary.frontier.points.map { point in
            let model = modelsByID[point.modelID]
            return FrontierPoint(model: point.modelID, costPerCaseMicros: model?.preciseCostPerCaseMicros,
                          quality: Estimate(point.quality, model?.qualityInterval),
                          onFrontier: point.onFrontier,
                          incrementalCostPerQualityPointMicros: point.incrementalCostPerPointMicros.flatMap(Self.millionths),
                          dominatedBy: point.dominatedBy,
                          dominanceSignificant: point.onFrontier ? nil : point.dominanceIsSignificant)
        }
        let ownWording = Dictionary((run.context?.tasks ?? []).map { ($0.id, $0.ownWording) }) { first, _ in first }
        let tasks = summary.tasks.map { task in
            let referenceCost = summary.referenceID.flatMap { task.perModel[$0]?.exactCostPerCase }
            return Task(id: task.taskID, cases: task.caseCount, recommendation: task.recommendation,
                        models: summary.models.compactMap { model in
                            guard let result = task.perModel[model.modelID] else { return nil }
                            var relative: Double?
                            if let cost = result.exactCostPerCase, let referenceCost, referenceCost > 0 {
                                relative = cost / referenceCost
                            }
                            return TaskModel(model: model.modelID, cases: result.cases, calls: result.calls,
                                             answered: result.answered, errors: result.errors,
                                             quality: Estimate(result.quality, result.qualityInterval),
                                             passRate: Estimate(result.passRate, result.passRateInterval),
                                             costTotalMicros: result.shownTotalCostMicros,
                                             costPerCaseMicros: result.preciseCostPerCaseMicros,
                                             comparison: result.comparison.map { Comparison($0, relativeCost: relative) })
                        }, ownWording: ownWording[task.taskID] ?? nil)
        }
        let disagreements = summary.disagreements.map { disagreement in
            DisagreementEntry(task: disagreement.taskID, case: disagreement.caseID, spread: disagreement.spread,
                              answers: summary.models.compactMap { model in
                                  guard let answer = disagreement.answers[model.modelID] else { return nil }
                                  return AnswerEntry(model: model.modelID, score: answer.score, output: answer.output,
                                                     errorClass: answer.errorClass?.rawValue)
                              })
        }
        let checks = self.checks.map { checks in
            ChecksEntry(failed: checks.failed,
                        gates: checks.gateResults.map {
                            GateEntry(gate: $0.gate.text, model: $0.modelID, value: $0.value, passed: $0.passed,
                                      missingReason: $0.missingReason)
                        },
                        baselineRunId: checks.baseline?.baseline.run.id,
                        regressions: checks.baseline?.regressions.map(\.modelID) ?? [],
                        failOnRegression: checks.failOnRegression)
        }
        return Document(
            schemaVersion: Self.schemaVersion,
            run: Run(runId: run.id, suite: run.suite, suitePath: run.suitePath, suiteHash: run.suiteHash,
                     catalogPath: run.catalogPath, toolVersion: run.toolVersion,
                     startedAt: Formatting.timestamp(run.startedAt), finishedAt: run.finishedAt.map(Formatting.timestamp),
                     status: run.status.rawValue, durationSeconds: summary.duration, cases: summary.caseCount,
                     repeats: summary.repeats, calls: summary.callCount, errors: summary.errorCount,
                     totalSpendMicros: summary.totalSpendMicros,
                     judgeSpendMicros: summary.grading.judgeCostMicros,
                     slice: run.context?.slice.map {
                         SliceEntry(description: $0.description, onlyTasks: $0.onlyTasks, limit: $0.limit, sample: $0.sample,
                                    seed: $0.seed)
                     }),
            settings: Settings(reference: settings.reference, margin: settings.margin,
                               volumePerMonth: settings.volume?.casesPerMonth,
                               bootstrapReplicates: settings.bootstrap.replicates, bootstrapSeed: settings.bootstrap.seed,
                               smallSampleLimit: settings.smallSampleLimit,
                               bootstrapCaseLimit: settings.bootstrapCaseLimit, alpha: AnalysisSettings.alpha),
            headline: Headline.text(summary), reference: summary.referenceID, recommendation: summary.recommendation,
            models: models, frontier: frontier, tasks: tasks,
            routing: Self.routing(summary), disagreements: disagreements, checks: checks,
            promptVariants: Self.promptVariants(summary.promptVariants))
    }
}
