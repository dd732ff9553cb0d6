/// Which model to run a workload on: the cheapest model shown non-inferior to the reference
/// (the reference itself when no cheaper one is).
public struct Recommendation: Sendable, Hashable, Codable {
    /// The reference the candidates were compared with.
    public var referenceID: String
    /// The recommended model; the reference when no cheaper candidate is shown non-inferior.
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
    /// The pool is the reference and every candidate shown non-inferior; the cheapest priced
    /// member wins (ties: higher quality, then the reference). An unpriced member cannot be shown
    /// cheaper, so it only wins when it is the reference and nothing in the pool is priced.
    static func choose(referenceID: String, reference: Option, candidates: [Option]) -> Recommendation {
        let pool = [reference] + candidates.filter { $0.comparison?.verdict == .nonInferior }
        let priced = pool.filter { $0.costPerCase != nil }
        let best = priced.min { a, b in
            if a.costPerCase! != b.costPerCase! { return a.costPerCase! < b.costPerCase! }
            if (a.quality ?? -1) != (b.quality ?? -1) { return (a.quality ?? -1) > (b.quality ?? -1) }
            return a.modelID == referenceID
        }
        let choice = best?.modelID ?? referenceID
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
