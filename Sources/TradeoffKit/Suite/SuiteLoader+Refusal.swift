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
            if let problem = RegexCheck.problem(pattern, options: [.caseInsensitive]) {
                log.add(document.error("invalid regex '\(pattern)' in 'patterns': \(problem); each pattern is matched "
                                       + "case-insensitively at the start of the answer", at: item))
                broken = true
                continue
            }
            if let nested = RegexCheck.nestedRepeat(in: pattern) {
                var warning = document.error("regex '\(pattern)' nests repeats in '\(nested)', which can take exponential "
                                             + "time on an answer that almost matches (matching stops after "
                                             + "\(NumberText.format(RegexMatch.timeLimit)) s, a grader error); an atomic "
                                             + "group (?>...) or a possessive quantifier like x++ avoids it", at: item)
                warning.severity = .warning
                log.add(warning)
            }
            patterns.append(pattern)
        }
        return broken ? nil : .notRefusal(patterns: patterns)
    }
}
