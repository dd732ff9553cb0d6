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

    /// `llama-3.3-70b → claude-sonnet-4.5`.
    public var name: String { models.joined(separator: " → ") }

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
