/// CSV datasets (RFC 4180): a header row naming the columns, then one row per case. Fields may
/// be quoted (`""` escapes a quote, and quoted fields may span lines); lines end in LF or CRLF.
extension Dataset {
    static func csvRows(_ source: SourceText, log: inout DiagnosticLog) -> [Row] {
        var scanner = CSVScanner(source.text)
        var header: [String]?
        var rows: [Row] = []
        while true {
            let record: CSVScanner.Record
            do {
                guard let next = try scanner.nextRecord() else { break }
                record = next
            } catch {
                // The quoting is broken, so nothing after this point can be trusted.
                log.add(source.error(error.message, line: error.line, column: error.column))
                return rows
            }
            guard let columns = header else {
                header = checkedHeader(record, source: source, log: &log)
                if header == nil { return [] }
                continue
            }
            guard record.fields.count == columns.count else {
                log.add(source.error("row has \(record.fields.count) \(record.fields.count == 1 ? "field" : "fields") "
                                     + "but the header has \(columns.count)", line: record.line, column: 1))
                continue
            }
            rows.append(Row(line: record.line, values: Dictionary(zip(columns, record.fields)) { first, _ in first }))
        }
        if header == nil {
            log.add(source.error("CSV file is empty; expected a header row naming the columns", line: nil, column: nil))
        }
        return rows
    }

    /// The header's column names (trimmed), or nil after reporting empty or repeated names.
    private static func checkedHeader(_ record: CSVScanner.Record, source: SourceText,
                                      log: inout DiagnosticLog) -> [String]?
    {
        let names = record.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        var valid = true
        var seen: Set<String> = []
        for (position, name) in names.enumerated() {
            if name.isEmpty {
                log.add(source.error("column \(position + 1) of the header has no name", line: record.line, column: 1))
                valid = false
            } else if !seen.insert(name).inserted {
                log.add(source.error("column '\(name)' appears twice in the header", line: record.line, column: 1))
                valid = false
            }
        }
        return valid ? names : nil
    }
}

/// Splits CSV text into records, tracking the line each starts on.
struct CSVScanner {
    struct Record {
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

    init(_ text: String) { bytes = Array(text.utf8) }

    private static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","),
                       newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")

    /// The next record, skipping empty lines; nil at the end of the text.
    mutating func nextRecord() throws(Failure) -> Record? {
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
        return Record(line: startLine, fields: fields)
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
