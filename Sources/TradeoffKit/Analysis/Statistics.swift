import Foundation

/// Descriptive statistics over samples; pure functions, no I/O.
///
/// Tests pin every function to values computed independently with numpy and scipy
/// (`Tests/TradeoffKitTests/Analysis/StatisticsTests.swift`).
public enum Statistics {
    /// The two-sided 95% normal quantile, z₀.₉₇₅ (`scipy.stats.norm.ppf(0.975)`).
    public static let z95 = 1.959963984540054
    /// The one-sided 95% normal quantile, z₀.₉₅ (`scipy.stats.norm.ppf(0.95)`).
    public static let z95OneSided = 1.6448536269514722

    /// The arithmetic mean of `values`; nil when there are none.
    public static func mean(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        return values.reduce(0, +) / Double(values.count)
    }

    /// The sample variance Σ(x − x̄)² / (n − 1) (numpy's `var(ddof=1)`); nil below two values.
    public static func variance(_ values: [Double]) -> Double? {
        guard values.count > 1, let mean = mean(values) else { return nil }
        return values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
    }

    /// The standard error of the mean, sqrt(Σ(x − x̄)² / (n(n − 1))); nil below two values.
    public static func standardError(_ values: [Double]) -> Double? {
        variance(values).map { ($0 / Double(values.count)).squareRoot() }
    }

    /// The cluster-robust standard error of the mean, sqrt((1/n²) Σ_c (Σ_{i∈c} (x_i − x̄))²).
    ///
    /// Cases that share a task are not independent; this is the CR0 estimator of Miller (2024,
    /// "Adding Error Bars to Evals"). With one cluster it is 0 by construction, so callers use
    /// it only with two clusters or more.
    ///
    /// - Parameters:
    ///   - values: The sample.
    ///   - clusters: The cluster of each value (any integers), as long as `values`.
    /// - Returns: The standard error; nil for an empty sample.
    public static func clusteredStandardError(_ values: [Double], clusters: [Int]) -> Double? {
        precondition(values.count == clusters.count, "one cluster per value")
        guard let mean = mean(values) else { return nil }
        var sums: [Int: Double] = [:]
        // Cases of one cluster mostly come together: a cluster's sum is kept aside while its run
        // lasts, the same additions in the same order as adding into the dictionary each time.
        var current: (cluster: Int, sum: Double)?
        for (value, cluster) in zip(values, clusters) {
            if current?.cluster != cluster {
                if let current { sums[current.cluster] = current.sum }
                current = (cluster, sums[cluster] ?? 0)
            }
            current?.sum += value - mean
        }
        if let current { sums[current.cluster] = current.sum }
        // Sorted so the sum, and so the last bits of the result, do not depend on hash order.
        let total = sums.sorted { $0.key < $1.key }.reduce(0) { $0 + $1.value * $1.value }
        let n = Double(values.count)
        return (total / (n * n)).squareRoot()
    }

    /// The `p`-th percentile of `values`, interpolating linearly between the closest ranks.
    ///
    /// This is numpy's default (`method="linear"`, R's type 7): rank h = (n − 1) · p / 100 in the
    /// sorted sample, and the value between the two neighbouring ranks in proportion.
    /// The p50 of [1, 2, 3, 4] is 2.5; the p95 of [1 ... 20] is 19.05.
    ///
    /// - Parameters:
    ///   - p: The percentile, in 0...100 (clamped).
    ///   - values: The sample, in any order; NaNs are ignored.
    /// - Returns: The percentile, or nil for an empty sample.
    public static func percentile(_ p: Double, of values: [Double]) -> Double? {
        percentile(p, ofSorted: values.filter { !$0.isNaN }.sorted())
    }

    /// `percentile(_:of:)` of a sample already sorted ascending, without NaNs.
    static func percentile(_ p: Double, ofSorted sorted: [Double]) -> Double? {
        guard let first = sorted.first else { return nil }
        guard sorted.count > 1 else { return first }
        let rank = Double(sorted.count - 1) * min(max(p, 0), 100) / 100
        let lower = Int(rank.rounded(.down))
        guard lower < sorted.count - 1 else { return sorted[sorted.count - 1] }
        return interpolate(sorted[lower], sorted[lower + 1], fraction: rank - Double(lower))
    }

    /// `percentile(_:ofSorted:)` of each of `ps`, found by selection instead of a sort: the
    /// latency percentiles of a million calls take a few linear passes, not a sort per model.
    /// `values` (without NaNs) is reordered; the result equals the sorted computation exactly.
    static func percentiles(_ ps: [Double], selectingIn values: inout [Double]) -> [Double]? {
        let count = values.count
        guard count > 0 else { return nil }
        let ranks = ps.map { Double(count - 1) * min(max($0, 0), 100) / 100 }
        // The positions the interpolation reads, each selected once, in ascending order: after
        // position k is selected, everything to its right is no smaller, so the next search starts there.
        let positions = Set(ranks.flatMap { rank in
            let lower = Int(rank.rounded(.down))
            return lower < count - 1 ? [lower, lower + 1] : [lower]
        }).sorted()
        values.withUnsafeMutableBufferPointer { buffer in
            var start = 0
            for position in positions {
                select(position, in: buffer, from: start, through: count - 1)
                start = position + 1
            }
        }
        return ranks.map { rank in
            let lower = Int(rank.rounded(.down))
            guard lower < count - 1 else { return values[count - 1] }
            return interpolate(values[lower], values[lower + 1], fraction: rank - Double(lower))
        }
    }

    /// Puts the `k`-th smallest of `buffer[lower...upper]` at `k`, the smaller ones before it and
    /// the others after (quickselect with a random pivot and a three-way partition, so runs of
    /// equal values — many identical latencies — stay linear).
    private static func select(_ k: Int, in buffer: UnsafeMutableBufferPointer<Double>, from lower: Int, through upper: Int) {
        var (low, high) = (lower, upper)
        while low < high {
            let pivot = buffer[Int.random(in: low...high)]
            var (less, index, greater) = (low, low, high)
            while index <= greater {
                if buffer[index] < pivot {
                    buffer.swapAt(less, index)
                    less += 1
                    index += 1
                } else if buffer[index] > pivot {
                    buffer.swapAt(index, greater)
                    greater -= 1
                } else {
                    index += 1
                }
            }
            // [low, less) < pivot, [less, greater] == pivot, (greater, high] > pivot.
            if k < less { high = less - 1 } else if k > greater { low = greater + 1 } else { return }
        }
    }

    /// `a + (b − a) · t`, computed from the nearer end as numpy does, so that t = 1 gives
    /// exactly `b` and the result stays between `a` and `b`.
    private static func interpolate(_ a: Double, _ b: Double, fraction t: Double) -> Double {
        let difference = b - a
        return t >= 0.5 ? b - difference * (1 - t) : a + difference * t
    }
}
