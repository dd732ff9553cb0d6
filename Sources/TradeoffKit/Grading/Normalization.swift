import Foundation

/// A text normalization applied to both sides before comparing. A grader's `normalize:` list
/// applies in the order written.
public enum Normalization: String, Sendable, Hashable, CaseIterable, Codable {
    /// Remove leading and trailing whitespace and newlines.
    case trim
    /// Lowercase (Unicode-aware).
    case lowercase
    /// Replace each run of whitespace with one space.
    case collapseWhitespace = "collapse-whitespace"
    /// Remove Unicode punctuation (`.`, `,`, `!`, `«`, `—`, ...); symbols such as `$` and `%` stay.
    case stripPunctuation = "strip-punctuation"
    /// Unicode NFKC: compatibility forms become their plain equivalents (`ﬁ` → `fi`, `Ｆ` → `F`).
    case nfkc
    /// Remove Markdown code fences (```` ```lang ```` lines), keeping what they enclose.
    case stripCodeFences = "strip-code-fences"

    /// `text` with this normalization applied.
    public func apply(_ text: String) -> String {
        switch self {
        case .trim:
            text.trimmingCharacters(in: .whitespacesAndNewlines)
        case .lowercase:
            text.lowercased()
        case .collapseWhitespace:
            text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        case .stripPunctuation:
            String(String.UnicodeScalarView(text.unicodeScalars.filter { !CharacterSet.punctuationCharacters.contains($0) }))
        case .nfkc:
            text.precomposedStringWithCompatibilityMapping
        case .stripCodeFences:
            Self.stripFences(text)
        }
    }

    /// Drops every line that opens or closes a fence (three or more backticks or tildes, an
    /// optional language), and an inline fence around a one-line answer (```` ```x``` ````).
    private static func stripFences(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if !trimmed.contains("\n"), trimmed.hasPrefix("```"), trimmed.hasSuffix("```"), trimmed.count >= 6 {
            return String(trimmed.dropFirst(3).dropLast(3))
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let kept = lines.filter { line in
            let content = line.trimmingCharacters(in: .whitespaces)
            return !(content.hasPrefix("```") || content.hasPrefix("~~~"))
        }
        return kept.joined(separator: "\n")
    }
}

extension Normalization {
    /// Applies `normalizations` in order.
    public static func apply(_ normalizations: [Normalization], to text: String) -> String {
        normalizations.reduce(text) { $1.apply($0) }
    }

    /// ` after trim/lowercase`, or nothing without normalizations, for reasons.
    static func phrase(_ normalizations: [Normalization]) -> String {
        normalizations.isEmpty ? "" : " after " + normalizations.map(\.rawValue).joined(separator: "/")
    }
}
