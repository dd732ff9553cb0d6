import Foundation

/// The rows of a dataset file (JSONL or CSV): each row is one case's variables.
///
/// Rows keep the line they start on, so problems found later (a duplicate case id, a missing
/// variable) can point into the dataset file.
struct Dataset: Sendable {
    /// One row: its variables and where it starts.
    struct Row: Sendable, Hashable {
        /// 1-based line the row starts on.
        var line: Int
        /// Column name to value.
        var values: [String: String]
    }

    /// The file formats a dataset can have, chosen by extension.
    enum Format: Sendable {
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

    /// The file's name and lines.
    let source: SourceText
    /// The well-formed rows, in file order.
    var rows: [Row]

    /// Parses `text` as `format`. Each bad row adds a diagnostic at its line and is left out.
    static func parse(_ text: String, file: String, format: Format, log: inout DiagnosticLog) -> Dataset {
        let source = SourceText(file: file, text: text)
        switch format {
        case .jsonl: return Dataset(source: source, rows: jsonlRows(source, log: &log))
        case .csv: return Dataset(source: source, rows: csvRows(source, log: &log))
        }
    }
}
