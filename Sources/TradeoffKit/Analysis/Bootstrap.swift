/// The percentile bootstrap over cases, seeded so a report is the same every time it is written.
///
/// Each replicate draws n case indices uniformly with replacement (`Xoshiro256`, started at
/// `seed` for every statistic, so equal-sized samples share their resamples) and computes the
/// statistic on them; an interval is read off the sorted replicates with numpy's linear
/// percentile. Work is O(replicates · n); callers switch to a normal interval above
/// `AnalysisSettings.bootstrapCaseLimit` cases.
public struct Bootstrap: Sendable, Hashable, Codable {
    /// Resamples drawn (B).
    public var replicates: Int
    /// The generator's seed.
    public var seed: UInt64

    /// B = 10,000 and seed 1 unless told otherwise.
    public init(replicates: Int = 10_000, seed: UInt64 = 1) {
        self.replicates = max(1, replicates)
        self.seed = seed
    }

    /// The replicates of the mean of `values`, sorted; empty when there are no values.
    public func means(_ values: [Double]) -> [Double] {
        let n = values.count
        guard n > 0 else { return [] }
        var generator = Xoshiro256(seed: seed)
        var means = [Double](repeating: 0, count: replicates)
        values.withUnsafeBufferPointer { values in
            for replicate in 0..<replicates {
                var sum = 0.0
                for _ in 0..<n { sum += values[generator.index(below: n)] }
                means[replicate] = sum / Double(n)
            }
        }
        means.sort()
        return means
    }

    /// The paired replicates of `a` against `b` (index i of both is the same case): each
    /// resample of case indices gives mean(a*) − mean(b*) and mean(a*) / mean(b*).
    ///
    /// - Returns: Both statistics' replicates, sorted; the ratios are nil when some resample has
    ///   mean(b*) = 0, where the ratio is undefined.
    public func paired(_ a: [Double], _ b: [Double]) -> PairedReplicates {
        precondition(a.count == b.count, "paired samples have one value per case each")
        let n = a.count
        guard n > 0 else { return PairedReplicates(differences: [], ratios: nil) }
        var generator = Xoshiro256(seed: seed)
        var differences = [Double](repeating: 0, count: replicates)
        var ratios = [Double](repeating: 0, count: replicates)
        var ratioDefined = true
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                for replicate in 0..<replicates {
                    var sumA = 0.0
                    var sumB = 0.0
                    for _ in 0..<n {
                        let index = generator.index(below: n)
                        sumA += a[index]
                        sumB += b[index]
                    }
                    differences[replicate] = (sumA - sumB) / Double(n)
                    if sumB > 0 { ratios[replicate] = sumA / sumB } else { ratioDefined = false }
                }
            }
        }
        differences.sort()
        if ratioDefined { ratios.sort() }
        return PairedReplicates(differences: differences, ratios: ratioDefined ? ratios : nil)
    }
}

extension Bootstrap {
    /// The paired replicates of `a` against `b` resampling whole clusters: each replicate draws k
    /// of the k clusters with replacement and gives Σa* / n* − Σb* / n* and Σa* / Σb* over the
    /// cases of the clusters drawn (n* of them).
    ///
    /// Cases of one task are not independent: when the models disagree on one task only, a
    /// resample of cases spreads that task's disagreements evenly and the interval comes out too
    /// narrow; resampling tasks keeps them together. Clusters are taken in ascending id, so the
    /// replicates do not depend on the order of the cases.
    ///
    /// - Parameters:
    ///   - a: The first model's value per case.
    ///   - b: The second model's value per case.
    ///   - clusters: Each case's cluster (any integers).
    /// - Returns: Both statistics' replicates, sorted; the ratios are nil when some resample has
    ///   Σb* = 0.
    public func clusterPaired(_ a: [Double], _ b: [Double], clusters: [Int]) -> PairedReplicates {
        precondition(a.count == b.count && a.count == clusters.count, "paired samples have one value and cluster per case")
        var totals: [Int: (a: Double, b: Double, count: Double)] = [:]
        for index in a.indices {
            totals[clusters[index], default: (0, 0, 0)].a += a[index]
            totals[clusters[index], default: (0, 0, 0)].b += b[index]
            totals[clusters[index], default: (0, 0, 0)].count += 1
        }
        let groups = totals.sorted { $0.key < $1.key }.map(\.value)
        let k = groups.count
        guard k > 0 else { return PairedReplicates(differences: [], ratios: nil) }
        var generator = Xoshiro256(seed: seed)
        var differences = [Double](repeating: 0, count: replicates)
        var ratios = [Double](repeating: 0, count: replicates)
        var ratioDefined = true
        for replicate in 0..<replicates {
            var sumA = 0.0
            var sumB = 0.0
            var count = 0.0
            for _ in 0..<k {
                let group = groups[generator.index(below: k)]
                sumA += group.a
                sumB += group.b
                count += group.count
            }
            differences[replicate] = (sumA - sumB) / count
            if sumB > 0 { ratios[replicate] = sumA / sumB } else { ratioDefined = false }
        }
        differences.sort()
        if ratioDefined { ratios.sort() }
        return PairedReplicates(differences: differences, ratios: ratioDefined ? ratios : nil)
    }
}

/// The sorted replicates of a paired bootstrap.
public struct PairedReplicates: Sendable, Hashable {
    /// mean(a*) − mean(b*), ascending.
    public var differences: [Double]
    /// mean(a*) / mean(b*), ascending; nil when undefined in some resample.
    public var ratios: [Double]?
}

extension Array where Element == Double {
    /// The percentile interval of sorted replicates: [p(2.5), p(97.5)] for 95%.
    func percentileInterval(level: Double = 0.95) -> ClosedRange<Double>? {
        let tail = (1 - level) / 2 * 100
        guard let lower = Statistics.percentile(tail, ofSorted: self),
              let upper = Statistics.percentile(100 - tail, ofSorted: self) else { return nil }
        return lower...upper
    }
}
