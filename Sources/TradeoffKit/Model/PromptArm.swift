/// A model asked in one prompt variant: the unit a report compares when a suite lists
/// `prompts:`. Its label, `gpt-4o · terse`, stands where a model id stands in every table, so the
/// decision table, paired comparisons, frontier and recommendation work per arm unchanged.
public struct PromptArm: Sendable, Hashable {
    /// The model's id in the catalog.
    public var modelID: String
    /// The prompt variant's id.
    public var variant: String

    /// What stands between the model and the variant in a label.
    public static let separator = " · "

    /// Creates an arm.
    public init(modelID: String, variant: String) {
        self.modelID = modelID
        self.variant = variant
    }

    /// `gpt-4o · terse`.
    public var label: String { Self.label(modelID: modelID, variant: variant) }

    /// The label of model `modelID` asked in `variant`; the model's id alone without a variant.
    public static func label(modelID: String, variant: String?) -> String {
        guard let variant else { return modelID }
        return modelID + separator + variant
    }

    /// Every arm of `models` × `variants`, model by model, as labels; `models` themselves when
    /// there are no variants.
    public static func labels(models: [String], variants: [String]) -> [String] {
        guard !variants.isEmpty else { return models }
        return models.flatMap { model in variants.map { label(modelID: model, variant: $0) } }
    }

    /// The arm a label names, given the run's variants; nil for a label that names none (a
    /// model's id alone).
    public init?(label: String, variants: [String]) {
        for variant in variants {
            let suffix = Self.separator + variant
            if label.hasSuffix(suffix), label.count > suffix.count {
                self.init(modelID: String(label.dropLast(suffix.count)), variant: variant)
                return
            }
        }
        return nil
    }
}
