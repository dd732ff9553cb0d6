import Foundation

/// A JSON value whose objects keep their keys in order, so bodies list fields in the order the
/// providers document them, and so a body can be cut at a known place to simulate a broken one.
enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    /// Seconds and other measures; never money.
    case double(Double)
    /// Money: written with every digit, never in exponent form.
    case decimal(Decimal)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    /// Compact JSON text, as the providers send it.
    var text: String {
        var out = ""
        write(to: &out)
        return out
    }

    /// The UTF-8 bytes of ``text``.
    var bytes: [UInt8] { Array(text.utf8) }

    private func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .int(let value): out += String(value)
        case .double(let value): out += value.isFinite ? String(value) : "null"
        case .decimal(let value): out += "\(value)"
        case .string(let value): out += "\"" + JSONText.escape(value) + "\""
        case .array(let values):
            out += "["
            for (index, value) in values.enumerated() {
                if index > 0 { out += "," }
                value.write(to: &out)
            }
            out += "]"
        case .object(let fields):
            out += "{"
            for (index, (key, value)) in fields.enumerated() {
                if index > 0 { out += "," }
                out += "\"" + JSONText.escape(key) + "\":"
                value.write(to: &out)
            }
            out += "}"
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .int(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(elements) }
    init(nilLiteral: ()) { self = .null }
}

extension JSONValue {
    /// `.string(value)`, or `.null` when there is none.
    static func orNull(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }

    /// This object with `key: value` appended; other values are returned unchanged.
    func appending(_ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(var fields) = self else { return self }
        fields.append((key, value))
        return .object(fields)
    }
}
