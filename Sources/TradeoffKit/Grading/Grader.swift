import Foundation

/// Scores answers for one grader spec. Regexes are compiled once, when the grader is made.
public struct Grader: Sendable {
    public let spec: GraderSpec
    private let regex: NSRegularExpression?

    /// Makes a grader; throws when the spec's regex does not compile (loading checks this first).
    public init(_ spec: GraderSpec) throws {
        self.spec = spec
        if case .regex(let pattern, let ignoreCase) = spec.kind {
            regex = try NSRegularExpression(pattern: pattern, options: ignoreCase ? [.caseInsensitive] : [])
        } else {
            regex = nil
        }
    }

    /// Scores `answer` for a case with `variables` (which fill the spec's templates).
    public func grade(_ answer: String, variables: [String: String]) -> GraderOutcome {
        let (passed, reason) = check(answer, variables: variables)
        return GraderOutcome(type: spec.typeName, score: passed ? 1 : 0, weight: spec.weight, reason: reason)
    }

    private func check(_ answer: String, variables: [String: String]) -> (Bool, String) {
        switch spec.kind {
        case .exact(let expected, let normalize):
            let want = Self.normalized(expected.render(variables), normalize)
            let got = Self.normalized(answer, normalize)
            let how = normalize.isEmpty ? "" : " after \(normalize.map(\.rawValue).joined(separator: "/"))"
            return got == want
                ? (true, "matches \(Self.quoted(want))\(how)")
                : (false, "expected \(Self.quoted(want)), got \(Self.quoted(got))\(how)")
        case .contains(let value, let ignoreCase):
            let needle = value.render(variables)
            let found = Self.contains(answer, needle, ignoreCase: ignoreCase)
            return (found, found ? "contains \(Self.quoted(needle))" : "does not contain \(Self.quoted(needle))")
        case .notContains(let value, let ignoreCase):
            let needle = value.render(variables)
            let found = Self.contains(answer, needle, ignoreCase: ignoreCase)
            return (!found, found ? "contains \(Self.quoted(needle)), which it must not" : "does not contain \(Self.quoted(needle))")
        case .regex(let pattern, _):
            let range = NSRange(answer.startIndex..., in: answer)
            guard let match = regex?.firstMatch(in: answer, range: range), let matched = Range(match.range, in: answer) else {
                return (false, "no match for /\(pattern)/")
            }
            return (true, "/\(pattern)/ matched \(Self.quoted(String(answer[matched])))")
        case .jsonValid:
            let text = answer.trimmingCharacters(in: .whitespacesAndNewlines)
            do {
                _ = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
                return (true, "valid JSON")
            } catch {
                return (false, "not valid JSON: \(Self.quoted(text))")
            }
        }
    }

    /// Applies `normalizations` in order.
    public static func normalized(_ text: String, _ normalizations: [Normalization]) -> String {
        normalizations.reduce(text) { text, normalization in
            switch normalization {
            case .trim:
                text.trimmingCharacters(in: .whitespacesAndNewlines)
            case .lowercase:
                text.lowercased()
            case .collapseWhitespace:
                text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            }
        }
    }

    private static func contains(_ text: String, _ needle: String, ignoreCase: Bool) -> Bool {
        ignoreCase ? text.range(of: needle, options: [.caseInsensitive]) != nil : text.contains(needle)
    }

    /// Quotes a value for a reason, cut to 60 characters so stored reasons stay short.
    static func quoted(_ text: String) -> String {
        let cut = text.count > 60 ? String(text.prefix(57)) + "..." : text
        return "'" + cut.replacingOccurrences(of: "\n", with: "\\n") + "'"
    }
}

/// The graders of one case, ready to score answers.
public struct CaseGrader: Sendable {
    private let graders: [Grader]
    private let threshold: Double

    /// Makes the graders for `testCase` of `task`: the task's, then the case's own.
    public init(task: SuiteTask, testCase: TestCase) throws {
        graders = try (task.graders + testCase.graders).map(Grader.init)
        threshold = task.settings.threshold
    }

    /// Grades one answer.
    public func grade(_ answer: String, variables: [String: String]) -> CaseGrade {
        CaseGrade(outcomes: graders.map { $0.grade(answer, variables: variables) }, threshold: threshold)
    }
}
