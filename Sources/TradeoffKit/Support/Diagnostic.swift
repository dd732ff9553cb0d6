/// A problem found in an input file, with its position, printed the way a compiler does:
///
///     suites/x.yaml:12:7: error: unknown grader type 'exakt' (did you mean 'exact'?)
///           - {type: exakt, expected: "{{label}}"}
///                    ^
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// How bad the problem is.
    public enum Severity: String, Sendable, Hashable, CaseIterable {
        case error
        case warning
    }

    public var severity: Severity
    /// The file the problem is in, as the user named it (or relative to the suite's folder).
    public var file: String
    /// 1-based line, or nil when the problem concerns the whole file.
    public var line: Int?
    /// 1-based column, or nil when unknown.
    public var column: Int?
    /// What is wrong and, where possible, what to do.
    public var message: String
    /// The source line the problem is on, shown under the message with a caret.
    public var sourceLine: String?

    public init(_ severity: Severity = .error, file: String, line: Int?, column: Int?, message: String,
                sourceLine: String? = nil) {
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.sourceLine = sourceLine
    }

    /// `file:line:column: severity: message`, then the source line and a caret under the column.
    public var description: String {
        var position = file
        if let line {
            position += ":\(line)"
            if let column { position += ":\(column)" }
        }
        var text = "\(position): \(severity.rawValue): \(message)"
        if let sourceLine {
            let (shown, caret) = Self.excerpt(of: sourceLine, around: column)
            text += "\n" + shown
            if let caret {
                // Keep tabs so the caret lines up under tab-indented text.
                let pad = shown.prefix(caret - 1).map { $0 == "\t" ? "\t" : " " }.joined()
                text += "\n" + pad + "^"
            }
        }
        return text
    }

    /// Source lines up to this many bytes are shown whole (a long suite line stays readable).
    static let wholeLineLimit = 240
    /// Characters shown either side of the caret on a longer line.
    static let excerptRadius = 60

    /// The part of `line` to show: all of it when at most `wholeLineLimit` bytes; else the
    /// characters within `excerptRadius` of `column` (the start of the line when there is no
    /// column), with `…` where text is left out — a 100 MB dataset row prints as a few hundred bytes.
    ///
    /// - Returns: the text to show, and the caret's 1-based column in it (nil without a column).
    static func excerpt(of line: String, around column: Int?) -> (text: String, caret: Int?) {
        let width = 2 * excerptRadius + 1
        if line.utf8.count <= wholeLineLimit { return (line, column.flatMap { $0 >= 1 ? $0 : nil }) }
        let target = max(column ?? 1, 1) - 1
        let first = max(target - excerptRadius, 0)
        guard let start = line.index(line.startIndex, offsetBy: first, limitedBy: line.endIndex) else {
            // The column is past the line's end: show its end, the caret just after it.
            let tail = line.suffix(width)
            return ("…" + tail, column.map { _ in tail.count + 2 })
        }
        let end = line.index(start, offsetBy: width, limitedBy: line.endIndex) ?? line.endIndex
        if start == line.startIndex && end == line.endIndex { return (line, column.map { _ in target + 1 }) }
        let lead = start == line.startIndex ? "" : "…"
        let text = lead + line[start..<end] + (end == line.endIndex ? "" : "…")
        return (text, column.map { _ in target - first + lead.count + 1 })
    }
}

/// Loading found problems; `diagnostics` holds every one of them, in file order.
public struct DiagnosticsError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    /// All diagnostics, one block each, then a count: `2 errors generated.`
    public var description: String {
        let errors = diagnostics.filter { $0.severity == .error }.count
        let summary = errors == 1 ? "1 error generated." : "\(errors) errors generated."
        return (diagnostics.map(\.description) + [summary]).joined(separator: "\n")
    }
}

/// A position in an input file (1-based line and column).
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`
    public var description: String { "\(file):\(line):\(column)" }
}
