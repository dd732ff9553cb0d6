import Foundation

/// An input file's name and lines, kept so every diagnostic can show the line it is about.
struct SourceText: Sendable {
    /// The file name shown in diagnostics.
    let file: String
    /// The text without a leading byte-order mark.
    let text: String
    /// The lines, without their `\n` or `\r\n`.
    let lines: [String]

    init(file: String, text: String) {
        self.file = file
        let text = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        self.text = text
        // Split on "\n" only (a Character-based split would treat "\r\n" as one character).
        self.lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map {
            var line = Substring($0)
            if line.hasSuffix("\r") { line = line.dropLast() }
            return String(line)
        }
    }

    /// The 1-based line `number`, if the file has it, safe to print: an API key pasted into
    /// `api_key_env` is redacted, whatever the diagnostic on that line is about.
    func line(_ number: Int) -> String? {
        lines.indices.contains(number - 1) ? Self.redactingKeys(lines[number - 1]) : nil
    }

    static func redactingKeys(_ line: String) -> String {
        guard line.contains("api_key_env"),
              let match = line.firstMatch(of: /api_key_env["']?\s*:\s*["']?([^"'\s,}\]]+)/)
        else { return line }
        let value = String(match.1)
        guard Secrets.looksLikeKey(value) else { return line }
        // Mask in place, same length, so carets later on the line still point at their column.
        return line.replacingOccurrences(of: value, with: String(repeating: "*", count: value.count))
    }

    /// An error at `line`:`column` showing that line.
    func error(_ message: String, line: Int?, column: Int?) -> Diagnostic {
        Diagnostic(.error, file: file, line: line, column: column, message: message,
                   sourceLine: line.flatMap(self.line))
    }
}

/// Reads an input file, telling apart the ways that can fail.
enum InputFile {
    /// Why a file could not be read, phrased to follow the file's name.
    enum Problem: Error {
        case missing
        case directory
        case unreadable
        case notUTF8

        var message: String {
            switch self {
            case .missing: "does not exist"
            case .directory: "is a directory, not a file"
            case .unreadable: "cannot be read"
            case .notUTF8: "is not UTF-8 text"
            }
        }
    }

    /// The bytes of the file at `path`.
    static func bytes(atPath path: String) -> Result<Data, Problem> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .failure(.missing) }
        guard !isDirectory.boolValue else { return .failure(.directory) }
        guard let data = FileManager.default.contents(atPath: path) else { return .failure(.unreadable) }
        return .success(data)
    }

    /// The bytes and text of the file at `path`.
    static func text(atPath path: String) -> Result<(Data, String), Problem> {
        bytes(atPath: path).flatMap { data in
            guard let text = String(data: data, encoding: .utf8) else { return .failure(.notUTF8) }
            return .success((data, text))
        }
    }

    /// `path` resolved against the folder of `base` (the file that names it), as shown to the
    /// user: `suites/x.yaml` + `data/t.jsonl` is `suites/data/t.jsonl`.
    static func path(_ path: String, relativeTo base: String) -> String {
        if path.hasPrefix("/") { return path }
        guard let slash = base.lastIndex(of: "/") else { return path }
        return String(base[...slash]) + path
    }
}
