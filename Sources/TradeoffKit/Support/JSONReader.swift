import Foundation

/// A pull reader for the JSON a provider sends on every call (a stream's chunks), reading
/// fields straight into a reply's structs: `JSONDecoder` spent ~70k instructions on each chunk.
///
/// A fast path, never the only path. It accepts strict RFC 8259 only — valid UTF-8, no control
/// characters in strings, bounded nesting — and gives up (throws `Unsupported`) on anything else,
/// including what `JSONDecoder` would read differently: a number with a fraction or exponent
/// where an integer is expected, a key spelled with escapes. A repeated key is read as every
/// reader but `JSONDecoder` reads it: the last one wins. The caller then decodes the same bytes
/// tolerantly (`ReplyJSON`), which has the last word, errors included.
struct JSONReader {
    /// The reader cannot vouch for what `JSONDecoder` would make of the input.
    struct Unsupported: Error {}

    /// An object key, as its bytes (ASCII, unescaped: the reader gives up on any other key).
    struct Key {
        fileprivate let bytes: UnsafeRawBufferPointer

        /// The key as text.
        var text: String { String(decoding: bytes, as: UTF8.self) }

        static func ~= (pattern: StaticString, key: Key) -> Bool {
            key.bytes.count == pattern.utf8CodeUnitCount
                && (key.bytes.isEmpty || memcmp(pattern.utf8Start, key.bytes.baseAddress!, key.bytes.count) == 0)
        }
    }

    private let bytes: UnsafeRawBufferPointer
    private var index = 0
    private var depth = 0
    private static let maximumDepth = 64

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    // MARK: - Structure

    /// Consumes `{`; read the members with `nextKey`.
    mutating func beginObject() throws {
        try expect(UInt8(ascii: "{"))
        depth += 1
        guard depth <= Self.maximumDepth else { throw Unsupported() }
        afterOpening = true
    }

    /// The next member's key (its value is next to read), or nil after the closing `}`.
    mutating func nextKey() throws -> Key? {
        let byte = try peek()
        if byte == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            afterOpening = false
            return nil
        }
        if !afterOpening { try expect(UInt8(ascii: ",")) }
        afterOpening = false
        try expect(UInt8(ascii: "\""))
        let start = index
        var end = start
        let count = bytes.count
        while true {
            guard end < count else { throw Unsupported() }
            let byte = bytes[end]
            if byte == UInt8(ascii: "\"") { break }
            // Escaped, control and non-ASCII keys: JSONDecoder's reading of them is its own.
            guard byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\\") else { throw Unsupported() }
            end += 1
        }
        let key = Key(bytes: UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
        index = end + 1
        try expect(UInt8(ascii: ":"))
        return key
    }

    /// Reads an array, calling `element` once per element to read it.
    mutating func readArray(_ element: (inout JSONReader) throws -> Void) throws {
        try expect(UInt8(ascii: "["))
        depth += 1
        guard depth <= Self.maximumDepth else { throw Unsupported() }
        if try peek() == UInt8(ascii: "]") {
            index += 1
        } else {
            while true {
                try element(&self)
                let byte = try peek()
                index += 1
                if byte == UInt8(ascii: "]") { break }
                guard byte == UInt8(ascii: ",") else { throw Unsupported() }
            }
        }
        depth -= 1
    }

    /// Whether a string is the next value.
    mutating func nextIsString() throws -> Bool {
        try peek() == UInt8(ascii: "\"")
    }

    /// Consumes a `null` if one is next.
    mutating func skipNull() throws -> Bool {
        guard try peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    /// Checks that only whitespace follows.
    mutating func end() throws {
        skipWhitespace()
        guard index == bytes.count else { throw Unsupported() }
    }

    // MARK: - Values

    /// A string, unescaped.
    mutating func readString() throws -> String {
        try readString(keeping: true)!
    }

    /// Reads a string; makes a `String` of it only when `keeping` (or to check a skipped one's
    /// UTF-8 or escapes).
    private mutating func readString(keeping: Bool) throws -> String? {
        try expect(UInt8(ascii: "\""))
        let start = index
        // Scanned with locals, not `self.index`: the loop then keeps its position in a register
        // (reading a reply's strings was a third of decoding it).
        var end = start
        let count = bytes.count
        var ascii = true
        while true {
            guard end < count else { throw Unsupported() }
            let byte = bytes[end]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") {
                return try readEscapedString()
            }
            guard byte >= 0x20 else { throw Unsupported() }
            if byte >= 0x80 { ascii = false }
            end += 1
        }
        let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
        index = end + 1
        if ascii { return keeping ? String(decoding: raw, as: UTF8.self) : nil }
        guard let text = String(validating: raw, as: UTF8.self) else { throw Unsupported() }
        return text
    }

    /// An integer written as one (no fraction, no exponent), within 18 digits.
    mutating func readInt() throws -> Int {
        skipWhitespace()
        let start = index
        let negative = index < bytes.count && bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        let digitsStart = index
        var value = 0
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
            guard index - digitsStart < 18 else { throw Unsupported() }
            value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
            index += 1
        }
        let digits = index - digitsStart
        guard digits > 0, digits == 1 || bytes[digitsStart] != UInt8(ascii: "0") else { throw Unsupported() }
        // A fraction or an exponent: JSONDecoder's rules for those are its own.
        if index < bytes.count,
           bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index = start
            throw Unsupported()
        }
        return negative ? -value : value
    }

    /// A number, as `Double(_:)` reads its text (correctly rounded, as `JSONDecoder` reads it);
    /// one too large for a `Double` is unsupported.
    mutating func readDouble() throws -> Double {
        _ = try peek()
        let start = index
        try skipNumber()
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw Unsupported() }
        return value
    }

    /// `true` or `false`.
    mutating func readBool() throws -> Bool {
        switch try peek() {
        case UInt8(ascii: "t"):
            try literal("true")
            return true
        case UInt8(ascii: "f"):
            try literal("false")
            return false
        default:
            throw Unsupported()
        }
    }

    /// Reads past any value, checking it is strict JSON.
    mutating func skipValue() throws {
        switch try peek() {
        case UInt8(ascii: "\""):
            _ = try readString(keeping: false)
        case UInt8(ascii: "{"):
            try beginObject()
            while try nextKey() != nil { try skipValue() }
        case UInt8(ascii: "["):
            try readArray { try $0.skipValue() }
        case UInt8(ascii: "t"):
            try literal("true")
        case UInt8(ascii: "f"):
            try literal("false")
        case UInt8(ascii: "n"):
            try literal("null")
        default:
            try skipNumber()
        }
    }

    /// Whether `bytes` is strict JSON that every reader reads alike: valid UTF-8, keys without
    /// escapes, no key repeated in an object (readers disagree on which one wins), nesting and
    /// objects of a bounded size. `false` says only that a slower, tolerant reading is needed.
    static func isPlain(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var reader = JSONReader(bytes)
        do {
            try reader.skipValueRejectingRepeatedKeys()
            try reader.end()
            return true
        } catch {
            return false
        }
    }

    private mutating func skipValueRejectingRepeatedKeys() throws {
        switch try peek() {
        case UInt8(ascii: "{"):
            try beginObject()
            var keys: [UnsafeRawBufferPointer] = []
            while let key = try nextKey() {
                guard keys.count < 64, !keys.contains(where: { $0.elementsEqual(key.bytes) }) else { throw Unsupported() }
                keys.append(key.bytes)
                try skipValueRejectingRepeatedKeys()
            }
        case UInt8(ascii: "["):
            try readArray { try $0.skipValueRejectingRepeatedKeys() }
        default:
            try skipValue()
        }
    }

    // MARK: - Bytes

    /// Whether the object being read has had no member yet.
    private var afterOpening = false

    private mutating func skipWhitespace() {
        var position = index
        let count = bytes.count
        while position < count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default:
                index = position
                return
            }
        }
        index = position
    }

    /// The next byte after whitespace, not consumed.
    ///
    /// Inlined, with compact JSON's case first (no whitespace: every byte above 0x20 is not
    /// whitespace): a reply's chunks ask for the next byte about 90 times each, and the calls
    /// cost more than the reading (`make bench`, counted with callgrind).
    @inline(__always)
    private mutating func peek() throws -> UInt8 {
        if index < bytes.count {
            let byte = bytes[index]
            if byte > 0x20 { return byte }
        }
        return try peekPastWhitespace()
    }

    private mutating func peekPastWhitespace() throws -> UInt8 {
        skipWhitespace()
        guard index < bytes.count else { throw Unsupported() }
        return bytes[index]
    }

    @inline(__always)
    private mutating func expect(_ byte: UInt8) throws {
        guard try peek() == byte else { throw Unsupported() }
        index += 1
    }

    private mutating func literal(_ word: StaticString) throws {
        let word = UnsafeRawBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard index + word.count <= bytes.count,
              UnsafeRawBufferPointer(rebasing: bytes[index..<(index + word.count)]).elementsEqual(word) else {
            throw Unsupported()
        }
        index += word.count
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    private mutating func skipNumber() throws {
        func digits() throws -> Int {
            let start = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            guard index > start else { throw Unsupported() }
            return index - start
        }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        let start = index
        if try digits() > 1, bytes[start] == UInt8(ascii: "0") { throw Unsupported() }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            _ = try digits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            _ = try digits()
        }
    }

    /// The slow half of `readString`: a string with escapes, from just after its opening quote.
    private mutating func readEscapedString() throws -> String {
        var utf8: [UInt8] = []
        func hex4() throws -> UInt32 {
            guard index + 4 <= bytes.count else { throw Unsupported() }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw Unsupported()
                }
                value = value << 4 | UInt32(digit)
                index += 1
            }
            return value
        }
        while true {
            guard index < bytes.count else { throw Unsupported() }
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: utf8, as: UTF8.self) else { throw Unsupported() }
                return text
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { throw Unsupported() }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escaped)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        // A high surrogate must be followed by an escaped low one.
                        guard index + 2 <= bytes.count, bytes[index] == UInt8(ascii: "\\"),
                              bytes[index + 1] == UInt8(ascii: "u") else { throw Unsupported() }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw Unsupported() }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw Unsupported() }
                    utf8.append(contentsOf: UTF8.encode(unicode)!)
                default:
                    throw Unsupported()
                }
            default:
                guard byte >= 0x20 else { throw Unsupported() }
                utf8.append(byte)
            }
        }
    }
}
