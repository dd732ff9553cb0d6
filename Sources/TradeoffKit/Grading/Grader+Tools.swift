/// Tool graders: `tool-call`, `no-tool-call`, `tool-call-count`. They grade the calls of the
/// model's first response (single turn: no tool is run and nothing is sent back).
extension Grader {
    func checkTools(_ calls: [ToolCall], variables: [String: String]) -> Check {
        switch spec.kind {
        case .toolCall(let check):
            return checkToolCall(check, calls: calls, variables: variables)
        case .noToolCall(let template):
            let name = template?.render(variables)
            let matching = calls.filter { name == nil || $0.name == name }
            guard !matching.isEmpty else {
                return Check(true, name.map { "did not call '\($0)'" } ?? "called no tool")
            }
            return Check(false, "called " + Self.names(matching), extracted: matching.first?.name)
        case .toolCallCount(let template, let minimum, let maximum):
            let name = template?.render(variables)
            let count = calls.filter { name == nil || $0.name == name }.count
            let what = "\(count) call\(count == 1 ? "" : "s")" + (name.map { " of '\($0)'" } ?? "")
            let bounds = [minimum.map { "at least \($0)" }, maximum.map { "at most \($0)" }].compactMap { $0 }
                .joined(separator: " and ")
            let passed = count >= (minimum ?? 0) && count <= (maximum ?? .max)
            return Check(passed, "\(what)\(passed ? "" : ", expected \(bounds)")", extracted: String(count))
        default:
            return .error("not a tool grader")
        }
    }

    /// Passes when some call of the tool has arguments that pass; the reason tells the first
    /// failure otherwise.
    private func checkToolCall(_ check: ToolCallCheck, calls: [ToolCall], variables: [String: String]) -> Check {
        let name = check.name?.render(variables)
        guard !calls.isEmpty else { return Check(false, "called no tool" + (name.map { ", expected '\($0)'" } ?? "")) }
        let candidates = calls.filter { name == nil || $0.name == name }
        guard !candidates.isEmpty, let first = candidates.first else {
            return Check(false, "called \(Self.names(calls)), not '\(name ?? "")'", extracted: calls.first?.name)
        }
        var failure: String?
        for call in candidates {
            let verdict = argumentsVerdict(check.arguments, of: call, variables: variables)
            if verdict.passed {
                return Check(true, "called '\(call.name)'" + (verdict.reason.isEmpty ? "" : " with \(verdict.reason)"),
                             extracted: call.arguments)
            }
            if failure == nil { failure = verdict.reason }
        }
        let more = candidates.count > 1 ? " (and \(candidates.count - 1) other call\(candidates.count == 2 ? "" : "s"))" : ""
        return Check(false, "called '\(first.name)' but \(failure ?? "its arguments did not pass")\(more)",
                     extracted: first.arguments)
    }

    /// Whether one call's arguments pass, and why (empty when there is no check).
    private func argumentsVerdict(_ arguments: ToolCallCheck.Arguments, of call: ToolCall,
                                  variables: [String: String]) -> (passed: Bool, reason: String) {
        if case .any = arguments { return (true, "") }
        guard let parsed = try? JSONTree.value(in: call.arguments) else {
            return (false, "its arguments are not JSON: \(Self.quoted(call.arguments))")
        }
        let value = parsed.jsonValue
        switch arguments {
        case .any:
            return (true, "")
        case .schema(let schema):
            let violations = schema.violations(of: value)
            guard let problem = violations.first else { return (true, "arguments matching the schema") }
            return (false, "its arguments do not match the schema: \(problem)"
                        + (violations.count > 1 ? " (and \(violations.count - 1) more)" : ""))
        case .path(let path, let check):
            guard let found = path.resolve(in: value) else { return (false, "its arguments have no value at \(path)") }
            switch check {
            case .exists:
                return (true, "\(path) = \(found.compactText)")
            case .equals(let template):
                let expected = template.render(variables)
                return Self.equals(found, expected) ? (true, "\(path) = \(found.compactText)")
                    : (false, "\(path) is \(found.compactText), expected \(Self.quoted(expected))")
            case .contains(let template):
                let expected = template.render(variables)
                let contained: Bool = switch found {
                case .string(let text): text.contains(expected)
                case .array(let items): items.contains { Self.equals($0, expected) }
                default: false
                }
                return contained ? (true, "\(path) containing \(Self.quoted(expected))")
                    : (false, "\(path) is \(found.compactText), which does not contain \(Self.quoted(expected))")
            }
        case .exactly(let expected):
            return value.jsonEquals(expected) ? (true, "the expected arguments")
                : (false, "its arguments are \(Self.quoted(value.compactText)), expected \(Self.quoted(expected.compactText))")
        }
    }

    /// `'a' and 'b'`: the tools called, in order, each once.
    private static func names(_ calls: [ToolCall]) -> String {
        var seen: [String] = []
        for call in calls where !seen.contains(call.name) { seen.append(call.name) }
        return Suggestions.list(seen.map { "'\($0)'" }, conjunction: "and")
    }
}
