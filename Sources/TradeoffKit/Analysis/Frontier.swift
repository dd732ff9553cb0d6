/// The cost–quality Pareto frontier: the models no other model beats on both cost per case and
/// quality.
///
/// a dominates b when cost_a ≤ cost_b and q_a ≥ q_b with one of them strict. A model below the
/// frontier is called dominated only when the paired difference supports it: some model at most
/// as expensive is significantly better on the same cases.
public struct Frontier: Sendable, Hashable {
    /// Priced models with a quality, cheapest first (ties: better first).
    public var points: [Point]
    /// Models left out: unpriced, or nothing answered.
    public var excluded: [String]

    /// A model on the cost–quality plane.
    public struct Point: Sendable, Hashable {
        /// The model.
        public var modelID: String
        /// Cost per case, micro-dollars (unrounded).
        public var costPerCaseMicros: Double
        /// Quality.
        public var quality: Double
        /// Whether no other model dominates it.
        public var onFrontier: Bool
        /// For a frontier point after the first: the extra cost per case of each extra quality
        /// point (0.01) over the previous frontier point, micro-dollars.
        public var incrementalCostPerPointMicros: Double?
        /// For a point off the frontier: the model that dominates it (cheapest such model that
        /// is significantly better; else the best dominating model).
        public var dominatedBy: String?
        /// The paired comparison of `dominatedBy` against this model.
        public var dominance: PairedComparison?

        /// Whether the paired difference shows the domination (not just the point estimates).
        public var dominanceIsSignificant: Bool { dominance?.isSignificantlyBetter ?? false }
    }

    /// The frontier of `candidates` (id, cost per case, quality); `compare(a, b)` gives the
    /// paired comparison of a against b, asked only for dominating pairs.
    init(candidates: [(modelID: String, cost: Double, quality: Double)], excluded: [String],
         compare: (String, String) -> PairedComparison) {
        self.excluded = excluded
        let sorted = candidates.enumerated().sorted { left, right in
            let (a, b) = (left.element, right.element)
            if a.cost != b.cost { return a.cost < b.cost }
            if a.quality != b.quality { return a.quality > b.quality }
            return left.offset < right.offset
        }.map(\.element)
        var points: [Point] = []
        var previous: Point?
        for candidate in sorted {
            let dominators = sorted.filter { other in
                other.modelID != candidate.modelID && other.cost <= candidate.cost && other.quality >= candidate.quality
                    && (other.cost < candidate.cost || other.quality > candidate.quality)
            }
            var point = Point(modelID: candidate.modelID, costPerCaseMicros: candidate.cost, quality: candidate.quality,
                              onFrontier: dominators.isEmpty)
            if point.onFrontier {
                if let previous, candidate.quality > previous.quality {
                    point.incrementalCostPerPointMicros = (candidate.cost - previous.costPerCaseMicros)
                        / ((candidate.quality - previous.quality) * 100)
                }
                previous = point
            } else {
                let comparisons = dominators.map { (id: $0.modelID, comparison: compare($0.modelID, candidate.modelID)) }
                let chosen = comparisons.first { $0.comparison.isSignificantlyBetter }
                    ?? comparisons.max { ($0.comparison.difference ?? 0) < ($1.comparison.difference ?? 0) }
                point.dominatedBy = chosen?.id
                point.dominance = chosen?.comparison
            }
            points.append(point)
        }
        self.points = points
    }

    /// The frontier's points, cheapest first.
    public var frontierPoints: [Point] { points.filter(\.onFrontier) }
}
