/// The `prompt_variants` key of the JSON report: which prompt is best on which model.
extension JSONReport {
    struct PromptVariantsEntry: Encodable {
        /// The variants' ids, in suite order.
        var variants: [String]
        var models: [PromptVariantModel]
        var bestOn: [BestOnEntry]
    }

    /// One model's wordings.
    struct PromptVariantModel: Encodable {
        var model: String
        var best: String?
        /// The variant after the best one, which `best_minus_next` is measured against.
        var next: String?
        /// The best wording's quality minus the next best's, paired over the cases both answered.
        var bestMinusNext: Estimate?
        /// Whether that interval lies above zero.
        var bestSeparated: Bool?
        var variants: [PromptVariantCell]
    }

    /// One wording on one model: its arm's numbers.
    struct PromptVariantCell: Encodable {
        var variant, arm: String
        var quality, passRate: Estimate?
        var costPerCaseMicros: Int64?
    }

    /// A variant and the models it is best on.
    struct BestOnEntry: Encodable {
        var variant: String
        var models: [String]
    }

    /// The entry of `view`; nil for a run without variants.
    static func promptVariants(_ view: PromptVariants?) -> PromptVariantsEntry? {
        guard let view else { return nil }
        let models = view.rows.map { row in
            PromptVariantModel(
                model: row.modelID, best: row.best,
                next: row.margin.flatMap { PromptArm(label: $0.referenceID, variants: view.variants)?.variant },
                bestMinusNext: row.margin.flatMap { Estimate($0.difference, $0.differenceInterval) },
                bestSeparated: row.margin.map { ($0.differenceInterval?.lower ?? 0) > 0 },
                variants: row.cells.map {
                    PromptVariantCell(variant: $0.variant, arm: $0.armID, quality: Estimate($0.quality, $0.qualityInterval),
                                      passRate: Estimate($0.passRate, $0.passRateInterval),
                                      costPerCaseMicros: $0.costPerCaseMicros)
                })
        }
        return PromptVariantsEntry(variants: view.variants, models: models,
                                   bestOn: view.bestOn.map { BestOnEntry(variant: $0.variant, models: $0.models) })
    }
}
