import Foundation
import Yams

extension SuiteLoader.Session {
    /// Whether `pattern` compiles with NSRegularExpression (the graders' engine), with the error
    /// at `node` when not (`place` said after the pattern, `hint` after the problem), and a
    /// warning when it nests repeats.
    mutating func checkRegex(_ pattern: String, at node: Node, in document: YAMLDocument,
                             options: NSRegularExpression.Options, place: String = "", hint: String = "") -> Bool {
        if let problem = RegexCheck.problem(pattern, options: options) {
            log.add(document.error("invalid regex '\(pattern)'\(place): \(problem)\(hint)", at: node))
            return false
        }
        if let nested = RegexCheck.nestedRepeat(in: pattern) {
            var warning = document.error("regex '\(pattern)' nests repeats in '\(nested)', which can take exponential time "
                                         + "on an answer that almost matches (matching stops after "
                                         + "\(NumberText.format(RegexMatch.timeLimit)) s, a grader error); an atomic group "
                                         + "(?>...) or a possessive quantifier like x++ avoids it", at: node)
            warning.severity = .warning
            log.add(warning)
        }
        return true
    }
}
