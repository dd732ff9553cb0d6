import Foundation

/// Numbers read out of answers the way people write them: `1,234.5`, `-0.5%`, `1e3`, `$42`,
/// `−7` (a Unicode minus), `.5`. Commas are thousands separators only (`1,5` reads as 1 and 5);
/// a percentage is the number before its `%` (`-0.5%` is −0.5).
enum NumberText {
    /// One number found in a text.
    struct Found: Sendable, Hashable {
        /// Its value.
        var value: Double
        /// The text it was read from, as written (`-0.5%`).
        var text: String
        /// Whether a `%` followed it.
        var isPercent: Bool
    }

    // A sign counts only when it does not follow a letter or digit (so `10-20` is 10 and 20).
    // Digits must not follow a letter, digit or `.` (so `H2O` and `v1.2` give none).
    private static let pattern = try! NSRegularExpression(pattern: #"""
        (?:(?<![\p{L}\p{N}_])([-+\x{2212}]))?[$€£¥]?(?<![\p{L}\p{N}_.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?:[eE]([-+\x{2212}]?\d+))?(\s?%)?
        """#, options: [])

    /// Every number in `text`, in order.
    static func all(in text: String) -> [Found] {
        let range = NSRange(text.startIndex..., in: text)
        return pattern.matches(in: text, range: range).compactMap { match in
            guard let whole = Range(match.range, in: text), let digits = Range(match.range(at: 2), in: text) else {
                return nil
            }
            var literal = text[digits].replacingOccurrences(of: ",", with: "")
            if let sign = Range(match.range(at: 1), in: text), text[sign] != "+" { literal = "-" + literal }
            if let exponent = Range(match.range(at: 3), in: text) {
                literal += "e" + text[exponent].replacingOccurrences(of: "\u{2212}", with: "-")
            }
            guard let value = Double(literal), value.isFinite else { return nil }
            return Found(value: value, text: String(text[whole]), isPercent: match.range(at: 4).location != NSNotFound)
        }
    }

    /// The last number in `text` (answers usually end with their result).
    static func final(in text: String) -> Found? { all(in: text).last }

    /// The number `text` is, when it is one number and nothing else (spaces aside).
    static func exact(_ text: String) -> Found? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let found = all(in: trimmed)
        guard found.count == 1, found[0].text.trimmingCharacters(in: .whitespaces) == trimmed else { return nil }
        return found[0]
    }

    /// `1234.5`, `1000`, `-0.5`: whole numbers without `.0`, exactly.
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }

    /// For people: ten significant digits, so binary noise (`0.30000000000000004`) reads `0.3`.
    static func short(_ value: Double) -> String {
        let text = String(format: "%.10g", value)
        return text == "-0" ? "0" : text
    }
}
