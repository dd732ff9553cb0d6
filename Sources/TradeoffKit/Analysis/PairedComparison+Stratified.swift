import Foundation

/// The paired comparison of volume-weighted means, tasks as strata.
extension PairedComparison {
    /// Compares the paired `sample` (a = candidate, b = reference) as volume-weighted means:
    /// Δ_w = Σ_t w_t (ā_t − b̄_t), the qualities Σ_t w_t ā_t and Σ_t w_t b̄_t, with w_t the task's
    /// scaled weight (`CaseWeights.perTask`, indexed by the sample's `clusters`).
    ///
    /// The stated weights fix the mix of tasks (they are production's, not a draw from it), so
    /// the tasks are strata rather than random clusters, and the interval is the stratified one
    /// the portfolio uses, applied to the paired differences:
    /// - up to `bootstrapCaseLimit` cases, the stratified percentile bootstrap
    ///   (`Bootstrap.stratified`): each task's cases resampled within the task, n_t of n_t, and
    ///   Δ_w, the ratio Σw ā / Σw b̄ recomputed per replicate; the two-sided interval is the
    ///   2.5–97.5th percentiles, the one-sided bounds the 5th and 95th;
    /// - above, the normal interval with SE(Δ_w)² = Σ_t w_t² s_t² / n_t, s_t² the sample
    ///   variance (n − 1) of d = a − b within task t (a task of one case takes the variance of d
    ///   over all cases, not 0), and for the ratio R the same SE of the residuals
    ///   (a − R·b) / Σw b̄ (the delta method).
    /// The verdict uses these bounds and the effective per-case variance n · SE² (for the cases
    /// needed); wins, losses and McNemar's p-value count cases unweighted, as a pass is a case's.
    ///
    /// - Parameters:
    ///   - weights: The sample's weights; when they do not weigh (`isWeighted` false) this is
    ///     the unweighted comparison.
    init(modelID: String, referenceID: String, sample: PairedSample, weights: CaseWeights, settings: AnalysisSettings) {
        self.init(modelID: modelID, referenceID: referenceID, sample: sample, settings: settings)
        guard let taskWeights = weights.perTask, cases > 0 else { return }
        let strata = Self.strata(sample, tasks: taskWeights.count)
        let present = strata.indices.filter { !strata[$0].isEmpty }
        let stratumWeights = present.map { taskWeights[$0] }
        let kept = present.map { strata[$0] }
        let qualityA = weights.mean(sample.a)
        let qualityB = weights.mean(sample.b)
        quality = qualityA
        referenceQuality = qualityB
        let difference = qualityA - qualityB
        self.difference = difference
        let ratio = qualityB > 0 ? qualityA / qualityB : nil
        relativeQuality = ratio
        (differenceInterval, differenceLowerBound, differenceUpperBound, relativeQualityInterval) = (nil, nil, nil, nil)

        let differences = zip(sample.a, sample.b).map { $0 - $1 }
        let pooled = Statistics.variance(differences) ?? 0
        func standardError(_ residual: ([Double]) -> Double) -> Double {
            zip(kept, stratumWeights).reduce(0) { total, pair in
                let values = pair.0.map(residual)
                let variance = values.count > 1 ? Statistics.variance(values) ?? 0 : pooled
                return total + pair.1 * pair.1 * variance / Double(values.count)
            }.squareRoot()
        }
        let error = standardError { $0[0] - $0[1] }
        if cases > 1 && cases <= settings.bootstrapCaseLimit {
            let replicates = settings.bootstrap.stratified(kept, weights: stratumWeights)
            let deltas = zip(replicates[0], replicates[1]).map { $0 - $1 }.sorted()
            if let range = deltas.percentileInterval() {
                differenceInterval = Interval(lower: range.lowerBound, upper: range.upperBound, method: .bootstrapStratified)
            }
            differenceLowerBound = Statistics.percentile(5, ofSorted: deltas)
            differenceUpperBound = Statistics.percentile(95, ofSorted: deltas)
            if ratio != nil, replicates[1].allSatisfy({ $0 > 0 }),
               let range = zip(replicates[0], replicates[1]).map({ $0 / $1 }).sorted().percentileInterval() {
                relativeQualityInterval = Interval(lower: range.lowerBound, upper: range.upperBound,
                                                   method: .bootstrapStratified)
            }
        } else if cases > 1 {
            differenceInterval = Interval(lower: difference - Statistics.z95 * error,
                                          upper: difference + Statistics.z95 * error, method: .normalStratified)
            differenceLowerBound = difference - Statistics.z95OneSided * error
            differenceUpperBound = difference + Statistics.z95OneSided * error
            if let ratio {
                let ratioError = standardError { ($0[0] - ratio * $0[1]) / qualityB }
                relativeQualityInterval = Interval(lower: ratio - Statistics.z95 * ratioError,
                                                   upper: ratio + Statistics.z95 * ratioError, method: .normalStratified)
            }
        }
        let effectiveVariance = max(pooled, Double(cases) * error * error)
        verdict = Self.verdict(cases: cases, difference: difference, lowerBound: differenceLowerBound,
                               upperBound: differenceUpperBound, variance: effectiveVariance, margin: settings.margin)
    }

    /// Per task (the sample's clusters, `0..<tasks`), per case, the pair [a, b].
    private static func strata(_ sample: PairedSample, tasks: Int) -> [[[Double]]] {
        var strata = [[[Double]]](repeating: [], count: tasks)
        for (index, task) in sample.clusters.enumerated() where task >= 0 && task < tasks {
            strata[task].append([sample.a[index], sample.b[index]])
        }
        return strata
    }
}
