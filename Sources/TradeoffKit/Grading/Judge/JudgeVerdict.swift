/// A judge's verdict read from its reply.
///
/// The verdict is the last JSON object in the reply that has the scale's key — `"pass"` (true
/// or false; `"pass"`/`"fail"` and `"yes"`/`"no"` strings are accepted) or `"score"` (a number,
/// or a number in a string, within the scale) — so prose, code fences and examples before it do
/// not matter. The reasoning is its `"reasoning"` (or `"reason"`, `"explanation"`) string,
/// else the text before the JSON.
public struct JudgeVerdict: Sendable, Hashable {
    /// The verdict mapped to 0...1.
    public var score: Double
    /// The verdict as the judge gave it: `pass`, `fail`, `4/5`.
    public var given: String
    /// Why, in the judge's words (at most 500 characters).
    public var reasoning: String

    /// Reads the verdict in `reply` on `scale`.
    ///
    /// - Returns: The verdict, or why there is none (`no JSON verdict in the reply`, `score 7 is
    ///   outside the scale 1-5`).
    public static func parse(_ reply: String, scale: JudgeScale) -> Result<JudgeVerdict, JudgeVerdictProblem> {
        let key = scale == .passFail ? "pass" : "score"
        let objects = jsonObjects(in: reply)
        guard let (members, start) = objects.last(where: { members, _ in
            members[key] != nil || (scale == .passFail && members["passed"] != nil)
        }) else {
            if let (members, _) = objects.last {
                let keys = members.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")
                return .failure(JudgeVerdictProblem(message: "the JSON has no '\(key)' (it has \(keys.isEmpty ? "no keys" : keys))"))
            }
            return .failure(JudgeVerdictProblem(message: "no JSON verdict in the reply"))
        }
        var reasoning = ""
        for name in ["reasoning", "reason", "explanation"] {
            if case .string(let text)? = members[name] { reasoning = text; break }
        }
        if reasoning.isEmpty {
            reasoning = String(reply[..<start]).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if reasoning.count > 500 { reasoning = String(reasoning.prefix(497)) + "..." }

        switch scale {
        case .passFail:
            let value = members["pass"] ?? members["passed"]!
            let passed: Bool
            switch value {
            case .bool(let flag): passed = flag
            case .string(let text) where ["pass", "true", "yes"].contains(text.lowercased()): passed = true
            case .string(let text) where ["fail", "false", "no"].contains(text.lowercased()): passed = false
            default:
                return .failure(JudgeVerdictProblem(message: "'pass' is \(value.compactText); expected true or false"))
            }
            return .success(JudgeVerdict(score: passed ? 1 : 0, given: passed ? "pass" : "fail", reasoning: reasoning))
        case .range(let low, let high):
            let value = members["score"]!
            var number = value.numericValue
            if case .string(let text) = value { number = NumberText.exact(text)?.value }
            guard let number else {
                return .failure(JudgeVerdictProblem(message: "'score' is \(value.compactText); expected a number from "
                                                    + "\(low) to \(high)"))
            }
            guard number >= Double(low), number <= Double(high) else {
                return .failure(JudgeVerdictProblem(message: "score \(NumberText.format(number)) is outside the scale "
                                                    + "\(low)-\(high)"))
            }
            return .success(JudgeVerdict(score: (number - Double(low)) / Double(high - low),
                                         given: "\(NumberText.format(number))/\(high)", reasoning: reasoning))
        }
    }

    /// Every JSON object in `text` that parses, outermost ones, in order, with where each starts.
    static func jsonObjects(in text: String) -> [(members: [String: JSONValue], start: String.Index)] {
        var found: [(members: [String: JSONValue], start: String.Index)] = []
        var index = text.startIndex
        while let open = text[index...].firstIndex(of: "{") {
            if let (value, end) = object(in: text, from: open), case .object(let members) = value {
                found.append((members, open))
                index = end
            } else {
                index = text.index(after: open)
            }
        }
        return found
    }

    /// The object starting at `start` and the index after it, when it is complete JSON.
    private static func object(in text: String, from start: String.Index) -> (JSONValue, String.Index)? {
        var depth = 0
        var inString = false
        var escaped = false
        var index = start
        while index < text.endIndex {
            let character = text[index]
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
            } else if character == "\"" {
                inString = true
            } else if character == "{" {
                depth += 1
            } else if character == "}" {
                depth -= 1
                if depth == 0 {
                    let end = text.index(after: index)
                    guard let parsed = try? JSONTree.value(in: String(text[start..<end])) else { return nil }
                    return (parsed.jsonValue, end)
                }
            }
            index = text.index(after: index)
        }
        return nil
    }
}

/// Why a judge's reply holds no verdict.
public struct JudgeVerdictProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// `no JSON verdict in the reply`, `score 7 is outside the scale 1-5`.
    public var message: String
    /// The message.
    public var description: String { message }
}
