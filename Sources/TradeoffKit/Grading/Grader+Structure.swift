/// Structure graders: `json-valid`, `json-schema`, `json-path` (with `extract: json`).
extension Grader {
    func checkJSON(_ answer: String, variables: [String: String]) -> Check {
        let json: JSONAnswer
        switch JSONAnswer.read(answer, extract: spec.extractJSON) {
        case .success(let read): json = read
        case .failure(let failure): return Check(false, failure.reason)
        }
        switch spec.kind {
        case .jsonValid:
            return Check(true, "valid JSON\(json.originPhrase)")

        case .jsonSchema(let schema):
            let violations = schema.violations(of: json.value)
            guard let first = violations.first else { return Check(true, "matches the schema\(json.originPhrase)") }
            let more = violations.count > 1 ? " (and \(violations.count - 1) more)" : ""
            return Check(false, "\(first)\(more)\(json.originPhrase)")

        case .jsonPath(let path, let check):
            guard let value = path.resolve(in: json.value) else {
                return Check(false, "no value at \(path)\(json.originPhrase)")
            }
            let shown = Self.quotedJSON(value)
            switch check {
            case .exists:
                return Check(true, "\(path) is \(shown)\(json.originPhrase)", extracted: value.compactText)
            case .equals(let template):
                let expected = template.render(variables)
                return Self.equals(value, expected)
                    ? Check(true, "\(path) is \(shown), as expected\(json.originPhrase)", extracted: value.compactText)
                    : Check(false, "\(path) is \(shown), expected \(Self.quoted(expected))\(json.originPhrase)",
                            extracted: value.compactText)
            case .contains(let template):
                let expected = template.render(variables)
                let found: Bool
                switch value {
                case .string(let text): found = text.contains(expected)
                case .array(let items): found = items.contains { Self.equals($0, expected) }
                default:
                    return Check(false, "\(path) is \(shown), not a string or an array\(json.originPhrase)")
                }
                return Check(found, "\(path) \(found ? "contains" : "does not contain") \(Self.quoted(expected))"
                                    + json.originPhrase, extracted: value.compactText)
            }

        default:
            return .error("not a JSON grader")
        }
    }

    /// Whether a JSON value equals an expected value written as text: a string by its text, a
    /// number by value (`31` equals `31.0`), booleans and null by their JSON words, arrays and
    /// objects by the JSON the text parses to.
    static func equals(_ value: JSONValue, _ expected: String) -> Bool {
        switch value {
        case .string(let text):
            return text == expected
        case .integer, .number:
            guard let want = NumberText.exact(expected)?.value, let got = value.numericValue else { return false }
            return abs(got - want) <= 1e-9 * max(1, abs(want))
        case .bool(let flag):
            return expected.trimmingCharacters(in: .whitespaces) == (flag ? "true" : "false")
        case .null:
            return expected.trimmingCharacters(in: .whitespaces) == "null"
        case .array, .object:
            guard let parsed = try? JSONTree.value(in: expected) else { return false }
            return parsed.jsonValue.jsonEquals(value)
        }
    }

    private static func quotedJSON(_ value: JSONValue) -> String {
        let text = value.compactText
        return text.count > 60 ? String(text.prefix(57)) + "..." : text
    }
}
