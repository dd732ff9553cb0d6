import Foundation

/// promptfoo assertions as Tradeoff graders. Deterministic ones map one to one (`equals` →
/// `exact`, `contains`/`icontains` → `contains`, `regex`, `starts-with`, `contains-any`/`-all`,
/// `is-json` → `json-valid` or `json-schema`, `contains-json` → the same with `extract: true`);
/// `llm-rubric` becomes a `judge`; `similar` becomes `similarity` (text, not embeddings: said in
/// the skipped list); a `not-` prefix becomes `not: true`; `weight` and `metric` are kept.
/// Code (`javascript`, `python`, `webhook`) and model-graded checks without a counterpart are
/// listed as skipped.
extension PromptfooImport {
    /// The graders of an `assert` list, each as a YAML flow mapping.
    mutating func graders(_ value: JSONValue?, place: String, judge: String) -> [String] {
        guard case .array(let items)? = value else { return [] }
        var graders: [String] = []
        for (index, item) in items.enumerated() {
            let where_ = "\(place)[\(index)]"
            let assertion: [String: JSONValue]
            switch item {
            case .string(let shorthand): assertion = Self.shorthand(shorthand)
            case .object(let members): assertion = members
            default:
                skipped.append(Skipped(place: where_, reason: "an assertion is a mapping with 'type'"))
                continue
            }
            if let grader = grader(assertion, place: where_, judge: judge) { graders.append(Self.flow(.object(grader))) }
        }
        return graders
    }

    /// A CSV `__expected` cell: `contains: x`, `icontains: x`, `regex: x`, `is-json`,
    /// `grade: rubric` (llm-rubric), `similar: x`, `fn:`/`javascript:` (code); plain text is `equals`.
    static func shorthand(_ text: String) -> [String: JSONValue] {
        let prefixes: [(String, String)] = [("contains-any:", "contains-any"), ("contains-all:", "contains-all"),
                                            ("icontains-any:", "icontains-any"), ("icontains-all:", "icontains-all"),
                                            ("icontains:", "icontains"), ("contains:", "contains"),
                                            ("not-contains:", "not-contains"), ("starts-with:", "starts-with"),
                                            ("regex:", "regex"), ("grade:", "llm-rubric"), ("llm-rubric:", "llm-rubric"),
                                            ("similar:", "similar"), ("equals:", "equals"), ("fn:", "javascript"),
                                            ("javascript:", "javascript"), ("eval:", "javascript"), ("python:", "python")]
        if text == "is-json" || text == "contains-json" { return ["type": .string(text)] }
        for (prefix, type) in prefixes where text.hasPrefix(prefix) {
            let value = text.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
            if type.hasSuffix("-any") || type.hasSuffix("-all") {
                return ["type": .string(type), "value": .array(value.split(separator: ",").map {
                    .string($0.trimmingCharacters(in: .whitespaces)) })]
            }
            return ["type": .string(type), "value": .string(value)]
        }
        return ["type": .string("equals"), "value": .string(text)]
    }

    private mutating func grader(_ assertion: [String: JSONValue], place: String, judge: String) -> [String: JSONValue]? {
        guard var type = assertion["type"]?.scalarText else {
            skipped.append(Skipped(place: place, reason: "an assertion needs 'type'"))
            return nil
        }
        var negated = false
        if type.hasPrefix("not-") && type != "not-contains" {
            negated = true
            type.removeFirst(4)
        }
        let value = assertion["value"]
        if let text = value?.scalarText, text.hasPrefix("file://") {
            skipped.append(Skipped(place: place, reason: "'\(type)' reads its value from '\(text)'; paste the value"))
            return nil
        }
        var grader: [String: JSONValue]
        func text(_ key: String) -> Bool {
            guard let text = value?.scalarText else {
                skipped.append(Skipped(place: place, reason: "'\(type)' needs a text 'value'"))
                return false
            }
            grader[key] = .string(Self.template(text) ?? text)
            return true
        }
        func list() -> Bool {
            guard case .array(let items)? = value, items.allSatisfy({ $0.scalarText != nil }) else {
                skipped.append(Skipped(place: place, reason: "'\(type)' needs a list of texts as 'value'"))
                return false
            }
            grader["values"] = .array(items.map { .string($0.scalarText ?? "") })
            return true
        }
        switch type {
        case "equals":
            grader = ["type": .string("exact")]
            if case .object? = value {
                skipped.append(Skipped(place: place, reason: "'equals' with a JSON value became 'exact' on its text; "
                                       + "a 'json-path' grader compares JSON by value"))
                grader["expected"] = .string(value.map(Self.flow) ?? "")
            } else if !text("expected") { return nil }
        case "contains", "icontains", "starts-with", "not-contains":
            grader = ["type": .string(type == "icontains" ? "contains" : type)]
            if type == "icontains" { grader["ignore_case"] = .bool(true) }
            guard text("value") else { return nil }
        case "contains-any", "contains-all", "icontains-any", "icontains-all":
            grader = ["type": .string(type.hasPrefix("i") ? String(type.dropFirst()) : type)]
            if type.hasPrefix("i") { grader["ignore_case"] = .bool(true) }
            guard list() else { return nil }
        case "regex":
            grader = ["type": .string("regex")]
            guard text("pattern") else { return nil }
        case "is-json", "contains-json":
            grader = ["type": .string(value == nil ? "json-valid" : "json-schema")]
            if type == "contains-json" { grader["extract"] = .string("json") }
            if let value {
                guard case .object = value else {
                    skipped.append(Skipped(place: place, reason: "'\(type)' takes a JSON Schema mapping as 'value'"))
                    return nil
                }
                grader["schema"] = value
            }
        case "llm-rubric", "model-graded-closedqa", "g-eval":
            grader = ["type": .string("judge"), "model": .string(judge)]
            guard text("rubric") else { return nil }
            if type != "llm-rubric" {
                skipped.append(Skipped(place: place, reason: "'\(type)' became a judge with the same rubric; its own "
                                       + "prompt is not kept"))
            }
        case "similar":
            grader = ["type": .string("similarity"), "threshold": .number(assertion["threshold"]?.numericValue ?? 0.75)]
            if case .array(let items)? = value {
                grader["references"] = .array(items)
            } else if !text("expected") { return nil }
            skipped.append(Skipped(place: place, reason: "'similar' compares embeddings in promptfoo; Tradeoff's "
                                   + "'similarity' compares the text (check the threshold)"))
        case "javascript", "python", "webhook", "ruby":
            skipped.append(Skipped(place: place, reason: "'\(type)' runs code; rewrite it as a 'command' grader "
                                   + "(a script reading the answer as JSON on stdin)"))
            return nil
        case "cost", "latency":
            skipped.append(Skipped(place: place, reason: "Tradeoff measures \(type) for every call; use a gate "
                                   + "(run --gate) rather than an assertion"))
            return nil
        default:
            skipped.append(Skipped(place: place, reason: "assertion type '\(type)' has no Tradeoff grader"))
            return nil
        }
        if let threshold = assertion["threshold"]?.numericValue, type == "llm-rubric" {
            grader["threshold"] = .number(threshold)
        }
        if let weight = assertion["weight"]?.numericValue { grader["weight"] = .number(weight) }
        if let metric = assertion["metric"]?.scalarText { grader["metric"] = .string(metric) }
        if negated { grader["not"] = .bool(true) }
        return grader
    }

    /// `value` as a one-line YAML flow value (keys sorted, strings double-quoted).
    static func flow(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): quoted(text)
        case .integer(let number): String(number)
        case .number(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case .bool(let flag): String(flag)
        case .null: "null"
        case .array(let items): "[" + items.map(flow).joined(separator: ", ") + "]"
        case .object(let members):
            "{" + members.keys.sorted { Self.keyOrder($0) < Self.keyOrder($1) }
                .map { key in
                    let name = key.wholeMatch(of: /[A-Za-z_][A-Za-z0-9_]*/) != nil ? key : quoted(key)
                    return "\(name): \(flow(members[key] ?? .null))"
                }.joined(separator: ", ") + "}"
        }
    }

    /// `type` first, then the rest alphabetically, as a person would write a grader.
    private static func keyOrder(_ key: String) -> String { key == "type" ? "" : key }
}
