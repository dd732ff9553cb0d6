/// Descriptive statistics over samples; pure functions, no I/O.
public enum Statistics {
    /// The arithmetic mean of `values`; nil when there are none.
    public static func mean(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        return values.reduce(0, +) / Double(values.count)
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
        let sorted = values.filter { !$0.isNaN }.sorted()
        guard let first = sorted.first else { return nil }
        guard sorted.count > 1 else { return first }
        let rank = Double(sorted.count - 1) * min(max(p, 0), 100) / 100
        let lower = Int(rank.rounded(.down))
        guard lower < sorted.count - 1 else { return sorted[sorted.count - 1] }
        return interpolate(sorted[lower], sorted[lower + 1], fraction: rank - Double(lower))
    }

    /// `a + (b − a) · t`, computed from the nearer end as numpy does, so that t = 1 gives
    /// exactly `b` and the result stays between `a` and `b`.
    private static func interpolate(_ a: Double, _ b: Double, fraction t: Double) -> Double {
        let difference = b - a
        return t >= 0.5 ? b - difference * (1 - t) : a + difference * t
    }
}
