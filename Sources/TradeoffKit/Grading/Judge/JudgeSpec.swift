/// An LLM-as-judge grader: judge models from the catalog grade the answer against a rubric and
/// reply with a structured verdict.
public struct JudgeSpec: Sendable, Hashable {
    /// One judge model.
    public struct Judge: Sendable, Hashable {
        /// The judge's catalog id.
        public var id: String
        /// The catalog entry, resolved when the suite is loaded.
        public var entry: ModelEntry?
        /// Where the suite names it, for warnings.
        public var location: SourceLocation?

        /// Creates a judge reference.
        public init(id: String, entry: ModelEntry? = nil, location: SourceLocation? = nil) {
            self.id = id
            self.entry = entry
            self.location = location
        }
    }

    /// The judges; with several, the score is their mean.
    public var judges: [Judge]
    /// What a good answer is; `{{name}}` are the case's variables.
    public var rubric: Template
    /// The verdict's scale.
    public var scale: JudgeScale
    /// The score (0...1) from which the answer passes. Default 0.5.
    public var threshold: Double
    /// A reference answer shown to the judge; `{{name}}` are the case's variables.
    public var reference: Template?
    /// The judge's prompt (`JudgePrompt.defaultTemplate` unless overridden).
    public var template: Template
    /// The judge's output limit. Default 512.
    public var maxTokens: Int

    /// Creates a judge spec.
    public init(judges: [Judge], rubric: Template, scale: JudgeScale = .passFail, threshold: Double = 0.5,
                reference: Template? = nil, template: Template = JudgePrompt.defaultTemplate, maxTokens: Int = 512) {
        self.judges = judges
        self.rubric = rubric
        self.scale = scale
        self.threshold = threshold
        self.reference = reference
        self.template = template
        self.maxTokens = maxTokens
    }
}

/// How a judge states its verdict.
public enum JudgeScale: Sendable, Hashable, CustomStringConvertible {
    /// `"pass": true` or `false`: scores 1 or 0.
    case passFail
    /// `"score": n` with `low <= n <= high`: scores `(n − low) / (high − low)`.
    case range(low: Int, high: Int)

    /// `pass-fail`, `1-5`.
    public var description: String {
        switch self {
        case .passFail: "pass-fail"
        case .range(let low, let high): "\(low)-\(high)"
        }
    }
}
