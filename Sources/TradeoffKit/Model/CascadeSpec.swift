/// A cascade as a suite states it (`cascades:`): models tried in order, each answer kept unless
/// an online check fails on it, when the next model answers instead.
///
/// ```yaml
/// cascades:
///   - models: [llama-3.3-70b, claude-sonnet-4.5]
///     escalate_when: [structure]
/// ```
public struct CascadeSpec: Sendable, Hashable, Codable {
    /// The models, cheapest first; the last one's answer is always kept.
    public var models: [String]
    /// The online graders whose failure escalates, by metric or grader type; nil for every
    /// grader marked `online: true`.
    public var escalateWhen: [String]?

    /// A cascade of `models` escalating on `escalateWhen` (nil: every online grader).
    public init(models: [String], escalateWhen: [String]? = nil) {
        self.models = models
        self.escalateWhen = escalateWhen
    }

    /// The prompt variant every model is asked in, when this is one variant's cascade of a
    /// suite's cascade over models (`arms(variants:)`); then `models` are arms. Never stored.
    public var variant: String?

    /// `llama-3.3-70b → claude-sonnet-4.5`; one variant's, `llama-3.3-70b → claude-sonnet-4.5 · terse`.
    public var name: String {
        guard let variant else { return models.joined(separator: " → ") }
        return models.map { PromptArm(label: $0, variants: [variant])?.modelID ?? $0 }.joined(separator: " → ")
            + PromptArm.separator + variant
    }

    /// This cascade in a run of prompt variants (`prompts:`), where each (model, variant) is an
    /// arm labelled `model · variant`: entries naming an arm stay; entries naming a model become
    /// that model's arm in each variant, one cascade per variant (with `variant` set when every
    /// entry named a model). Without variants, or when every entry names an arm, itself.
    public func arms(variants: [String]) -> [CascadeSpec] {
        let named = models.map { PromptArm(label: $0, variants: variants) != nil }
        guard !variants.isEmpty, named.contains(false) else { return [self] }
        return variants.map { variant in
            var spec = CascadeSpec(models: zip(models, named).map { model, isArm in
                isArm ? model : PromptArm.label(modelID: model, variant: variant)
            }, escalateWhen: escalateWhen)
            if !named.contains(true) { spec.variant = variant }
            return spec
        }
    }

    /// Whether an online grader of `type` counting toward `metric` is one of this cascade's
    /// checks.
    public func checks(type: String, metric: String?) -> Bool {
        guard let escalateWhen else { return true }
        return escalateWhen.contains(type) || metric.map(escalateWhen.contains) == true
    }

    enum CodingKeys: String, CodingKey {
        case models
        case escalateWhen = "escalate_when"
    }
}
