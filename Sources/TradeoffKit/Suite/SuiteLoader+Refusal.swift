import Foundation
import Yams

extension SuiteLoader.Session {
    /// A `not-refusal` grader: its optional `patterns:` (regexes that open a refusal besides the
    /// built-in phrasings), each checked to compile, with the error at the pattern.
    mutating func refusalKind(_ fields: YAMLFields, in document: YAMLDocument) -> GraderSpec.Kind? {
        guard let node = fields["patterns"] else { return .notRefusal(patterns: []) }
        guard let items = document.sequence(fields, "patterns", log: &log) else { return nil }
        if items.isEmpty {
            log.add(document.error("'patterns' must list at least one regex, or be left out to use only the built-in "
                                   + "refusal phrasings", at: node))
            return nil
        }
        var patterns: [String] = []
        var broken = false
        for item in items {
            guard let pattern = document.text(item, named: "patterns", log: &log) else {
                broken = true
                continue
            }
            let hint = "; each pattern is matched case-insensitively at the start of the answer"
            guard checkRegex(pattern, at: item, in: document, options: [.caseInsensitive], place: " in 'patterns'",
                             hint: hint) else {
                broken = true
                continue
            }
            patterns.append(pattern)
        }
        return broken ? nil : .notRefusal(patterns: patterns)
    }
}
