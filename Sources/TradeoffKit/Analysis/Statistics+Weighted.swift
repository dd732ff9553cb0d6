extension Statistics {
    /// The weighted percentile p of `points`: the smallest value whose cumulative weight (values
    /// ascending) reaches p% of the total weight — numpy's `inverted_cdf` method with weights.
    ///
    /// - Parameters:
    ///   - p: The percentile, in 0...100 (clamped).
    ///   - points: Values and their weights (non-negative); NaN values are ignored.
    /// - Returns: The percentile, or nil when no value has weight.
    static func weightedPercentile(_ p: Double, of points: [(latency: Double, weight: Double)]) -> Double? {
        let sorted = points.filter { !$0.latency.isNaN && $0.weight > 0 }.sorted { $0.latency < $1.latency }
        let total = sorted.reduce(0) { $0 + $1.weight }
        guard total > 0 else { return nil }
        let target = min(max(p, 0), 100) / 100 * total
        var cumulative = 0.0
        for point in sorted {
            cumulative += point.weight
            // A relative tolerance, so equal weights summing to a share land on it.
            if cumulative >= target * (1 - 1e-12) { return point.latency }
        }
        return sorted.last?.latency
    }
}
