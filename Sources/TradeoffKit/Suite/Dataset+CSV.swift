/// CSV datasets (RFC 4180): a header row naming the columns, then one row per case. Fields may
/// be quoted (`""` escapes a quote, and quoted fields may span lines); lines end in LF or CRLF.
extension Dataset {
    /// The variables of one CSV record: its fields under the header's names.
    static func csvValues(_ bytes: ArraySlice<UInt8>, header: [String]) throws(RowProblem) -> [String: String] {
        let fields = try csvFields(bytes)
        guard fields.count == header.count else {
            throw RowProblem(message: "row has \(fields.count) \(fields.count == 1 ? "field" : "fields") "
                             + "but the header has \(header.count)", column: 1)
        }
        return Dictionary(zip(header, fields)) { first, _ in first }
    }

    /// The header's column names (trimmed), and what is wrong with them: empty or repeated names.
    static func csvHeader(_ bytes: ArraySlice<UInt8>) throws(RowProblem) -> (names: [String], problems: [String]) {
        let names = try csvFields(bytes).map { $0.trimmingCharacters(in: .whitespaces) }
        var seen: Set<String> = []
        var problems: [String] = []
        for (position, name) in names.enumerated() {
            if name.isEmpty {
                problems.append("column \(position + 1) of the header has no name")
            } else if !seen.insert(name).inserted {
                problems.append("column '\(name)' appears twice in the header")
            }
        }
        return (names, problems)
    }

    private static func csvFields(_ bytes: ArraySlice<UInt8>) throws(RowProblem) -> [String] {
        var scanner = CSVScanner(bytes)
        do {
            return try scanner.nextRecord()?.fields ?? []
        } catch {
            throw RowProblem(message: error.message, lineOffset: error.line - 1, column: error.column)
        }
    }
}

/// Splits CSV text into records, tracking the line each starts on.
struct CSVScanner {
    struct ScannedRecord {
        var line: Int
        var fields: [String]
    }

    struct Failure: Error {
        var message: String
        var line: Int
        var column: Int
    }

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var lineStart = 0

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = Array(bytes) }

    private static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","),
                       newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")

    /// The next record, skipping empty lines; nil at the end of the text.
    mutating func nextRecord() throws(Failure) -> ScannedRecord? {
        while index < bytes.count, let length = lineBreakLength(at: index) {
            consumeLineBreak(length)
        }
        guard index < bytes.count else { return nil }
        let startLine = line
        var fields: [String] = []
        while true {
            fields.append(try field())
            if index >= bytes.count { break }
            if bytes[index] == Self.comma { index += 1; continue }
            if let length = lineBreakLength(at: index) { consumeLineBreak(length); break }
        }
        return ScannedRecord(line: startLine, fields: fields)
    }

    private mutating func field() throws(Failure) -> String {
        guard index < bytes.count, bytes[index] == Self.quote else {
            let start = index
            while index < bytes.count, bytes[index] != Self.comma, lineBreakLength(at: index) == nil { index += 1 }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }
        let (openLine, openColumn) = (line, column(at: index))
        index += 1
        var out: [UInt8] = []
        while true {
            guard index < bytes.count else {
                throw Failure(message: "quoted field is never closed (add the closing '\"')",
                              line: openLine, column: openColumn)
            }
            let byte = bytes[index]
            if byte == Self.quote {
                if index + 1 < bytes.count, bytes[index + 1] == Self.quote {
                    out.append(Self.quote)
                    index += 2
                    continue
                }
                index += 1
                break
            }
            out.append(byte)
            index += 1
            if byte == Self.newline { line += 1; lineStart = index }
        }
        guard index >= bytes.count || bytes[index] == Self.comma || lineBreakLength(at: index) != nil else {
            // A field that spans lines and then runs into text is most likely a quote never closed
            // on its own line: the scan went on to a later row's quote. Point at where it opened.
            if line != openLine {
                throw Failure(message: "quoted field is never closed on its line (add the closing '\"'); read on, "
                              + "it ends at a quote \(line - openLine) \(line - openLine == 1 ? "line" : "lines") down "
                              + "that is followed by text",
                              line: openLine, column: openColumn)
            }
            throw Failure(message: "unexpected text after a quoted field (write a quote inside quotes as \"\")",
                          line: line, column: column(at: index))
        }
        return String(decoding: out, as: UTF8.self)
    }

    private func lineBreakLength(at position: Int) -> Int? {
        if bytes[position] == Self.newline { return 1 }
        if bytes[position] == Self.carriageReturn, position + 1 < bytes.count, bytes[position + 1] == Self.newline {
            return 2
        }
        return nil
    }

    private mutating func consumeLineBreak(_ length: Int) {
        index += length
        line += 1
        lineStart = index
    }

    /// 1-based column in characters of the byte at `position` on the current line.
    private func column(at position: Int) -> Int {
        String(decoding: bytes[lineStart..<position], as: UTF8.self).count + 1
    }
}
