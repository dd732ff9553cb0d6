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

    /// The 1-based line `number`, if the file has it, safe to print: a key pasted into the file
    /// is masked, whatever the diagnostic on that line is about.
    func line(_ number: Int) -> String? {
        lines.indices.contains(number - 1) ? Self.redactingKeys(lines[number - 1]) : nil
    }

    /// `line` with every value that looks like a secret masked with `*`, same length, so carets
    /// later on the line still point at their column: a key under `api_key_env`, `api_key`,
    /// `token`, `password` and the like (`key: ...` or `key=...`, as in a URL's query), a
    /// password in a URL's user part, and anything with a known key prefix (`sk-`, `AIza`, ...).
    static func redactingKeys(_ line: String) -> String {
        var masked: [Range<String.Index>] = []
        // `name: value` or `name=value` where the name says a secret is its value.
        let secretField = /(?i)(?:^|[^A-Za-z0-9_-])(api_key_env|api[_-]?key|x-api-key|key|(?:access[_-]?|auth[_-]?|bearer[_-]?)?token|secret|client[_-]?secret|password|passwd|pwd|authorization|bearer)["']?\s*[:=]\s*["']?([^"'\s,}\]&#]+)/
        for match in line.matches(of: secretField) {
            let name = match.1.lowercased(), value = String(match.2)
            guard !value.hasPrefix("${") else { continue }
            if name == "api_key_env" ? Secrets.looksLikeKey(value) : Secrets.mayBeSecret(value) {
                masked.append(match.2.startIndex..<match.2.endIndex)
            }
        }
        for match in line.matches(of: /:\/\/[^\/@\s:'"]*:([^\/@\s'"]+)@/) where !match.1.hasPrefix("${") {
            masked.append(match.1.startIndex..<match.1.endIndex)
        }
        // A value with a key prefix, wherever it is.
        for match in line.matches(of: /(?:^|[^A-Za-z0-9])((?:sk-|sk_|gsk_|xai-|hf_|AIza|ghp_|github_pat_|r8_)[A-Za-z0-9_\-]{8,})/) {
            masked.append(match.1.startIndex..<match.1.endIndex)
        }
        guard !masked.isEmpty else { return line }
        var text = ""
        var next = line.startIndex
        for range in masked.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            let lower = max(range.lowerBound, next)
            guard lower < range.upperBound else { continue }
            text += line[next..<lower]
            text += String(repeating: "*", count: line[lower..<range.upperBound].count)
            next = range.upperBound
        }
        return text + line[next...]
    }

    /// The 1-based line and column of the `occurrence`-th (0-based) non-overlapping `needle`
    /// at or after `line`:`column`, each line searched on its own; nil when there are fewer.
    ///
    /// This finds in the file a piece of a value the YAML reader has already unquoted:
    /// unquoting leaves `{{` as it was, so the n-th `{{` of the value is the n-th in the file
    /// from where the value starts.
    func position(ofOccurrence occurrence: Int, of needle: String, fromLine line: Int, column: Int)
        -> (line: Int, column: Int)?
    {
        var remaining = occurrence
        var number = max(line, 1)
        while lines.indices.contains(number - 1) {
            let text = lines[number - 1]
            let skip = number == line ? max(column - 1, 0) : 0
            var rest = text.index(text.startIndex, offsetBy: skip, limitedBy: text.endIndex).map { text[$0...] } ?? ""
            while let found = rest.range(of: needle) {
                if remaining == 0 { return (number, text.distance(from: text.startIndex, to: found.lowerBound) + 1) }
                remaining -= 1
                rest = rest[found.upperBound...]
            }
            number += 1
        }
        return nil
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
