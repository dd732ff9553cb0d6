import Foundation

/// Writes JSON byte for byte as Foundation's `JSONEncoder` does with `.sortedKeys` — keys in
/// UTF-8 order, the same string escapes, numbers spelled the same — without Codable's boxing,
/// which made encoding a request body the largest single cost of starting a call.
///
/// `JSONWriterTests` holds the two outputs equal. What `JSONEncoder` would refuse (a
/// non-finite number, nesting past its depth limit) is left to it, through `encode`'s fallback.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    private let escapesSlashes: Bool

    /// `JSONEncoder`'s limit on nested containers.
    private static let maximumDepth = 512

    /// - Parameter escapingSlashes: write `/` as `\/` (the encoder's default; off with
    ///   `.withoutEscapingSlashes`).
    init(escapingSlashes: Bool, capacity: Int = 256) {
        escapesSlashes = escapingSlashes
        bytes.reserveCapacity(capacity)
    }

    /// Appends `value`; false when `JSONEncoder` would not encode it.
    mutating func write(_ value: JSONValue, depth: Int = 0) -> Bool {
        switch value {
        case .string(let text):
            write(text)
        case .integer(let number):
            write(ascii: String(number))
        case .number(let number):
            guard number.isFinite else { return false }
            // `description` without a trailing ".0", cut as bytes: `hasSuffix` and `removeLast`
            // walk grapheme clusters, half the cost of writing a grade's score and weight.
            var text = number.description
            text.withUTF8 { utf8 in
                let whole = utf8.count > 2 && utf8[utf8.count - 2] == UInt8(ascii: ".") && utf8[utf8.count - 1] == UInt8(ascii: "0")
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[..<(whole ? utf8.count - 2 : utf8.count)]))
            }
        case .bool(let flag):
            write(ascii: flag ? "true" : "false")
        case .null:
            write(ascii: "null")
        case .array(let elements):
            guard depth + 1 < Self.maximumDepth else { return false }
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                guard write(element, depth: depth + 1) else { return false }
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            return write(members, depth: depth)
        }
        return true
    }

    /// Appends an object, members sorted by key.
    mutating func write(_ members: [String: JSONValue], depth: Int = 0) -> Bool {
        guard depth + 1 < Self.maximumDepth else { return false }
        bytes.append(UInt8(ascii: "{"))
        let sorted = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        for (index, member) in sorted.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            write(member.key)
            bytes.append(UInt8(ascii: ":"))
            guard write(member.value, depth: depth + 1) else { return false }
        }
        bytes.append(UInt8(ascii: "}"))
        return true
    }

    /// Appends a quoted, escaped string.
    mutating func write(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var clean = 0
            for (index, byte) in utf8.enumerated() {
                let escape: StaticString
                switch byte {
                case UInt8(ascii: "\""): escape = "\\\""
                case UInt8(ascii: "\\"): escape = "\\\\"
                case UInt8(ascii: "/") where escapesSlashes: escape = "\\/"
                case 0x08: escape = "\\b"
                case 0x0C: escape = "\\f"
                case 0x0A: escape = "\\n"
                case 0x0D: escape = "\\r"
                case 0x09: escape = "\\t"
                case 0x00..<0x20: escape = ""
                default: continue
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[clean..<index]))
                clean = index + 1
                if escape.utf8CodeUnitCount > 0 {
                    bytes.append(contentsOf: UnsafeBufferPointer(start: escape.utf8Start, count: escape.utf8CodeUnitCount))
                } else {
                    let hex: StaticString = "0123456789abcdef"
                    bytes.append(contentsOf: "\\u00".utf8)
                    bytes.append(hex.utf8Start[Int(byte >> 4)])
                    bytes.append(hex.utf8Start[Int(byte & 0x0F)])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[clean...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends JSON text as it is (punctuation, a literal).
    @discardableResult
    mutating func write(ascii text: StaticString) -> Bool {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        return true
    }

    private mutating func write(ascii text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// `object` as `JSONEncoder` with `.sortedKeys` (and `.withoutEscapingSlashes` unless
    /// `escapingSlashes`) writes it.
    static func encode(_ object: [String: JSONValue], escapingSlashes: Bool = false) throws -> Data {
        var writer = JSONWriter(escapingSlashes: escapingSlashes)
        if writer.write(object) { return Data(writer.bytes) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = escapingSlashes ? [.sortedKeys] : [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(object)
    }
}
