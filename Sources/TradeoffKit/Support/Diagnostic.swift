/// A problem found in an input file, with its position, printed the way a compiler does:
///
///     suites/x.yaml:12:7: error: unknown grader type 'exakt' (did you mean 'exact'?)
///           - {type: exakt, expected: "{{label}}"}
///                    ^
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// How bad the problem is.
    public enum Severity: String, Sendable, Hashable {
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
            text += "\n" + sourceLine
            if let column, column >= 1 {
                // Keep tabs so the caret lines up under tab-indented text.
                let pad = sourceLine.prefix(column - 1).map { $0 == "\t" ? "\t" : " " }.joined()
                text += "\n" + pad + "^"
            }
        }
        return text
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
