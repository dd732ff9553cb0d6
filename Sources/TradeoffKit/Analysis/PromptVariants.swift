/// Which prompt variant (`prompts:`) is best on which model: per model, each variant's quality
/// and pass rate with their intervals, the best by quality, and the best against the next best,
/// paired over the cases both answered.
///
/// Every number is the arm's own (`PromptArm`: `gpt-4o · terse` is one row of the Models table),
/// so this is a view of the same statistics, grouped by model.
public struct PromptVariants: Sendable {
    /// One variant on one model.
    public struct Cell: Sendable {
        /// The variant's id.
        public var variant: String
        /// The arm's label, `gpt-4o · terse`.
        public var armID: String
        public var quality: Double?
        public var qualityInterval: Interval?
        public var passRate: Double?
        public var passRateInterval: Interval?
        /// What a case cost in this wording, micro-dollars; nil unpriced.
        public var costPerCaseMicros: Int64?
    }

    /// One model's variants.
    public struct Row: Sendable {
        /// The model's id.
        public var modelID: String
        /// Its variants, in suite order.
        public var cells: [Cell]
        /// The variant of best quality; nil when no variant was answered.
        public var best: String?
        /// The best variant against the next best (its `referenceID`), paired; nil with fewer
        /// than two answered variants.
        public var margin: PairedComparison?
    }

    /// The variants' ids, in suite order.
    public var variants: [String]
    /// One row per model, in run order.
    public var rows: [Row]

    /// The view of `models` (the run's arms), grouped by model.
    ///
    /// - Parameters:
    ///   - variants: The run's prompt variants.
    ///   - modelIDs: The run's models (not arms), in run order.
    ///   - models: The arms' summaries.
    ///   - compare: The paired comparison of the first arm against the second.
    init(variants: [String], modelIDs: [String], models: [ModelSummary],
         compare: (String, String) -> PairedComparison?) {
        self.variants = variants
        var byArm: [String: ModelSummary] = [:]
        for model in models { byArm[model.modelID] = model }
        rows = modelIDs.map { modelID in
            let cells = variants.compactMap { variant -> Cell? in
                let armID = PromptArm.label(modelID: modelID, variant: variant)
                guard let arm = byArm[armID] else { return nil }
                return Cell(variant: variant, armID: armID, quality: arm.quality, qualityInterval: arm.qualityInterval,
                            passRate: arm.passRate, passRateInterval: arm.passRateInterval,
                            costPerCaseMicros: arm.priced ? arm.costPerCaseMicros : nil)
            }
            // Best first; ties keep suite order.
            let ranked = cells.filter { $0.quality != nil }.enumerated().sorted { a, b in
                let (qa, qb) = (a.element.quality ?? 0, b.element.quality ?? 0)
                return qa != qb ? qa > qb : a.offset < b.offset
            }.map(\.element)
            let margin = ranked.count >= 2 ? compare(ranked[0].armID, ranked[1].armID) : nil
            return Row(modelID: modelID, cells: cells, best: ranked.first?.variant, margin: margin)
        }
    }

    /// Per variant, the models it is best on, in suite order of the variants (those best
    /// nowhere left out).
    public var bestOn: [(variant: String, models: [String])] {
        variants.compactMap { variant in
            let models = rows.filter { $0.best == variant }.map(\.modelID)
            return models.isEmpty ? nil : (variant, models)
        }
    }
}
