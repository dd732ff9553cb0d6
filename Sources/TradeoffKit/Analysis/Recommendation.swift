/// Which model to run a workload on: the cheapest model shown non-inferior to the reference
/// (the reference itself when no cheaper one is), unless a model shown better than the reference
/// costs less per quality point.
public struct Recommendation: Sendable, Hashable, Codable {
    /// The reference the candidates were compared with.
    public var referenceID: String
    /// The recommended model; the reference when no cheaper candidate is shown non-inferior and
    /// none shown better costs less per quality point.
    public var modelID: String
    /// When the reference is kept: the cheaper candidate that came closest (highest one-sided
    /// lower bound of Δ), to say what it would take.
    public var closestCandidateID: String?

    /// Whether a cheaper model than the reference is recommended.
    public var switchesFromReference: Bool { modelID != referenceID }

    /// A candidate for the recommendation: its id, cost per case and comparison.
    struct Option {
        var modelID: String
        var costPerCase: Double?
        var quality: Double?
        var comparison: PairedComparison?
    }

    /// Picks among `options` (the reference's comparison is nil).
    ///
    /// First the pool of the reference and every candidate shown non-inferior: the cheapest
    /// priced member wins (ties: higher quality, then the reference). An unpriced member cannot be
    /// shown cheaper, so it only wins when it is the reference and nothing in the pool is priced.
    ///
    /// Then quality is weighed against cost: a candidate shown significantly better than the
    /// reference (the 95% interval of Δ above 0) replaces that pick when it costs less per
    /// quality point (cost per case / quality), or when the pick's cost or quality leaves nothing
    /// to weigh (unpriced, or quality 0). Among such candidates the lowest cost per quality point
    /// wins, else the best quality. Anchoring on the reference alone would keep a clearly worse
    /// model because the better one costs a little more.
    static func choose(referenceID: String, reference: Option, candidates: [Option]) -> Recommendation {
        let pool = [reference] + candidates.filter { $0.comparison?.verdict == .nonInferior }
        let priced = pool.filter { $0.costPerCase != nil }
        let best = priced.min { a, b in
            if a.costPerCase! != b.costPerCase! { return a.costPerCase! < b.costPerCase! }
            if (a.quality ?? -1) != (b.quality ?? -1) { return (a.quality ?? -1) > (b.quality ?? -1) }
            return a.modelID == referenceID
        } ?? reference
        let better = candidates.filter { $0.comparison?.isSignificantlyBetter == true }
        var choice = best.modelID
        if !better.isEmpty {
            let weighed = better.filter { $0.costPerQualityPoint != nil }
            if let cheapest = weighed.min(by: { $0.costPerQualityPoint! < $1.costPerQualityPoint! }) {
                if best.costPerQualityPoint.map({ cheapest.costPerQualityPoint! < $0 }) ?? true {
                    choice = cheapest.modelID
                }
            } else if best.costPerQualityPoint == nil, let strongest = better.max(by: { ($0.quality ?? -1) < ($1.quality ?? -1) }) {
                choice = strongest.modelID
            }
        }
        var closest: String?
        if choice == referenceID {
            let cheaper = candidates.filter { option in
                guard option.comparison?.differenceLowerBound != nil else { return false }
                guard let cost = option.costPerCase else { return false }
                return reference.costPerCase.map { cost < $0 } ?? true
            }
            closest = cheaper.max { ($0.comparison!.differenceLowerBound!) < ($1.comparison!.differenceLowerBound!) }?.modelID
        }
        return Recommendation(referenceID: referenceID, modelID: choice, closestCandidateID: closest)
    }
}

extension Recommendation.Option {
    /// Cost per case over quality; nil when unpriced or the quality is 0 or unknown.
    var costPerQualityPoint: Double? {
        guard let costPerCase, let quality, quality > 0 else { return nil }
        return costPerCase / quality
    }
}
