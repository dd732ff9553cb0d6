import Foundation

/// The rows of a dataset file (JSONL or CSV): each row is one case's variables. A suite reads
/// its datasets as `DatasetFile`s, a row at a time; `parse` reads one whole from text.
struct Dataset: Sendable {
    /// One row: its variables and where it starts.
    struct Row: Sendable, Hashable {
        /// 1-based line the row starts on.
        var line: Int
        /// Column name to value.
        var values: [String: String]
    }

    /// The file formats a dataset can have, chosen by extension.
    enum Format: Sendable, Hashable {
        /// One JSON object per non-blank line (`.jsonl`, `.ndjson`).
        case jsonl
        /// RFC 4180 CSV with a header row (`.csv`).
        case csv

        /// The format for `path`'s extension, if it is a dataset extension.
        init?(path: String) {
            switch (path as NSString).pathExtension.lowercased() {
            case "jsonl", "ndjson": self = .jsonl
            case "csv": self = .csv
            default: return nil
            }
        }
    }

    /// The well-formed rows, in file order.
    var rows: [Row]

    /// Parses `text` as `format`. Each bad row adds a diagnostic at its line and is left out.
    static func parse(_ text: String, file: String, format: Format, log: inout DiagnosticLog) -> Dataset {
        var rows: [Row] = []
        var scanner = Scanner(file: file, format: format)
        var bytes: ArraySlice<UInt8>? = Array(text.utf8)[...]
        scanner.scan(log: &log, next: { defer { bytes = nil }; return bytes }, row: { row, _ in
            rows.append(Row(line: row.line, values: row.values))
        })
        return Dataset(rows: rows)
    }

    /// Why a row cannot be read.
    struct RowProblem: Error {
        var message: String
        /// Lines after the row's first (a CSV row's quoted field may span lines).
        var lineOffset = 0
        var column: Int
    }

    /// The variables of one row's bytes (without its line break).
    static func values(of bytes: ArraySlice<UInt8>, format: Format, header: [String]) throws(RowProblem)
        -> [String: String]
    {
        // Most rows are flat objects of strings: read those without building a tree. Anything
        // else (a number, a nested value, an escaped or repeated key, a bad byte) takes the full
        // path, which also words the errors.
        if format == .jsonl, let values = flatStringValues(bytes) { return values }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw RowProblem(message: "the row is not UTF-8 text", column: 1)
        }
        switch format {
        case .jsonl: return try jsonlValues(text)
        case .csv: return try csvValues(bytes, header: header)
        }
    }

    /// The members of a JSON object whose values are all strings; nil for any other row.
    private static func flatStringValues(_ bytes: ArraySlice<UInt8>) -> [String: String]? {
        bytes.withUnsafeBytes { raw in
            var reader = JSONReader(raw)
            // Room for a typical row up front: growing from empty rehashed it as it filled.
            var values = [String: String](minimumCapacity: 8)
            do {
                try reader.beginObject()
                while let key = try reader.nextKey() {
                    guard try reader.nextIsString(), values.updateValue(try reader.readString(), forKey: key.text) == nil
                    else { return nil }
                }
                try reader.end()
            } catch {
                return nil
            }
            return values
        }
    }

    /// A row's case: the `id` column names it (it is not a prompt variable), else its 1-based
    /// position among the rows.
    ///
    /// `values` is consumed: taking the id out of a dictionary the caller still held copied it
    /// whole, for every case a run reads back.
    static func testCase(_ values: consuming [String: String], position: Int) -> TestCase {
        let id = values.removeValue(forKey: "id").flatMap { $0.isEmpty ? nil : $0 } ?? String(position)
        return TestCase(id: id, variables: values)
    }

    /// Splits a dataset's bytes into rows and reads each, reporting a bad one at its line: one
    /// JSON object per non-blank line (JSONL), or a header record and then a record per row
    /// (CSV, where a quoted field may span lines).
    struct Scanner {
        let file: String
        let format: Format
        /// A CSV file's column names, once read.
        private(set) var header: [String]?
        /// Whether every row so far was good.
        private(set) var clean = true
        /// Bytes seen.
        private(set) var bytesScanned: Int64 = 0

        init(file: String, format: Format) {
            self.file = file
            self.format = format
        }

        /// A good row.
        struct Row {
            var values: [String: String]
            /// Where its bytes are in the file.
            var start: Int64
            var bytes: ArraySlice<UInt8>
            var line: Int

            /// Its first line, for a message about it.
            var text: String { String(decoding: bytes.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self) }
        }

        /// Reads every chunk `next` hands over (nil at the end) and gives each good row to `row`.
        mutating func scan(log: inout DiagnosticLog, next: () -> ArraySlice<UInt8>?,
                           row: (Row, inout DiagnosticLog) -> Void) {
            var pending: [UInt8] = []
            var pendingStart: Int64 = 0
            var scanned = 0
            var inQuotes = false
            var line = 1
            var innerLines = 0
            while let chunk = next() {
                pending.append(contentsOf: chunk)
                var recordStart = 0
                for index in scanned..<pending.count {
                    let byte = pending[index]
                    if format == .csv && byte == UInt8(ascii: "\"") {
                        inQuotes.toggle()
                    } else if byte == UInt8(ascii: "\n") {
                        if inQuotes {
                            innerLines += 1
                        } else {
                            record(pending[recordStart..<index], start: pendingStart + Int64(recordStart), line: line,
                                   log: &log, row: row)
                            line += 1 + innerLines
                            innerLines = 0
                            recordStart = index + 1
                        }
                    }
                }
                pending.removeFirst(recordStart)
                pendingStart += Int64(recordStart)
                scanned = pending.count
            }
            if !pending.isEmpty {
                record(pending[...], start: pendingStart, line: line, log: &log, row: row)
            }
            bytesScanned = pendingStart + Int64(pending.count)
            if format == .csv && header == nil && clean {
                fail("CSV file is empty; expected a header row naming the columns", line: nil, column: nil, text: nil,
                     log: &log)
            }
        }

        private mutating func record(_ raw: ArraySlice<UInt8>, start: Int64, line: Int, log: inout DiagnosticLog,
                                     row: (Row, inout DiagnosticLog) -> Void) {
            var bytes = raw
            var start = start
            if start == 0, bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
                bytes = bytes.dropFirst(3)
                start += 3
            }
            if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
            switch format {
            case .jsonl: guard bytes.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return }
            case .csv: guard !bytes.isEmpty else { return }
            }
            // Made only for a message: most rows never need it.
            var firstLine: String { String(decoding: bytes.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self) }
            if format == .csv && header == nil {
                do {
                    let (names, problems) = try Dataset.csvHeader(bytes)
                    for problem in problems { fail(problem, line: line, column: 1, text: firstLine, log: &log) }
                    header = problems.isEmpty ? names : []
                } catch {
                    fail(error.message, line: line + error.lineOffset, column: error.column, text: firstLine, log: &log)
                    header = []
                }
                return
            }
            // A CSV file whose header is broken has no rows worth reading.
            if header == [] { return }
            do {
                let values = try Dataset.values(of: bytes, format: format, header: header ?? [])
                row(Row(values: values, start: start, bytes: bytes, line: line), &log)
            } catch {
                fail(error.message, line: line + error.lineOffset, column: error.column,
                     text: error.lineOffset == 0 ? firstLine : nil, log: &log)
            }
        }

        private mutating func fail(_ message: String, line: Int?, column: Int?, text: String?, log: inout DiagnosticLog) {
            clean = false
            log.add(Diagnostic(.error, file: file, line: line, column: column, message: message,
                               sourceLine: text.map(SourceText.redactingKeys)))
        }
    }
}
