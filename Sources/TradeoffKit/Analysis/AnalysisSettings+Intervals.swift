/// Which interval the analysis uses for a sample, by its size and kind.
extension AnalysisSettings {
    /// The 95% interval of the mean of `sample` (case scores or pass fractions, in 0...1).
    ///
    /// Below `smallSampleLimit` cases: Wilson when every value is 0 or 1, else the percentile
    /// bootstrap (when within `bootstrapCaseLimit`). Otherwise mean ± 1.96·SE, the SE clustered by
    /// task when the sample spans two tasks or more. Nil for an empty sample, and for one score
    /// (nothing to resample).
    func meanInterval(_ sample: CaseSample) -> Interval? {
        let n = sample.values.count
        guard n > 0 else { return nil }
        if n < smallSampleLimit {
            if sample.isBinary {
                let successes = sample.values.reduce(0) { $0 + Int($1) }
                guard let range = Statistics.wilson(successes: successes, trials: n) else { return nil }
                return Interval(lower: range.lowerBound, upper: range.upperBound, method: .wilson)
            }
            guard n > 1 else { return nil }
            if n <= bootstrapCaseLimit, let range = bootstrap.means(sample.values).percentileInterval() {
                return Interval(lower: range.lowerBound, upper: range.upperBound, method: .bootstrap)
            }
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
        // Two clusters or more: one that differs from the first (a Set of 200,000 tasks was 1.4%
        // of a big report's CPU, built for every interval).
        guard let first = clusters.first, clusters.contains(where: { $0 != first }),
              let clustered = Statistics.clusteredStandardError(values, clusters: clusters) else { return (plain, .normal) }
        return (max(plain, clustered), .normalClustered)
    }
}

/// Bounding the bootstrap's work.
extension AnalysisSettings {
    /// The sample size a bootstrap of `sample` would resample, or nil when its interval would
    /// not be bootstrapped (Wilson, normal, or too small).
    func bootstrapDemand(_ sample: CaseSample) -> Int? {
        bootstrapDemand(CaseTable.Shape(count: sample.values.count, isBinary: sample.isBinary))
    }

    /// The same, from the sample's shape alone (`CaseTable.shape(of:over:)`).
    func bootstrapDemand(_ shape: CaseTable.Shape) -> Int? {
        let n = shape.count
        return n > 1 && n < smallSampleLimit && n <= bootstrapCaseLimit && !shape.isBinary ? n : nil
    }

    /// The sample size a paired bootstrap of `sample` would resample, or nil.
    func bootstrapDemand(_ sample: PairedSample) -> Int? {
        bootstrapDemand(pairedCount: sample.count)
    }

    /// The same, from the number of cases the pair shares (`CaseTable.pairedCount(_:_:over:)`).
    func bootstrapDemand(pairedCount n: Int) -> Int? {
        n > 1 && n <= bootstrapCaseLimit ? n : nil
    }

    /// These settings with `bootstrapCaseLimit` lowered, when needed, so that bootstrapping every
    /// demand up to it costs at most `bootstrapBudget` draws (B · n each).
    ///
    /// Small samples, where the bootstrap matters, keep it; the largest fall back to the normal
    /// interval, which agrees with it at those sizes. Demands of one size are granted together,
    /// so equal samples always get the same method.
    func bounded(by demands: [Int?]) -> AnalysisSettings {
        let sizes = demands.compactMap { $0 }.sorted()
        var spent = 0
        var limit = bootstrapCaseLimit
        var index = 0
        while index < sizes.count {
            let size = sizes[index]
            var group = 0
            while index < sizes.count && sizes[index] == size {
                group += 1
                index += 1
            }
            let (cost, overflow) = size.multipliedReportingOverflow(by: group * bootstrap.replicates)
            if overflow || spent + cost > bootstrapBudget {
                limit = sizes[..<(index - group)].last ?? 1
                break
            }
            spent += cost
        }
        var bounded = self
        bounded.bootstrapCaseLimit = min(bootstrapCaseLimit, limit)
        return bounded
    }
}
