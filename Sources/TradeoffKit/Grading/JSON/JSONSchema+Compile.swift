import Foundation

/// A schema as written — inline YAML or a JSON file — with each value's position, so a wrong
/// keyword is reported where it is.
struct SchemaSource {
    enum Value {
        case object([(key: String, keyPosition: Position?, value: SchemaSource)])
        case array([SchemaSource])
        case string(String)
        /// A number as written.
        case number(String)
        case bool(Bool)
        case null
    }

    /// A 1-based line and column.
    struct Position {
        var line: Int
        var column: Int
    }

    var value: Value
    var position: Position?

    /// The value without positions.
    var json: JSONValue {
        switch value {
        case .object(let members):
            .object(Dictionary(members.map { ($0.key, $0.value.json) }, uniquingKeysWith: { $1 }))
        case .array(let items): .array(items.map(\.json))
        case .string(let text): .string(text)
        case .number(let text): JSONValue.parsedNumber(text)
        case .bool(let flag): .bool(flag)
        case .null: .null
        }
    }

    /// How the value reads in "got ..." messages.
    var kind: String {
        switch value {
        case .object: "a mapping"
        case .array(let items): items.isEmpty ? "an empty list" : "a list"
        case .string(let text): "'\(text)'"
        case .number(let text): text
        case .bool(let flag): String(flag)
        case .null: "null"
        }
    }
}

extension SchemaSource {
    /// A JSON file's node as schema source.
    init(_ node: JSONTree.Node) {
        let position = Position(line: node.line, column: node.column)
        switch node.value {
        case .object(let members):
            self.init(value: .object(members.map { ($0.key, Position(line: $0.keyLine, column: $0.keyColumn), SchemaSource($0.value)) }),
                      position: position)
        case .array(let items): self.init(value: .array(items.map(SchemaSource.init)), position: position)
        case .string(let text): self.init(value: .string(text), position: position)
        case .number(let text): self.init(value: .number(text), position: position)
        case .bool(let flag): self.init(value: .bool(flag), position: position)
        case .null: self.init(value: .null, position: position)
        }
    }
}

/// A problem in a schema, at its position.
struct SchemaProblem {
    var message: String
    var position: SchemaSource.Position?
}

extension JSONSchema {
    /// Which keywords a schema may use.
    enum Dialect {
        /// A `json-schema` grader's schema: the documented subset, nothing more.
        case grader
        /// A schema document of the repository's `schemas/`: also `$defs` and `$ref` to them,
        /// and only patterns without nested repeats, so checking a file stays fast.
        case document
    }

    /// Compiles `source`; every problem is appended to `problems` (compilation goes on, so one
    /// pass finds them all). The result is meaningful only when no problem was added.
    static func compile(_ source: SchemaSource, problems: inout [SchemaProblem], dialect: Dialect = .grader) -> JSONSchema {
        switch source.value {
        case .bool(let flag):
            return .boolean(flag)
        case .object(let members):
            var rules = Rules()
            for (key, keyPosition, value) in members {
                compile(key, value, into: &rules, problems: &problems, at: keyPosition, dialect: dialect)
            }
            return .rules(rules)
        default:
            problems.append(SchemaProblem(message: "a schema must be a mapping of keywords or true/false, got \(source.kind)",
                                          position: source.position))
            return .boolean(true)
        }
    }

    private static func compile(_ key: String, _ value: SchemaSource, into rules: inout Rules,
                                problems: inout [SchemaProblem], at keyPosition: SchemaSource.Position?,
                                dialect: Dialect) {
        func problem(_ message: String) { problems.append(SchemaProblem(message: message, position: value.position)) }
        func number() -> Double? {
            guard case .number(let text) = value.value, let number = Double(text) else {
                problem("'\(key)' must be a number, got \(value.kind)")
                return nil
            }
            return number
        }
        func count() -> Int? {
            guard case .number(let text) = value.value, let count = Int(text), count >= 0 else {
                problem("'\(key)' must be a whole number of at least 0, got \(value.kind)")
                return nil
            }
            return count
        }
        func schemas() -> [JSONSchema] {
            guard case .array(let items) = value.value, !items.isEmpty else {
                problem("'\(key)' must be a non-empty list of schemas, got \(value.kind)")
                return []
            }
            return items.map { compile($0, problems: &problems, dialect: dialect) }
        }

        switch key {
        case "type":
            let names: [SchemaSource]
            if case .array(let items) = value.value { names = items } else { names = [value] }
            var types: [String] = []
            for name in names {
                guard case .string(let text) = name.value, typeNames.contains(text) else {
                    let got = name.kind
                    let hint: String
                    if case .string(let text) = name.value { hint = Suggestions.hint(for: text, among: typeNames) }
                    else { hint = " (expected \(Suggestions.list(typeNames)))" }
                    problems.append(SchemaProblem(message: "unknown JSON Schema type \(got)\(hint)",
                                                  position: name.position))
                    continue
                }
                types.append(text)
            }
            rules.types = types
        case "properties":
            guard case .object(let members) = value.value else {
                problem("'properties' must be a mapping of property names to schemas, got \(value.kind)")
                return
            }
            for member in members { rules.properties[member.key] = compile(member.value, problems: &problems, dialect: dialect) }
        case "required":
            guard case .array(let items) = value.value else {
                problem("'required' must be a list of property names, got \(value.kind)")
                return
            }
            for item in items {
                guard case .string(let name) = item.value else {
                    problems.append(SchemaProblem(message: "'required' must list property names, got \(item.kind)",
                                                  position: item.position))
                    continue
                }
                rules.required.append(name)
            }
        case "additionalProperties": rules.additionalProperties = compile(value, problems: &problems, dialect: dialect)
        case "items":
            if case .array = value.value {
                problem("'items' must be one schema for every element (a list of schemas is not supported)")
                return
            }
            rules.items = compile(value, problems: &problems, dialect: dialect)
        case "enum":
            guard case .array(let items) = value.value, !items.isEmpty else {
                problem("'enum' must be a non-empty list of values, got \(value.kind)")
                return
            }
            rules.enumValues = items.map(\.json)
        case "const": rules.constValue = value.json
        case "minimum": rules.minimum = number()
        case "maximum": rules.maximum = number()
        case "exclusiveMinimum": rules.exclusiveMinimum = number()
        case "exclusiveMaximum": rules.exclusiveMaximum = number()
        case "minLength": rules.minLength = count()
        case "maxLength": rules.maxLength = count()
        case "minItems": rules.minItems = count()
        case "maxItems": rules.maxItems = count()
        case "pattern":
            guard case .string(let pattern) = value.value else {
                problem("'pattern' must be a regular expression, got \(value.kind)")
                return
            }
            if let failure = RegexCheck.problem(pattern) {
                problem("invalid regex '\(pattern)' in 'pattern': \(failure)")
                return
            }
            if dialect == .document, let nested = RegexCheck.nestedRepeat(in: pattern) {
                problem("'pattern' nests repeats in '\(nested)', which can take exponential time")
                return
            }
            rules.pattern = pattern
        case "anyOf": rules.anyOf = schemas()
        case "oneOf": rules.oneOf = schemas()
        case "allOf": rules.allOf = schemas()
        case "not": rules.not = compile(value, problems: &problems, dialect: dialect)
        case "$ref" where dialect == .document:
            let prefix = "#/$defs/"
            guard case .string(let target) = value.value, target.hasPrefix(prefix),
                  !target.dropFirst(prefix.count).isEmpty, !target.dropFirst(prefix.count).contains("/") else {
                problem("'$ref' must name a schema of the root's '$defs', like '#/$defs/name', got \(value.kind)")
                return
            }
            rules.reference = String(target.dropFirst(prefix.count))
        case "$defs" where dialect == .document:
            guard case .object(let members) = value.value else {
                problem("'$defs' must be a mapping of names to schemas, got \(value.kind)")
                return
            }
            for member in members {
                rules.definitions[member.key] = compile(member.value, problems: &problems, dialect: dialect)
            }
        default:
            guard !annotations.contains(key) else { return }
            let hint = Suggestions.closest(to: key, among: keywords + annotations).map { " (did you mean '\($0)'?)" }
                ?? "; supported: \(keywords.joined(separator: ", "))"
            problems.append(SchemaProblem(message: "unsupported JSON Schema keyword '\(key)'\(hint)", position: keyPosition))
        }
    }
}

/// Whether a pattern compiles with NSRegularExpression, the graders' engine.
enum RegexCheck {
    /// Why `pattern` does not compile; nil when it does.
    ///
    /// Foundation on Linux only says "The value is invalid", so Swift's regex parser is asked
    /// first: it names the problem ("expected ')'").
    static func problem(_ pattern: String, options: NSRegularExpression.Options = []) -> String? {
        do {
            _ = try NSRegularExpression(pattern: pattern, options: options)
            return nil
        } catch {
            do {
                _ = try Regex(pattern)
            } catch {
                return String(describing: error)
            }
            let error = error as NSError
            return error.localizedFailureReason ?? error.localizedDescription
        }
    }
}
