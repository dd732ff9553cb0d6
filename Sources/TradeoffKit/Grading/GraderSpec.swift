/// A grader as declared in a suite: what it checks, how much it weighs in the case score, and
/// the options every grader takes (`not`, `metric`, `on`, `extract`).
public struct GraderSpec: Sendable, Hashable {
    /// What the grader checks. Text graders compare after their `normalize:` list (applied to
    /// both sides); `ignoreCase` compares case-insensitively.
    public enum Kind: Sendable, Hashable {
        /// The normalized answer equals the normalized expected text.
        case exact(expected: Template, normalize: [Normalization])
        /// The answer contains the value.
        case contains(value: Template, ignoreCase: Bool, normalize: [Normalization] = [])
        /// The answer does not contain the value.
        case notContains(value: Template, ignoreCase: Bool, normalize: [Normalization] = [])
        /// The answer contains at least one of the values.
        case containsAny(values: [Template], ignoreCase: Bool, normalize: [Normalization] = [])
        /// The answer contains every value.
        case containsAll(values: [Template], ignoreCase: Bool, normalize: [Normalization] = [])
        /// The answer starts with the value.
        case startsWith(value: Template, ignoreCase: Bool, normalize: [Normalization] = [])
        /// The regular expression (ICU syntax) matches somewhere in the answer; its named groups
        /// become variables of the graders after it.
        case regex(pattern: String, ignoreCase: Bool, flags: RegexFlags = [], normalize: [Normalization] = [])
        /// The answer names exactly one of the labels (as a whole word), and it is `expected`
        /// when given. The label found is recorded.
        case oneOf(labels: [Template], expected: Template?, ignoreCase: Bool, normalize: [Normalization] = [])
        /// The answer's length in characters or words is within `min...max`.
        case length(min: Int?, max: Int?, unit: LengthUnit, normalize: [Normalization] = [])
        /// The final number in the answer equals the expected number within the tolerances.
        case numeric(expected: Template, tolerance: Double, relativeTolerance: Double)
        /// The option letter the answer chooses is the expected one.
        case choice(expected: Template, options: [String])
        /// The answer (trimmed, or the JSON extracted from it) parses as JSON.
        case jsonValid
        /// The answer's JSON validates against the schema.
        case jsonSchema(JSONSchema)
        /// The value at a path of the answer's JSON exists, equals or contains the expected value.
        case jsonPath(path: JSONPath, check: JSONPathCheck)
        /// The normalized Levenshtein ratio to the closest reference is at least `threshold`;
        /// the score is the ratio.
        case similarity(references: [Template], threshold: Double, ignoreCase: Bool, normalize: [Normalization] = [])
        /// ROUGE-L F1 against the closest reference; passes from `threshold`.
        case rougeL(references: [Template], threshold: Double)
        /// Sentence BLEU-4 against the references; passes from `threshold`.
        case bleu(references: [Template], threshold: Double)
        /// One or more judge models grade the answer against a rubric.
        case judge(JudgeSpec)
        /// An external command grades the answer.
        case command(CommandSpec)
        /// The model called a tool (the named one), with arguments that pass the check.
        case toolCall(ToolCallCheck)
        /// The model called no tool (or not the named one).
        case noToolCall(name: Template?)
        /// The model made between `min` and `max` tool calls (of the named tool).
        case toolCallCount(name: Template?, min: Int?, max: Int?)
        /// The answer's mean token probability, `exp(mean token logprob)` as the provider
        /// reported it, is at least `min`; the score is that probability.
        case confidence(min: Double)
        /// The answer is not a refusal: the provider did not refuse or filter it (its finish
        /// reason), and it does not open with a refusal phrasing (`RefusalCheck.phrases`, or one
        /// of the suite's `patterns`, matched case-insensitively at the start of the answer).
        case notRefusal(patterns: [String] = [])
    }

    /// What the grader checks.
    public var kind: Kind
    /// Weight in the case score (a weighted mean over the case's graders). Default 1.
    public var weight: Double
    /// `not: true`: the score becomes `1 − score` and the pass flips.
    public var negated: Bool
    /// The named metric the grader counts toward in reports (`metric: accuracy`).
    public var metric: String?
    /// `on: NAME`: grade the text an earlier regex captured as `NAME` instead of the answer.
    public var input: String?
    /// `extract: json`: grade the JSON found in the answer (in a code fence or after prose).
    public var extractJSON: Bool
    /// `online: true`: the grader needs no reference answer, so it could run in production on
    /// every answer; a cascade escalates when one of these fails (`CascadeSpec`).
    public var online: Bool = false

    /// Creates a spec.
    ///
    /// - Parameters:
    ///   - kind: What the grader checks.
    ///   - weight: Its weight in the case score.
    ///   - negated: Whether the result is inverted (`not: true`).
    ///   - metric: The named metric it counts toward.
    ///   - input: A capture name to grade instead of the answer (`on:`).
    ///   - extractJSON: Whether to grade the JSON found in the answer (`extract: json`).
    public init(_ kind: Kind, weight: Double = 1, negated: Bool = false, metric: String? = nil, input: String? = nil,
                extractJSON: Bool = false) {
        self.kind = kind
        self.weight = weight
        self.negated = negated
        self.metric = metric
        self.input = input
        self.extractJSON = extractJSON
    }

    /// The grader's type name as written in suites (`exact`, `contains`, ...).
    public var typeName: String { kind.type.rawValue }

    /// Every grader type name a suite may use.
    public static let typeNames = GraderType.allCases.map(\.rawValue)

    /// Whether the grader reads the answer's token logprobs, which the request must ask for.
    public var readsLogprobs: Bool {
        if case .confidence = kind { return true }
        return false
    }

    /// The judge configuration, for a `judge` grader.
    public var judge: JudgeSpec? {
        if case .judge(let spec) = kind { return spec }
        return nil
    }
}

/// Regular expression flags beyond case (`flags: ms`).
public struct RegexFlags: OptionSet, Sendable, Hashable {
    /// The flags as bits.
    public let rawValue: Int
    /// Flags from their bits.
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// `m`: `^` and `$` match at line breaks.
    public static let multiline = RegexFlags(rawValue: 1)
    /// `s`: `.` matches line breaks too.
    public static let dotMatchesLineSeparators = RegexFlags(rawValue: 2)
    /// `x`: whitespace and `#` comments in the pattern are ignored.
    public static let extended = RegexFlags(rawValue: 4)
}

/// What `length` counts.
public enum LengthUnit: String, Sendable, Hashable, CaseIterable {
    /// User-perceived characters (grapheme clusters: `é` and `👍🏽` count 1).
    case characters
    /// Runs of non-whitespace.
    case words
}

/// What `json-path` checks at its path.
public enum JSONPathCheck: Sendable, Hashable {
    /// A value is there.
    case exists
    /// The value equals the expected one (numbers by value, strings by text).
    case equals(Template)
    /// The string contains the expected text, or the array has an element equal to it.
    case contains(Template)
}
