import Foundation

/// A JSON document (RFC 8259, strict) parsed to a tree whose nodes keep their line and column,
/// with numbers kept as their text — so prices become `Decimal` from what the file says, never
/// through `Double`, dataset values keep their spelling (`42`, not `42.0`), and every problem
/// can be reported at its position. The one JSON reader of the project: price imports, JSONL
/// datasets, JSON answers, judge verdicts and command graders' output all go through it.
struct JSONTree {
    /// A value and where it starts.
    struct Node {
        enum Value {
            case object([(key: String, keyLine: Int, keyColumn: Int, value: Node)])
            case array([Node])
            case string(String)
            /// The number exactly as written.
            case number(String)
            case bool(Bool)
            case null
        }

        var value: Value
        var line: Int
        var column: Int

        /// The member `key` of an object (the last one when a key repeats, as most readers do).
        subscript(key: String) -> Node? {
            guard case .object(let members) = value else { return nil }
            return members.last { $0.key == key }?.value
        }

        /// The members of an object, in file order; nil for other values.
        var members: [(key: String, keyLine: Int, keyColumn: Int, value: Node)]? {
            if case .object(let members) = value { return members }
            return nil
        }

        /// The text of a string or a number; nil for other values.
        var scalarText: String? {
            switch value {
            case .string(let text), .number(let text): text
            default: nil
            }
        }

        /// How the value reads in "got ..." messages.
        var kindDescription: String {
            switch value {
            case .object: "an object"
            case .array: "an array"
            case .string(let text): "'\(text.count > 40 ? String(text.prefix(40)) + "..." : text)'"
            case .number(let text): text
            case .bool(let flag): String(flag)
            case .null: "null"
            }
        }
    }

    /// The file's name and lines, for diagnostics.
    let source: SourceText
    /// The top-level value.
    let root: Node

    /// A syntax error and where it is (1-based).
    struct SyntaxError: Error {
        var message: String
        var line: Int
        var column: Int
    }

    /// Parses `data`; a syntax error is a diagnostic at its line and column.
    static func parse(_ data: Data, file: String) -> Result<JSONTree, DiagnosticsError> {
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(DiagnosticsError([Diagnostic(.error, file: file, line: nil, column: nil,
                                                         message: "is not UTF-8 text")]))
        }
        let source = SourceText(file: file, text: text)
        do {
            return .success(JSONTree(source: source, root: try value(in: source.text)))
        } catch {
            return .failure(DiagnosticsError([source.error("invalid JSON: \(error.message)", line: error.line,
                                                           column: error.column)]))
        }
    }

    /// The one JSON value in `text`, whitespace around it allowed; positions count from line 1.
    static func value(in text: String) throws(SyntaxError) -> Node {
        var parser = Parser(bytes: Array(text.utf8))
        do {
            parser.skipWhitespace()
            let root = try parser.value(depth: 0)
            parser.skipWhitespace()
            if !parser.atEnd { throw parser.failure("unexpected text after the JSON value") }
            return root
        } catch let failure as Parser.Failure {
            throw SyntaxError(message: failure.message, line: failure.line, column: failure.column)
        } catch {
            throw SyntaxError(message: "\(error)", line: 1, column: 1)
        }
    }

    /// An error at `node`.
    func error(_ message: String, at node: Node) -> Diagnostic {
        source.error(message, line: node.line, column: node.column)
    }

    private struct Parser {
        struct Failure: Error {
            var message: String
            var line: Int
            var column: Int
        }

        let bytes: [UInt8]
        var index = 0
        var line = 1
        var lineStart = 0
        /// The column of `countedTo`, so columns are counted once even on a one-line file.
        private var countedTo = 0
        private var countedColumn = 1

        init(bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { index >= bytes.count }

        /// The 1-based column of `index`. Columns count characters, not bytes, so carets line up
        /// under non-ASCII text.
        var column: Int {
            mutating get {
                if countedTo < lineStart || countedTo > index { (countedTo, countedColumn) = (lineStart, 1) }
                let end = min(index, bytes.count)
                for byte in bytes[countedTo..<end] where byte & 0xC0 != 0x80 { countedColumn += 1 }
                countedTo = end
                return countedColumn
            }
        }

        mutating func failure(_ message: String) -> Failure { Failure(message: message, line: line, column: column) }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\n"):
                    index += 1
                    line += 1
                    lineStart = index
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                    index += 1
                default:
                    return
                }
            }
        }

        mutating func value(depth: Int) throws -> Node {
            guard depth < 512 else { throw failure("nested too deeply") }
            guard index < bytes.count else { throw failure("unexpected end of file") }
            let (startLine, startColumn) = (line, column)
            func node(_ value: Node.Value) -> Node { Node(value: value, line: startLine, column: startColumn) }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var members: [(key: String, keyLine: Int, keyColumn: Int, value: Node)] = []
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return node(.object(members))
                }
                while true {
                    skipWhitespace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                        throw failure("expected a quoted key")
                    }
                    let (keyLine, keyColumn) = (line, column)
                    let key = try string()
                    skipWhitespace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                        throw failure("expected ':' after the key \"\(key)\"")
                    }
                    index += 1
                    skipWhitespace()
                    members.append((key, keyLine, keyColumn, try value(depth: depth + 1)))
                    skipWhitespace()
                    guard index < bytes.count else { throw failure("unterminated object (expected '}')") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "}") { index += 1; return node(.object(members)) }
                    throw failure("expected ',' or '}' in an object")
                }
            case UInt8(ascii: "["):
                index += 1
                var items: [Node] = []
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return node(.array(items))
                }
                while true {
                    skipWhitespace()
                    items.append(try value(depth: depth + 1))
                    skipWhitespace()
                    guard index < bytes.count else { throw failure("unterminated array (expected ']')") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "]") { index += 1; return node(.array(items)) }
                    throw failure("expected ',' or ']' in an array")
                }
            case UInt8(ascii: "\""):
                return node(.string(try string()))
            case UInt8(ascii: "t"):
                try literal("true")
                return node(.bool(true))
            case UInt8(ascii: "f"):
                try literal("false")
                return node(.bool(false))
            case UInt8(ascii: "n"):
                try literal("null")
                return node(.null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return node(.number(try number()))
            default:
                let character = String(decoding: bytes[index..<min(index + 4, bytes.count)], as: UTF8.self).first ?? "?"
                throw failure("unexpected character '\(character)'")
            }
        }

        mutating func literal(_ word: String) throws {
            let expected = Array(word.utf8)
            guard bytes.count - index >= expected.count, Array(bytes[index..<index + expected.count]) == expected else {
                throw failure("unexpected character '\(String(decoding: [bytes[index]], as: UTF8.self))'")
            }
            index += expected.count
        }

        mutating func number() throws -> String {
            let start = index
            func digits() -> Int {
                let from = index
                while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
                return index - from
            }
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            if bytes.count - index >= 2, bytes[index] == UInt8(ascii: "0"),
               (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index + 1]) {
                throw failure("a number cannot start with 0 followed by digits")
            }
            guard digits() > 0 else { throw failure("a number needs digits") }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard digits() > 0 else { throw failure("a number needs digits after '.'") }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard digits() > 0 else { throw failure("a number needs digits in its exponent") }
            }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        mutating func string() throws -> String {
            let opening = failure("unterminated string")  // reported at the opening quote
            index += 1
            var scalars: [UInt8] = []
            while true {
                guard index < bytes.count else { throw opening }
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    return String(decoding: scalars, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    let backslash = (line, column)
                    index += 1
                    guard index < bytes.count else { throw opening }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""): scalars.append(UInt8(ascii: "\""))
                    case UInt8(ascii: "\\"): scalars.append(UInt8(ascii: "\\"))
                    case UInt8(ascii: "/"): scalars.append(UInt8(ascii: "/"))
                    case UInt8(ascii: "b"): scalars.append(0x08)
                    case UInt8(ascii: "f"): scalars.append(0x0C)
                    case UInt8(ascii: "n"): scalars.append(0x0A)
                    case UInt8(ascii: "r"): scalars.append(0x0D)
                    case UInt8(ascii: "t"): scalars.append(0x09)
                    case UInt8(ascii: "u"):
                        var code = try hex4()
                        if (0xD800...0xDBFF).contains(code), bytes.count - index >= 6,
                           bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                            let next = index
                            index += 2
                            let low = try hex4()
                            if (0xDC00...0xDFFF).contains(low) {
                                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                // Not a pair (`\ud83d\u0041` trapped on the subtraction): the high half
                                // alone is U+FFFD, and the next escape is read on its own.
                                index = next
                            }
                        }
                        let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                        scalars.append(contentsOf: Array(String(Character(scalar)).utf8))
                    default:
                        throw Failure(message: "invalid escape '\\\(String(decoding: [escape], as: UTF8.self))' in a string",
                                      line: backslash.0, column: backslash.1)
                    }
                case 0..<0x20:
                    throw failure("control character in a string (write it as an escape)")
                default:
                    scalars.append(byte)
                    index += 1
                }
            }
        }

        mutating func hex4() throws -> UInt32 {
            guard bytes.count - index >= 4,
                  let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
            else { throw failure("invalid \\u escape") }
            index += 4
            return value
        }
    }
}

extension JSONTree.Node {
    /// The value as a case variable.
    var variableText: String {
        switch value {
        case .string(let text): text
        case .null: ""
        default: compactText
        }
    }

    /// Compact JSON text: no whitespace, members in their original order.
    var compactText: String {
        switch value {
        case .string(let text): Self.quoted(text)
        case .number(let text): text
        case .bool(let flag): flag ? "true" : "false"
        case .null: "null"
        case .array(let items): "[" + items.map(\.compactText).joined(separator: ",") + "]"
        case .object(let members):
            "{" + members.map { Self.quoted($0.key) + ":" + $0.value.compactText }.joined(separator: ",") + "}"
        }
    }

    /// What kind of value this is, for messages.
    var kind: String {
        switch value {
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// `text` as a JSON string literal, escaped as `JSONWriter` escapes every string.
    static func quoted(_ text: String) -> String {
        var writer = JSONWriter(escapingSlashes: false, capacity: text.utf8.count + 2)
        writer.write(text)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}

extension JSONTree.Node {
    /// The value as a `JSONValue`: whole numbers that fit become `.integer`, others `.number`.
    var jsonValue: JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .number(let text): JSONValue.parsedNumber(text)
        case .bool(let flag): .bool(flag)
        case .null: .null
        case .array(let items): .array(items.map(\.jsonValue))
        case .object(let members):
            // The last of repeated keys wins, as most JSON readers do.
            .object(Dictionary(members.map { ($0.key, $0.value.jsonValue) }, uniquingKeysWith: { $1 }))
        }
    }
}
