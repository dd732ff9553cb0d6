import Foundation

/// An answer read as JSON: the whole trimmed answer, or with `extract: json` the JSON found in
/// it — a fenced code block, or the first complete object or array after some prose.
struct JSONAnswer {
    /// The value, numbers as `.integer` when whole and in range, else `.number`.
    var value: JSONValue
    /// The JSON text that was parsed.
    var text: String
    /// Where it was found, for reasons: nil for the whole answer, else `a ```json block` or
    /// `the answer at character 24`.
    var origin: String?

    /// ` (from a ```json block)`, or nothing for the whole answer.
    var originPhrase: String { origin.map { " (from \($0))" } ?? "" }

    /// Reads `answer` as JSON.
    ///
    /// - Returns: The value, or the reason it is not JSON, ready for a grader's reason.
    static func read(_ answer: String, extract: Bool) -> Result<JSONAnswer, JSONAnswerFailure> {
        let trimmed = answer.trimmingCharacters(in: .whitespacesAndNewlines)
        let problem: String
        do {
            let parsed = try JSONTree.value(in: trimmed)
            return .success(JSONAnswer(value: parsed.jsonValue, text: trimmed, origin: nil))
        } catch {
            problem = error.line == 1 ? "\(error.message) at character \(error.column)"
                : "\(error.message) at line \(error.line), character \(error.column)"
        }
        guard extract else {
            return .failure(JSONAnswerFailure(reason: "not valid JSON (\(problem)): \(Grader.quoted(trimmed))"))
        }
        for block in fencedBlocks(in: answer) {
            let content = block.content.trimmingCharacters(in: .whitespacesAndNewlines)
            if let parsed = try? JSONTree.value(in: content) {
                return .success(JSONAnswer(value: parsed.jsonValue, text: content, origin: block.label))
            }
        }
        if let (parsed, text, offset) = firstEmbeddedValue(in: answer) {
            return .success(JSONAnswer(value: parsed.jsonValue, text: text, origin: "the answer at character \(offset + 1)"))
        }
        return .failure(JSONAnswerFailure(reason: "no JSON object or array found in the answer: \(Grader.quoted(trimmed))"))
    }

    /// Fenced code blocks (```` ```json ... ``` ````), in order.
    static func fencedBlocks(in text: String) -> [(label: String, content: String)] {
        text.matches(of: /```([A-Za-z0-9_+-]*)[ \t]*\n?((?s).*?)```/).map { match in
            let language = String(match.output.1)
            return (language.isEmpty ? "a code block" : "a ```\(language) block", String(match.output.2))
        }
    }

    /// The first `{` or `[` from which a complete JSON value parses, its text and its character offset.
    static func firstEmbeddedValue(in text: String) -> (JSONTree.Node, String, Int)? {
        let characters = Array(text)
        for start in characters.indices where characters[start] == "{" || characters[start] == "[" {
            guard let end = balancedEnd(characters, from: start) else { continue }
            let candidate = String(characters[start...end])
            if let parsed = try? JSONTree.value(in: candidate) { return (parsed, candidate, start) }
        }
        return nil
    }

    /// The index of the bracket closing the one at `start`, skipping strings; nil when unbalanced.
    private static func balancedEnd(_ characters: [Character], from start: Int) -> Int? {
        var depth = 0
        var inString = false
        var escaped = false
        for index in start..<characters.count {
            let character = characters[index]
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
                continue
            }
            switch character {
            case "\"": inString = true
            case "{", "[": depth += 1
            case "}", "]":
                depth -= 1
                if depth == 0 { return index }
            default: break
            }
        }
        return nil
    }
}

/// Why an answer could not be read as JSON, phrased as a grader's reason.
struct JSONAnswerFailure: Error {
    var reason: String
}

extension JSONValue {
    /// A JSON number from its text: `.integer` when it is a whole number written without a
    /// fraction or exponent and fits in `Int`, else `.number`.
    static func parsedNumber(_ text: String) -> JSONValue {
        if let integer = Int(text) { return .integer(integer) }
        return .number(Double(text) ?? .nan)
    }

    /// The value as a Double when it is a number.
    var numericValue: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .number(let value): value
        default: nil
        }
    }

    /// JSON equality: numbers compare by value (`1` equals `1.0`), the rest structurally.
    func jsonEquals(_ other: JSONValue) -> Bool {
        switch (self, other) {
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.jsonEquals($1) }
        case (.object(let a), .object(let b)):
            return a.count == b.count && a.allSatisfy { key, value in b[key].map { value.jsonEquals($0) } ?? false }
        default:
            if let x = numericValue, let y = other.numericValue { return x == y }
            return self == other
        }
    }

    /// Compact JSON text, keys sorted, for reasons.
    var compactText: String {
        switch self {
        case .string(let text): JSONTree.Node.quoted(text)
        case .integer(let value): String(value)
        case .number(let value): NumberText.format(value)
        case .bool(let flag): flag ? "true" : "false"
        case .null: "null"
        case .array(let items): "[" + items.map(\.compactText).joined(separator: ",") + "]"
        case .object(let members):
            "{" + members.keys.sorted().map { JSONTree.Node.quoted($0) + ":" + members[$0]!.compactText }
                .joined(separator: ",") + "}"
        }
    }

    /// The JSON type name: `string`, `integer`, `number`, `boolean`, `null`, `array`, `object`.
    var typeName: String {
        switch self {
        case .string: "string"
        case .integer: "integer"
        case .number(let value): value == value.rounded() && value.isFinite ? "integer" : "number"
        case .bool: "boolean"
        case .null: "null"
        case .array: "array"
        case .object: "object"
        }
    }
}
