/// Which interval the analysis uses for a sample, by its size and kind.
extension AnalysisSettings {
    /// The 95% interval of the mean of `sample` (case scores or pass fractions, in 0...1).
    ///
    /// Below `smallSampleLimit` cases: Wilson when every value is 0 or 1, else the percentile
    /// bootstrap. From it on: mean ± 1.96·SE, the SE clustered by task when the sample spans
    /// two tasks or more. Nil for an empty sample, and for one score (nothing to resample).
    func meanInterval(_ sample: CaseSample) -> Interval? {
        let n = sample.values.count
        guard n > 0 else { return nil }
        if n < smallSampleLimit {
            if sample.isBinary {
                let successes = sample.values.reduce(0) { $0 + Int($1) }
                guard let range = Statistics.wilson(successes: successes, trials: n) else { return nil }
                return Interval(lower: range.lowerBound, upper: range.upperBound, method: .wilson)
            }
            guard n > 1, let range = bootstrap.means(sample.values).percentileInterval() else { return nil }
            return Interval(lower: range.lowerBound, upper: range.upperBound, method: .bootstrap)
        }
        guard let mean = Statistics.mean(sample.values) else { return nil }
        let (standardError, method) = self.standardError(sample.values, clusters: sample.clusters)
        return Interval(lower: max(0, mean - Statistics.z95 * standardError),
                        upper: min(1, mean + Statistics.z95 * standardError), method: method)
    }

    /// The standard error of the mean of `values`: clustered by `clusters` when there are two
    /// clusters or more, else the plain one.
    ///
    /// The clustered SE is never taken below the plain one: with a handful of tasks it is itself
    /// a noisy estimate (k clusters give it about k − 1 degrees of freedom) and can come out
    /// smaller by chance, which would overstate precision.
    func standardError(_ values: [Double], clusters: [Int]) -> (value: Double, method: IntervalMethod) {
        let plain = Statistics.standardError(values) ?? 0
        guard Set(clusters).count >= 2,
              let clustered = Statistics.clusteredStandardError(values, clusters: clusters) else { return (plain, .normal) }
        return (max(plain, clustered), .normalClustered)
    }
}
