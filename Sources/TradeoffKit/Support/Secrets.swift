/// Keeps API keys out of everything Tradeoff writes.
public enum Secrets {
    /// `text` with every occurrence of each secret replaced by `[redacted]`. Secrets shorter
    /// than 4 characters are ignored (they would redact ordinary text).
    public static func redact(_ text: String, _ secrets: [String]) -> String {
        secrets.filter { $0.count >= 4 }.reduce(text) {
            $0.replacingOccurrences(of: $1, with: "[redacted]")
        }
    }
}

import Foundation
