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
            Self.trimmed(text)
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

    /// `text` without leading and trailing whitespace and newlines. Foundation's trimming costs
    /// more than the rest of grading; when both ends are ASCII its answer is known from the bytes.
    static func trimmed(_ text: String) -> String {
        // Foundation's `.whitespacesAndNewlines`, in ASCII.
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last else { return text }
        if first < 0x80, last < 0x80, !isSpace(first), !isSpace(last) { return text }
        if utf8.allSatisfy({ $0 < 0x80 }) {
            guard let start = utf8.firstIndex(where: { !isSpace($0) }) else { return "" }
            let end = utf8.lastIndex(where: { !isSpace($0) })!
            return String(text[start...end])
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
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
