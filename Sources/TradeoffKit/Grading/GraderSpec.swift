/// A grader as declared in a suite: what it checks and how much it weighs in the case score.
public struct GraderSpec: Sendable, Hashable {
    /// What the grader checks.
    public enum Kind: Sendable, Hashable {
        /// The normalized answer equals the normalized expected text.
        case exact(expected: Template, normalize: [Normalization])
        /// The answer contains the value (`ignoreCase` compares case-insensitively).
        case contains(value: Template, ignoreCase: Bool)
        /// The answer does not contain the value.
        case notContains(value: Template, ignoreCase: Bool)
        /// The regular expression (ICU syntax) matches somewhere in the answer.
        case regex(pattern: String, ignoreCase: Bool)
        /// The answer, trimmed, parses as JSON.
        case jsonValid
    }

    /// What the grader checks.
    public var kind: Kind
    /// Weight in the case score (a weighted mean over the case's graders). Default 1.
    public var weight: Double

    public init(_ kind: Kind, weight: Double = 1) {
        self.kind = kind
        self.weight = weight
    }

    /// The grader's type name as written in suites (`exact`, `contains`, ...).
    public var typeName: String {
        switch kind {
        case .exact: "exact"
        case .contains: "contains"
        case .notContains: "not-contains"
        case .regex: "regex"
        case .jsonValid: "json-valid"
        }
    }

    /// Every grader type name a suite may use.
    public static let typeNames = ["exact", "contains", "not-contains", "regex", "json-valid"]
}

/// A text normalization applied to both sides before comparing.
public enum Normalization: String, Sendable, Hashable, CaseIterable, Codable {
    /// Remove leading and trailing whitespace and newlines.
    case trim
    /// Lowercase (Unicode-aware).
    case lowercase
    /// Replace each run of whitespace with one space.
    case collapseWhitespace = "collapse-whitespace"
}
