/// Every grader type a suite may name, with the keys it takes: the one registry the suite
/// decoder, the suggestions for a misspelt type and the stored outcomes all read, so a type's
/// name and keys are declared here once. The decoder switches over it exhaustively, and
/// `GraderSpec.Kind.type` maps back, so a new type cannot be half added.
public enum GraderType: String, Sendable, Hashable, CaseIterable {
    case exact
    case contains
    case notContains = "not-contains"
    case containsAny = "contains-any"
    case containsAll = "contains-all"
    case startsWith = "starts-with"
    case regex
    case oneOf = "one-of"
    case length
    case numeric
    case choice
    case jsonValid = "json-valid"
    case jsonSchema = "json-schema"
    case jsonPath = "json-path"
    case similarity
    case rougeL = "rouge-l"
    case bleu
    case judge
    case command
    case toolCall = "tool-call"
    case noToolCall = "no-tool-call"
    case toolCallCount = "tool-call-count"
    case confidence
    case notRefusal = "not-refusal"

    /// Whether grading takes time linear in the answer with nothing that can run long: no
    /// regular expression of the suite's, schema, alignment of texts, process or judge. Such
    /// graders grade where the answer arrived, on the transport's thread (`CallExecutor.Order.quick`).
    public var gradesQuickly: Bool {
        switch self {
        case .exact, .contains, .notContains, .containsAny, .containsAll, .startsWith, .oneOf, .length, .numeric, .choice,
             .jsonValid, .jsonPath, .noToolCall, .toolCallCount, .confidence:
            true
        case .regex, .jsonSchema, .similarity, .rougeL, .bleu, .judge, .command, .toolCall, .notRefusal:
            false
        }
    }

    /// Keys every grader takes.
    public static let commonKeys = ["type", "weight", "not", "metric", "on", "online"]

    /// The keys this type takes besides the common ones, and which of them are required.
    public var keys: (allowed: [String], required: [String]) {
        switch self {
        case .exact: (["expected", "normalize", "ignore_case"], ["expected"])
        case .contains, .notContains, .startsWith: (["value", "ignore_case", "normalize"], ["value"])
        case .containsAny, .containsAll: (["values", "ignore_case", "normalize"], ["values"])
        case .regex: (["pattern", "ignore_case", "flags", "normalize"], ["pattern"])
        case .oneOf: (["labels", "expected", "ignore_case", "normalize"], ["labels"])
        case .length: (["min", "max", "unit", "normalize"], [])
        case .numeric: (["expected", "tolerance", "relative_tolerance"], ["expected"])
        case .choice: (["expected", "options"], ["expected"])
        case .jsonValid: (["extract"], [])
        case .jsonSchema: (["schema", "schema_file", "extract"], [])
        case .jsonPath: (["path", "equals", "contains", "extract"], ["path"])
        case .similarity: (["expected", "references", "threshold", "ignore_case", "normalize"], [])
        case .rougeL, .bleu: (["expected", "references", "threshold"], [])
        case .judge: (["rubric", "rubric_file", "model", "models", "scale", "threshold", "reference", "template",
                       "template_file", "max_tokens"], [])
        case .command: (["command", "timeout", "expected"], ["command"])
        case .toolCall: (["name", "schema", "schema_file", "path", "equals", "contains", "arguments"], [])
        case .noToolCall: (["name"], [])
        case .toolCallCount: (["name", "min", "max"], [])
        case .confidence: (["min"], ["min"])
        case .notRefusal: (["patterns"], [])
        }
    }
}

extension GraderSpec.Kind {
    /// The type this grader is of.
    public var type: GraderType {
        switch self {
        case .exact: .exact
        case .contains: .contains
        case .notContains: .notContains
        case .containsAny: .containsAny
        case .containsAll: .containsAll
        case .startsWith: .startsWith
        case .regex: .regex
        case .oneOf: .oneOf
        case .length: .length
        case .numeric: .numeric
        case .choice: .choice
        case .jsonValid: .jsonValid
        case .jsonSchema: .jsonSchema
        case .jsonPath: .jsonPath
        case .similarity: .similarity
        case .rougeL: .rougeL
        case .bleu: .bleu
        case .judge: .judge
        case .command: .command
        case .toolCall: .toolCall
        case .noToolCall: .noToolCall
        case .toolCallCount: .toolCallCount
        case .confidence: .confidence
        case .notRefusal: .notRefusal
        }
    }
}
