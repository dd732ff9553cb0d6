import Foundation
import TradeoffKit

/// The JSON object a case's JSON graders expect: a value that satisfies its `json-schema`
/// (the first one), with each `json-path` `equals`/`contains` value set at its path.
struct ExpectedJSON: Sendable, Hashable {
    /// The expected value.
    var value: TradeoffKit.JSONValue
    /// The paths the graders compare, whose values a wrong answer changes.
    var checked: [JSONPath]
    /// The schema the answer must follow, if any: a wrong answer without checked paths breaks it.
    var schema: JSONSchema?

    /// The expected object, or nil when the graders hold no JSON grader.
    init?(graders: [GraderSpec], variables: [String: String]) {
        var schema: JSONSchema?
        var sets: [(JSONPath, TradeoffKit.JSONValue)] = []
        var sawJSON = false
        for grader in graders {
            switch grader.kind {
            case .jsonValid:
                sawJSON = true
            case .jsonSchema(let found):
                sawJSON = true
                if schema == nil { schema = found }
            case .jsonPath(let path, .equals(let template)), .jsonPath(let path, .contains(let template)):
                sawJSON = true
                sets.append((path, Self.literal(template.render(variables))))
            case .jsonPath(let path, .exists):
                sawJSON = true
                sets.append((path, .string("x")))
            default:
                continue
            }
        }
        guard sawJSON else { return nil }
        var value = schema.map(Self.sample) ?? .object([:])
        for (path, literal) in sets { Self.set(literal, at: path.steps[...], in: &value) }
        self.value = value
        checked = sets.map { $0.0 }
        self.schema = schema
    }

    /// The value with one field changed: a checked path's value (a near number, a perturbed
    /// string, a flipped flag), else a required property's type; JSON cut before its end when
    /// neither can be changed.
    func wrong(variation: UInt64) -> TradeoffKit.JSONValue? {
        if !checked.isEmpty {
            let path = checked[Int(variation % UInt64(checked.count))]
            guard let old = path.resolve(in: value) else { return nil }
            var changed = value
            Self.set(Self.changed(old, variation: variation >> 8), at: path.steps[...], in: &changed)
            return changed
        }
        if case .rules(let rules)? = schema, case .object(var members) = value,
           let name = rules.required.first(where: { members[$0] != nil && rules.properties[$0] != nil }),
           let old = members[name] {
            // Another type than the schema asks for.
            members[name] = if case .string = old { .integer(Int(variation % 90) + 10) } else { .string("unknown") }
            return .object(members)
        }
        return nil
    }

    /// `value` as compact JSON with sorted keys; nil (no value to give) as JSON cut before its end.
    func text(_ value: TradeoffKit.JSONValue?) -> String {
        guard let value else {
            let whole = text(self.value)
            return String(whole.dropLast())
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// An expected text as the JSON value the `json-path` grader compares it with: a number,
    /// `true`/`false`/`null`, an object or array written as JSON, else the string itself.
    static func literal(_ text: String) -> TradeoffKit.JSONValue {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let integer = Int(trimmed) { return .integer(integer) }
        if let number = Double(trimmed), number.isFinite, trimmed.first?.isNumber == true || trimmed.first == "-" {
            return .number(number)
        }
        switch trimmed {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null": return .null
        default: break
        }
        if trimmed.first == "{" || trimmed.first == "[",
           let parsed = try? JSONDecoder().decode(TradeoffKit.JSONValue.self, from: Data(trimmed.utf8)) {
            return parsed
        }
        return .string(text)
    }

    /// A value near `old` that is not equal to it.
    static func changed(_ old: TradeoffKit.JSONValue, variation: UInt64) -> TradeoffKit.JSONValue {
        switch old {
        case .integer(let number): .integer(number + 1 + Int(variation % 5))
        case .number(let number): .number(number + Double(1 + variation % 5))
        case .bool(let flag): .bool(!flag)
        case .string(let text): .string(ExpectedAnswer.perturbed(text, variation: variation))
        case .null: .integer(0)
        case .array, .object: .string("unknown")
        }
    }

    /// Sets `new` at `steps` inside `value`, making the objects and arrays on the way.
    static func set(_ new: TradeoffKit.JSONValue, at steps: ArraySlice<JSONPath.Step>,
                    in value: inout TradeoffKit.JSONValue) {
        guard let step = steps.first else { value = new; return }
        switch step {
        case .key(let key):
            var members: [String: TradeoffKit.JSONValue] = if case .object(let old) = value { old } else { [:] }
            var child = members[key] ?? .null
            set(new, at: steps.dropFirst(), in: &child)
            members[key] = child
            value = .object(members)
        case .index(let index):
            var items: [TradeoffKit.JSONValue] = if case .array(let old) = value { old } else { [] }
            let position = index >= 0 ? index : max(0, items.count + index)
            while items.count <= position { items.append(.null) }
            set(new, at: steps.dropFirst(), in: &items[position])
            value = .array(items)
        }
    }

    /// A value the schema accepts, as simple as the schema allows: its `const`, its first `enum`
    /// value, every property, `minItems` elements, bounds respected.
    static func sample(_ schema: JSONSchema) -> TradeoffKit.JSONValue {
        guard case .rules(let rules) = schema else { return .string("x") }
        if let constant = rules.constValue { return constant }
        if let first = rules.enumValues?.first { return first }
        if let first = rules.anyOf.first ?? rules.oneOf.first ?? rules.allOf.first { return sample(first) }
        let type = rules.types?.first ?? (rules.properties.isEmpty ? (rules.items == nil ? "string" : "array") : "object")
        switch type {
        case "object":
            return .object(rules.properties.mapValues(sample))
        case "array":
            let count = max(rules.minItems ?? 1, 0)
            return .array(Array(repeating: rules.items.map(sample) ?? .string("x"), count: count))
        case "integer", "number":
            var low = rules.minimum ?? rules.exclusiveMinimum.map { $0.rounded(.down) + 1 } ?? 1
            if let high = rules.maximum ?? rules.exclusiveMaximum.map({ $0.rounded(.up) - 1 }), low > high { low = high }
            return type == "integer" ? .integer(Int(low.rounded(.up))) : .number(low)
        case "boolean":
            return .bool(true)
        case "null":
            return .null
        default:
            return .string(String(repeating: "x", count: max(rules.minLength ?? 1, 1)))
        }
    }
}
