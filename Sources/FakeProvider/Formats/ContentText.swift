import Foundation

/// Helpers for the loosely typed fields of parsed request bodies.
enum ContentText {
    /// Message content as text: a string, or the `text` of each part joined by newlines. A null
    /// content (an assistant turn that only called tools) is empty; anything else is nil.
    static func text(of content: Any?) -> String? {
        guard let content, !(content is NSNull) else { return "" }
        if let text = content as? String { return text }
        guard let parts = content as? [Any] else { return nil }
        return parts.compactMap { ($0 as? [String: Any])?["text"] as? String }.joined(separator: "\n")
    }

    /// A whole JSON number as an `Int` (`3` or `3.0`, never `true`), else nil.
    static func integer(_ value: Any) -> Int? {
        guard !(value is Bool) else { return nil }
        return value as? Int
    }
}
