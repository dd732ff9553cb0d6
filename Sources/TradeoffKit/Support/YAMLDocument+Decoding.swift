import Foundation
import Yams

/// A mapping whose keys were checked against the keys allowed in it.
struct YAMLFields {
    /// The mapping node itself (its mark is where "missing key" errors point).
    let node: Node
    private let entries: [String: (key: Node, value: Node)]

    init(node: Node, entries: [String: (key: Node, value: Node)]) {
        self.node = node
        self.entries = entries
    }

    /// The value under `key`, if present.
    subscript(key: String) -> Node? { entries[key]?.value }

    /// The key node for `key`, if present.
    func keyNode(_ key: String) -> Node? { entries[key]?.key }
}

/// Decoding helpers: each checks a node's type and range, adds a diagnostic at the node when it
/// is wrong and returns nil, so decoding carries on and finds every problem in one pass.
extension YAMLDocument {
    /// The entries of `node`, which must be a mapping of string keys.
    ///
    /// Reports unknown keys (with a suggestion), missing required keys (at the mapping) and a
    /// node that is not a mapping (`'defaults' must be a mapping, got a list`).
    ///
    /// - Parameters:
    ///   - context: Names the mapping in messages: `task`, `'defaults'`, `'exact' grader`.
    func fields(of node: Node, in context: String, allowed: [String], required: [String] = [],
                log: inout DiagnosticLog) -> YAMLFields?
    {
        guard case .mapping(let mapping) = node else {
            log.add(error("\(context) must be a mapping, got \(describe(node))", at: node))
            return nil
        }
        var entries: [String: (key: Node, value: Node)] = [:]
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                log.add(error("keys in \(context) must be names, got \(describe(key))", at: key))
                continue
            }
            guard allowed.contains(scalar.string) else {
                let hint = Suggestions.hint(for: scalar.string, among: allowed)
                var message = "unknown key '\(scalar.string)' in \(context)\(hint)"
                // The value is never repeated (the source line masks it too).
                if case .scalar(let written) = value, Secrets.looksLikeKey(written.string) {
                    message = "unknown key '\(scalar.string)' in \(context), and its value looks like a key: keys are read "
                        + "from the environment only (export it, and name the variable in 'api_key_env')"
                }
                log.add(error(message, at: key))
                continue
            }
            entries[scalar.string] = (key, value)
        }
        for key in required where entries[key] == nil {
            log.add(error("missing required key '\(key)' in \(context)", at: node))
        }
        return YAMLFields(node: node, entries: entries)
    }

    /// The text of a scalar value: any scalar except null (numbers and bools keep their text).
    func text(_ fields: YAMLFields, _ key: String, log: inout DiagnosticLog) -> String? {
        guard let node = fields[key] else { return nil }
        return text(node, named: key, log: &log)
    }

    /// The text of `node`, which must be a non-null scalar.
    func text(_ node: Node, named name: String, log: inout DiagnosticLog) -> String? {
        guard case .scalar(let scalar) = node, !Self.isNull(scalar) else {
            log.add(error("'\(name)' must be a string, got \(describe(node))", at: node))
            return nil
        }
        return scalar.string
    }

    /// A non-empty text value.
    func name(_ fields: YAMLFields, _ key: String, log: inout DiagnosticLog) -> String? {
        guard let node = fields[key], let text = text(node, named: key, log: &log) else { return nil }
        guard !text.isBlank else {
            log.add(error("'\(key)' must not be empty", at: node))
            return nil
        }
        return text
    }

    /// An integer value of at least `minimum`.
    func integer(_ fields: YAMLFields, _ key: String, atLeast minimum: Int, log: inout DiagnosticLog) -> Int? {
        guard let node = fields[key] else { return nil }
        // Int(_:) reads exactly an optional sign and decimal digits (no spaces, '_' or '0x'), so
        // no pattern is needed: a Regex literal here was 4% of `validate`'s CPU, built anew per call.
        guard let text = Self.scalarText(node), let value = Int(text) else {
            log.add(error("'\(key)' must be an integer, got \(describe(node))", at: node))
            return nil
        }
        guard value >= minimum else {
            log.add(error("'\(key)' must be at least \(minimum), got \(text)", at: node))
            return nil
        }
        return value
    }

    /// A number value within `range`; `exclusiveMinimum` makes the lower bound exclusive.
    func number(_ fields: YAMLFields, _ key: String, in range: ClosedRange<Double>? = nil,
                greaterThan exclusiveMinimum: Double? = nil, log: inout DiagnosticLog) -> Double?
    {
        guard let node = fields[key] else { return nil }
        guard let text = Self.scalarText(node), Self.isDecimal(text), let value = Double(text), value.isFinite else {
            log.add(error("'\(key)' must be a number, got \(describe(node))", at: node))
            return nil
        }
        if let range, !range.contains(value) {
            log.add(error("'\(key)' must be between \(Self.format(range.lowerBound)) and "
                          + "\(Self.format(range.upperBound)), got \(text)", at: node))
            return nil
        }
        if let exclusiveMinimum, value <= exclusiveMinimum {
            log.add(error("'\(key)' must be greater than \(Self.format(exclusiveMinimum)), got \(text)", at: node))
            return nil
        }
        return value
    }

    /// A decimal value, parsed from the scalar's text (never through `Double`), not negative.
    func decimal(_ fields: YAMLFields, _ key: String, log: inout DiagnosticLog) -> Decimal? {
        guard let node = fields[key] else { return nil }
        guard let text = Self.scalarText(node), Self.isDecimal(text), let value = Decimal(string: text) else {
            log.add(error("'\(key)' must be a number, got \(describe(node))", at: node))
            return nil
        }
        guard value >= 0 else {
            log.add(error("'\(key)' must not be negative, got \(text)", at: node))
            return nil
        }
        return value
    }

    /// A `true` or `false` value.
    func bool(_ fields: YAMLFields, _ key: String, log: inout DiagnosticLog) -> Bool? {
        guard let node = fields[key] else { return nil }
        switch Self.scalarText(node)?.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            log.add(error("'\(key)' must be true or false, got \(describe(node))", at: node))
            return nil
        }
    }

    /// The items of a list value.
    func sequence(_ fields: YAMLFields, _ key: String, log: inout DiagnosticLog) -> [Node]? {
        guard let node = fields[key] else { return nil }
        guard case .sequence(let sequence) = node else {
            log.add(error("'\(key)' must be a list, got \(describe(node))", at: node))
            return nil
        }
        return Array(sequence)
    }

    /// How a node reads in "got ..." messages: `'lots'`, `a list`, `a mapping`, `null`.
    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain || scalar.style == .any {
                if scalar.string.isEmpty { return "nothing" }
                if Self.isNull(scalar) { return "null" }
            }
            var text = scalar.string
            if let newline = text.firstIndex(where: \.isNewline) { text = String(text[..<newline]) + "..." }
            if text.count > 40 { text = String(text.prefix(40)) + "..." }
            return "'\(text)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    static func isNull(_ scalar: Node.Scalar) -> Bool {
        (scalar.style == .plain || scalar.style == .any) && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// The text of a non-null scalar, else nil.
    static func scalarText(_ node: Node) -> String? {
        guard case .scalar(let scalar) = node, !isNull(scalar) else { return nil }
        return scalar.string
    }

    /// Decimal notation: `2`, `-0.5`, `.5`, `1e-3` (no hex, inf or nan); the whole text matches
    /// `[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?`.
    ///
    /// Scanned by hand over UTF-8: a regex literal here was built per call and dominated loading
    /// the price catalog. Only ASCII bytes can match, so a multi-byte character anywhere fails.
    static func isDecimal(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var index = 0
            func digits() -> Int {
                let start = index
                while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 { index += 1 }
                return index - start
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
            let whole = digits()
            var fraction = 0
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                fraction = digits()
            }
            // `1.` has a fraction point without digits, `.5` no whole part; `.` alone is neither.
            guard whole > 0 || fraction > 0 else { return false }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
                guard digits() > 0 else { return false }
            }
            return index == bytes.count
        }
    }

    /// `2` rather than `2.0`.
    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
