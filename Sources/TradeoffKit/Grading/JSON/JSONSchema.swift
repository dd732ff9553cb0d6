import Foundation

/// A JSON Schema, for the `json-schema` grader: the subset of draft 2020-12 that checks the
/// shape of an answer.
///
/// Supported keywords: `type` (a name or a list), `properties`, `required`,
/// `additionalProperties` (a boolean or a schema), `items` (one schema for every element),
/// `enum`, `const`, `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum` (numbers),
/// `minLength`, `maxLength` (in Unicode code points), `pattern` (unanchored, ICU syntax),
/// `minItems`, `maxItems`, `anyOf`, `oneOf`, `allOf` and `not`; `true` and `false` as schemas.
/// Annotations (`$schema`, `$id`, `$comment`, `title`, `description`, `default`, `examples`,
/// `format`) are accepted and not checked. Any other keyword (`$ref`, `if`, `patternProperties`,
/// ...) is an error when the suite is loaded, so a schema never silently checks less than it says.
///
/// Schema documents (`document(_:file:)`, the repository's `schemas/`) also take `$defs` at the
/// root and `$ref` to them (`#/$defs/name`).
public indirect enum JSONSchema: Sendable, Hashable {
    /// `true` accepts every value, `false` none.
    case boolean(Bool)
    /// A schema object.
    case rules(Rules)

    /// The keywords of a schema object; nil or empty means the keyword is absent.
    public struct Rules: Sendable, Hashable {
        /// `type`: the value's type must be one of these.
        public var types: [String]?
        /// `properties`: schemas of an object's members, by name.
        public var properties: [String: JSONSchema] = [:]
        /// `required`: members an object must have.
        public var required: [String] = []
        /// `additionalProperties`: the schema of members not in `properties` (`false` forbids them).
        public var additionalProperties: JSONSchema?
        /// `items`: the schema of every element of an array.
        public var items: JSONSchema?
        /// `enum`: the values allowed.
        public var enumValues: [JSONValue]?
        /// `const`; `.null` is a real constant, nil means no `const`.
        public var constValue: JSONValue?
        /// `minimum`, `maximum`: inclusive bounds of a number.
        public var minimum: Double?
        public var maximum: Double?
        /// `exclusiveMinimum`, `exclusiveMaximum`: exclusive bounds of a number.
        public var exclusiveMinimum: Double?
        public var exclusiveMaximum: Double?
        /// `minLength`, `maxLength`: bounds of a string's length in Unicode code points.
        public var minLength: Int?
        public var maxLength: Int?
        /// `pattern`: a regex (ICU syntax) a string must match somewhere.
        public var pattern: String?
        /// `minItems`, `maxItems`: bounds of an array's length.
        public var minItems: Int?
        public var maxItems: Int?
        /// `anyOf`, `oneOf`, `allOf`: at least one, exactly one, every one of these must accept the value.
        public var anyOf: [JSONSchema] = []
        public var oneOf: [JSONSchema] = []
        public var allOf: [JSONSchema] = []
        /// `not`: this schema must reject the value.
        public var not: JSONSchema?
        /// `$ref`: the name of a schema of the root's `$defs` the value must also conform to
        /// (schema documents only).
        public var reference: String?
        /// `$defs`: the schemas `$ref` names (schema documents only, at the root).
        public var definitions: [String: JSONSchema] = [:]

        /// Rules with no keyword: every value passes.
        public init() {}
    }

    /// The checked keywords, for messages and the README.
    public static let keywords = ["type", "properties", "required", "additionalProperties", "items", "enum", "const",
                                  "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength",
                                  "maxLength", "pattern", "minItems", "maxItems", "anyOf", "oneOf", "allOf", "not"]
    /// Keywords accepted as annotations and not checked.
    public static let annotations = ["$schema", "$id", "$comment", "title", "description", "default", "examples",
                                     "format"]
    /// The type names of `type`.
    public static let typeNames = ["string", "number", "integer", "boolean", "object", "array", "null"]

    /// Every way `value` breaks the schema, each as `$.path: problem`; empty when it conforms.
    public func violations(of value: JSONValue) -> [String] {
        var found: [String] = []
        check(value, at: "$", into: &found, Scope(definitions: definitions))
        return found
    }

    /// The root's `$defs`.
    var definitions: [String: JSONSchema] {
        if case .rules(let rules) = self { rules.definitions } else { [:] }
    }

    /// What `$ref` resolves against, and the references being followed at each path: one met
    /// again at the same path loops without reaching the value, and is reported, not followed.
    fileprivate struct Scope {
        var definitions: [String: JSONSchema]
        var following: Set<String> = []
    }

    fileprivate func check(_ value: JSONValue, at path: String, into found: inout [String], _ scope: Scope) {
        switch self {
        case .boolean(let accepts):
            if !accepts { found.append("\(path): no value is allowed here (schema false)") }
        case .rules(let rules):
            rules.check(value, at: path, into: &found, scope)
        }
    }

    /// Whether the value at `path` conforms (the path keeps `$ref` loops apart from recursion).
    fileprivate func accepts(_ value: JSONValue, at path: String, _ scope: Scope) -> Bool {
        var found: [String] = []
        check(value, at: path, into: &found, scope)
        return found.isEmpty
    }

    fileprivate static func child(_ path: String, key: String) -> String {
        key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } && !key.isEmpty ? "\(path).\(key)" : "\(path)['\(key)']"
    }
}

extension JSONSchema.Rules {
    fileprivate func check(_ value: JSONValue, at path: String, into found: inout [String], _ scope: JSONSchema.Scope) {
        if let reference {
            let key = "\(reference)\u{0}\(path)"
            if scope.following.contains(key) {
                found.append("\(path): '$ref' to '\(reference)' comes back to itself without reaching a value")
            } else if let target = scope.definitions[reference] {
                var inner = scope
                inner.following.insert(key)
                target.check(value, at: path, into: &found, inner)
            } else {
                found.append("\(path): '$ref' to '\(reference)', which '$defs' does not define")
            }
        }
        if let types, !types.contains(where: { Self.matches(value, type: $0) }) {
            found.append("\(path): expected \(Suggestions.list(types)), got \(value.typeName) \(Self.show(value))")
            return
        }
        if let enumValues, !enumValues.contains(where: { $0.jsonEquals(value) }) {
            found.append("\(path): \(Self.show(value)) is not one of \(enumValues.map(Self.show).joined(separator: ", "))")
        }
        if let constValue, !constValue.jsonEquals(value) {
            found.append("\(path): expected \(Self.show(constValue)), got \(Self.show(value))")
        }
        switch value {
        case .integer, .number:
            let number = value.numericValue ?? .nan
            let shown = Self.show(value)
            if let minimum, number < minimum { found.append("\(path): \(shown) is less than the minimum \(NumberText.format(minimum))") }
            if let maximum, number > maximum { found.append("\(path): \(shown) is more than the maximum \(NumberText.format(maximum))") }
            if let exclusiveMinimum, number <= exclusiveMinimum {
                found.append("\(path): \(shown) is not greater than \(NumberText.format(exclusiveMinimum))")
            }
            if let exclusiveMaximum, number >= exclusiveMaximum {
                found.append("\(path): \(shown) is not less than \(NumberText.format(exclusiveMaximum))")
            }
        case .string(let text):
            let length = text.unicodeScalars.count
            if let minLength, length < minLength { found.append("\(path): \(length) characters, fewer than \(minLength)") }
            if let maxLength, length > maxLength { found.append("\(path): \(length) characters, more than \(maxLength)") }
            if let pattern, let regex = try? NSRegularExpression(pattern: pattern),
               regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
                found.append("\(path): \(Self.show(value)) does not match /\(pattern)/")
            }
        case .array(let elements):
            if let minItems, elements.count < minItems { found.append("\(path): \(elements.count) items, fewer than \(minItems)") }
            if let maxItems, elements.count > maxItems { found.append("\(path): \(elements.count) items, more than \(maxItems)") }
            if let items {
                for (index, element) in elements.enumerated() { items.check(element, at: "\(path)[\(index)]", into: &found, scope) }
            }
        case .object(let members):
            for name in required where members[name] == nil { found.append("\(path): missing required property '\(name)'") }
            for name in members.keys.sorted() {
                let member = members[name]!
                if let schema = properties[name] {
                    schema.check(member, at: JSONSchema.child(path, key: name), into: &found, scope)
                } else if let additionalProperties {
                    if case .boolean(false) = additionalProperties {
                        found.append("\(path): property '\(name)' is not allowed")
                    } else {
                        additionalProperties.check(member, at: JSONSchema.child(path, key: name), into: &found, scope)
                    }
                }
            }
        case .bool, .null:
            break
        }
        for schema in allOf { schema.check(value, at: path, into: &found, scope) }
        if !anyOf.isEmpty, !anyOf.contains(where: { $0.accepts(value, at: path, scope) }) {
            found.append("\(path): matches none of the \(anyOf.count) schemas of anyOf")
        }
        if !oneOf.isEmpty {
            let matching = oneOf.filter { $0.accepts(value, at: path, scope) }.count
            if matching != 1 {
                found.append("\(path): matches \(matching == 0 ? "none" : "\(matching)") of the \(oneOf.count) schemas "
                             + "of oneOf (exactly one must match)")
            }
        }
        if let not, not.accepts(value, at: path, scope) { found.append("\(path): matches the schema of 'not'") }
    }

    private static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("string", .string), ("boolean", .bool), ("null", .null), ("array", .array), ("object", .object): true
        case ("number", .integer), ("number", .number), ("integer", .integer): true
        case ("integer", .number(let number)): number == number.rounded() && number.isFinite
        default: false
        }
    }

    /// A value in a message: JSON text cut to 40 characters.
    private static func show(_ value: JSONValue) -> String {
        let text = value.compactText
        return text.count > 40 ? String(text.prefix(37)) + "..." : text
    }
}
