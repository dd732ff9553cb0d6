import Foundation

/// Per task: the samples of one task and its summary, computed one task at a time (in parallel
/// across tasks) so that a big run never holds every task's samples at once.
extension RunSummary {
    /// One task's samples: per model its case scores and pass fractions, and against the reference.
    struct TaskSamples: Sendable {
        var scores: [CaseSample]
        var passes: [CaseSample]
        /// Per model (the reference's is empty), paired with the reference.
        var pairs: [PairedSample]

        init(table: CaseTable, cases: [Int], models: Int, reference: Int?) {
            scores = (0..<models).map { table.sample(table.scores[$0], over: cases) }
            passes = (0..<models).map { table.sample(table.passes[$0], over: cases) }
            pairs = (0..<models).map { model in
                guard let reference, model != reference else { return PairedSample() }
                return table.paired(model, reference, over: cases)
            }
        }
    }

    static func taskSummary(taskID: String, caseCount: Int, samples: TaskSamples, models: [RunModelRecord],
                                    tallies: [CallTally], reference: Int?, settings: AnalysisSettings) -> TaskSummary {
        var results: [TaskSummary.ModelResult] = models.indices.map { model in
            let tally = tallies[model]
            let (scores, passes) = (samples.scores[model], samples.passes[model])
            let total: Int64? = models[model].isPriced ? tally.costMicros : nil
            return TaskSummary.ModelResult(
                calls: tally.calls, answered: tally.answered, errors: tally.errors, cases: scores.values.count,
                quality: Statistics.mean(scores.values), qualityInterval: settings.meanInterval(scores),
                passRate: Statistics.mean(passes.values), passRateInterval: settings.meanInterval(passes),
                totalCostMicros: total, costPerCaseMicros: total.flatMap { CostMath.roundedQuotient($0, Int64(tally.answered)) },
                comparison: nil, callTimeMs: tally.callTimeMs)
        }
        var recommendation: Recommendation?
        if let reference {
            let others = models.indices.filter { $0 != reference }
            let comparisons = others.map { model in
                PairedComparison(modelID: models[model].modelId, referenceID: models[reference].modelId,
                                 sample: samples.pairs[model], settings: settings)
            }.holmAdjusted()
            for (model, comparison) in zip(others, comparisons) { results[model].comparison = comparison }
            let options = models.indices.map { model in
                Recommendation.Option(modelID: models[model].modelId, costPerCase: results[model].exactCostPerCase,
                                      quality: results[model].quality, comparison: results[model].comparison)
            }
            recommendation = Recommendation.choose(referenceID: models[reference].modelId, reference: options[reference],
                                                   candidates: others.map { options[$0] })
        }
        var perModel: [String: TaskSummary.ModelResult] = [:]
        for (model, result) in zip(models, results) where perModel[model.modelId] == nil { perModel[model.modelId] = result }
        return TaskSummary(taskID: taskID, caseCount: caseCount, perModel: perModel, recommendation: recommendation)
    }
}
