import Foundation

/// Reads the option letter an answer chooses, from the shapes models answer in: `B`, `(B)`,
/// `B)`, `Answer: B`, `The answer is B.`, `**B**`, `Option B`, `B. 42`.
///
/// Rules, first that applies: an explicit "answer/option/choice is X" (the last one); the whole
/// answer is a letter; the answer opens with a letter and `)`, `.` or `:`; exactly one letter in
/// brackets; exactly one standalone capital letter among the options. Two different letters
/// at the deciding rule make the answer ambiguous.
enum ChoiceText {
    /// What was read.
    enum Reading: Sendable, Hashable {
        case chose(String)
        case ambiguous([String])
        case none
    }

    /// The option `answer` chooses among `options` (single uppercase letters).
    static func read(_ answer: String, options: [String]) -> Reading {
        let letters = options.joined()
        let lower = letters.lowercased()
        // Markdown emphasis and code marks say nothing about the choice.
        let text = answer.replacingOccurrences(of: "*", with: "").replacingOccurrences(of: "`", with: "")
            .replacingOccurrences(of: "_", with: " ")
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)

        // "the answer is B", "Answer: (c)", "final answer: B", "option B".
        let explicit = #"(?i:\b(?:final\s+answer|answer|option|choice)\b)\s*(?:(?i:is)\s*)?[:=]?\s*(?:(?i:option)\s+)?"#
            + #"(?:[(\[]([\#(letters)\#(lower)])[)\]]|([\#(letters)])(?![\p{L}\p{N}])|([\#(lower)])(?=[.):\]]|\s*$))"#
        if let letter = matches(explicit, in: text).last { return .chose(letter) }

        // The whole answer is the letter: "B", "(B)", "b.", "[C]".
        if let letter = matches(#"^[(\[]?([\#(letters)\#(lower)])[)\].:]?$"#, in: trimmed).first { return .chose(letter) }

        // Opens with the letter: "B) 42", "C. Paris", "(A) because ...".
        if let letter = matches(#"^(?:[(\[]([\#(letters)\#(lower)])[)\]]|([\#(letters)])[).:])(?:\s|$)"#, in: trimmed).first {
            return .chose(letter)
        }

        for rule in [#"[(\[]([\#(letters)])[)\]]"#, #"(?<![\p{L}\p{N}'’])([\#(letters)])(?![\p{L}\p{N}'’])"#] {
            let found = distinct(matches(rule, in: text))
            if found.count == 1 { return .chose(found[0]) }
            if found.count > 1 { return .ambiguous(found) }
        }
        return .none
    }

    /// The first matched group of each match, uppercased.
    private static func matches(_ pattern: String, in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern, options: []) else { return [] }
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            for group in 1..<match.numberOfRanges {
                if let range = Range(match.range(at: group), in: text) { return text[range].uppercased() }
            }
            return nil
        }
    }

    private static func distinct(_ letters: [String]) -> [String] {
        var seen: Set<String> = []
        return letters.filter { seen.insert($0).inserted }
    }
}
