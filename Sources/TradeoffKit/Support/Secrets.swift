/// Keeps API keys out of everything Tradeoff writes.
public enum Secrets {
    /// `text` with every occurrence of each secret replaced by `[redacted]`. Secrets shorter
    /// than 4 characters are ignored (they would redact ordinary text).
    public static func redact(_ text: String, _ secrets: [String]) -> String {
        secrets.filter { $0.count >= 4 }.reduce(text) {
            $0.replacingOccurrences(of: $1, with: "[redacted]")
        }
    }

    /// Heuristic for an API key pasted where a variable name belongs: a known key prefix, or a
    /// long value that no one would name a variable (no uppercase, or not a valid name).
    public static func looksLikeKey(_ value: String) -> Bool {
        let prefixes = ["sk-", "sk_", "gsk_", "xai-", "hf_", "pk-", "AIza", "ghp_", "github_pat_", "r8_"]
        if prefixes.contains(where: value.hasPrefix) { return true }
        guard value.count >= 20 else { return false }
        return !value.contains(where: \.isUppercase) || !isVariableName(value[...])
    }

    /// `[A-Za-z_][A-Za-z0-9_]*`
    public static func isVariableName(_ name: Substring) -> Bool {
        guard let first = name.first, first == "_" || (first.isASCII && first.isLetter) else { return false }
        return name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
    }
}

import Foundation
