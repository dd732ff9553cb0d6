import Foundation

/// Decodes a provider's JSON — a response body or one event of a stream — as JavaScript and
/// Python would read it, whatever the provider sent: the answer must not be lost to a quirk
/// after it was paid for.
///
/// `JSONDecoder` keeps the first of a repeated key (everyone else keeps the last), rejects a
/// body with a byte of invalid UTF-8 in it, and rejects a whole reply for one token count sent
/// as a string. Strict JSON with no repeated key goes to `JSONDecoder` as it is; anything else
/// is parsed to a tree first (invalid UTF-8 becoming U+FFFD, the last of a repeated key kept)
/// and written out plain. If that still does not decode, the usage objects are read again with
/// numbers sent as strings (`"prompt_tokens": "10"`) taken as numbers, and, as a last resort,
/// left out: the answer is kept and its usage estimated, flagged as untrusted.
enum ReplyJSON {
    /// A decoded value, and whether its usage had to be left out to read it.
    struct Decoded<Value> {
        var value: Value
        var usageUnreadable: Bool
    }

    /// Why usage that was left out is not used.
    static let unreadableUsage = "the provider's usage could not be read as token counts"

    /// `Value` from `bytes`; nil when they are not JSON of its shape even so.
    ///
    /// - Parameter usageKeys: the members that hold usage in this provider's format (`usage`,
    ///   `usageMetadata`), at any depth.
    static func decode<Value: Decodable>(_ type: Value.Type, from bytes: UnsafeRawBufferPointer,
                                         usageKeys: Set<String>) -> Decoded<Value>? {
        let decoder = JSONDecoder()
        if JSONReader.isPlain(bytes), let value = try? decoder.decode(type, from: Data(bytes)) {
            return Decoded(value: value, usageUnreadable: false)
        }
        guard let root = try? JSONTree.value(in: String(decoding: bytes, as: UTF8.self)) else { return nil }
        for usage in [UsageHandling.asSent, .numbersFromStrings, .left] {
            var text = ""
            write(root, usage: usage, usageKeys: usageKeys, inUsage: false, to: &text)
            if let value = try? decoder.decode(type, from: Data(text.utf8)) {
                return Decoded(value: value, usageUnreadable: usage == .left)
            }
        }
        return nil
    }

    /// The same, from a body.
    static func decode<Value: Decodable>(_ type: Value.Type, from data: Data,
                                         usageKeys: Set<String>) -> Decoded<Value>? {
        data.withUnsafeBytes { decode(type, from: $0, usageKeys: usageKeys) }
    }

    /// What to do with the usage objects when writing the tree out.
    private enum UsageHandling {
        case asSent
        case numbersFromStrings
        case left
    }

    /// `node` as plain JSON: the last of a repeated key, numbers as written.
    private static func write(_ node: JSONTree.Node, usage: UsageHandling, usageKeys: Set<String>, inUsage: Bool,
                              to text: inout String) {
        switch node.value {
        case .object(let members):
            var last: [String: Int] = [:]
            for (index, member) in members.enumerated() { last[member.key] = index }
            text += "{"
            var first = true
            for (index, member) in members.enumerated() where last[member.key] == index {
                let isUsage = usageKeys.contains(member.key)
                if isUsage && usage == .left { continue }
                if !first { text += "," }
                first = false
                text += JSONTree.Node.quoted(member.key) + ":"
                write(member.value, usage: usage, usageKeys: usageKeys, inUsage: inUsage || isUsage, to: &text)
            }
            text += "}"
        case .array(let elements):
            text += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { text += "," }
                write(element, usage: usage, usageKeys: usageKeys, inUsage: inUsage, to: &text)
            }
            text += "]"
        case .string(let string):
            let trimmed = string.trimmingCharacters(in: .whitespaces)
            if inUsage, usage == .numbersFromStrings, (try? JSONTree.value(in: trimmed))?.isNumber == true {
                text += trimmed
            } else {
                text += JSONTree.Node.quoted(string)
            }
        case .number(let number):
            text += number
        case .bool(let flag):
            text += flag ? "true" : "false"
        case .null:
            text += "null"
        }
    }
}

extension JSONTree.Node {
    fileprivate var isNumber: Bool {
        if case .number = value { return true }
        return false
    }
}
