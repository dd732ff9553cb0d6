import Foundation
import Yams

/// A YAML file composed to a node tree (every node keeps its line and column), with its text
/// kept for diagnostics.
struct YAMLDocument {
    /// The file's name and lines.
    let source: SourceText
    /// The root node, or nil when the file holds no document.
    let root: Node?

    /// The file name shown in diagnostics.
    var file: String { source.file }

    /// Composes `text`; a syntax error becomes a diagnostic at its position.
    static func parse(_ text: String, file: String) -> Result<YAMLDocument, DiagnosticsError> {
        let source = SourceText(file: file, text: text)
        do {
            // No tag resolution: decoding reads each scalar's text itself, and Yams's default
            // resolver compiles seven NSRegularExpressions at start-up and runs them on every
            // key it hashes for the duplicate check. Keys then compare by text alone, so `1:`
            // and `"1":` are duplicates, as they are to the decoder.
            let root = try Yams.compose(yaml: source.text, .basic, .default, .utf8)
            return .success(YAMLDocument(source: source, root: root))
        } catch let error as YamlError {
            return .failure(DiagnosticsError([syntaxDiagnostic(error, in: source)]))
        } catch {
            return .failure(DiagnosticsError([source.error("invalid YAML: \(error)", line: nil, column: nil)]))
        }
    }

    /// How deeply libyaml lets lists and mappings nest (its `MAX_NESTING_LEVEL`), for the message.
    static let maxNesting = 1000

    /// An error at `node`'s position.
    func error(_ message: String, at node: Node) -> Diagnostic {
        error(message, at: node.mark)
    }

    /// An error at `mark`.
    func error(_ message: String, at mark: Mark?) -> Diagnostic {
        source.error(message, line: mark?.line, column: mark?.column)
    }

    private static func syntaxDiagnostic(_ error: YamlError, in source: SourceText) -> Diagnostic {
        func problem(_ problem: String, _ context: YamlError.Context?) -> String {
            guard let context else { return "invalid YAML: \(problem)" }
            return "invalid YAML: \(problem) (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
        }
        switch error {
        case let .parser(_, text, mark, _) where text.hasPrefix("Maximum nesting level reached"):
            // libyaml's own words name a C function to call: say what it means for the file.
            return source.error("invalid YAML: lists and mappings nest too deeply here (the YAML reader stops at "
                                + "\(maxNesting) levels); nest them less deeply — a suite or catalog needs only a few "
                                + "levels — or close the '[' or '{' left open", line: mark.line, column: mark.column)
        case let .scanner(context, text, mark, _), let .parser(context, text, mark, _),
             let .composer(context, text, mark, _):
            return source.error(problem(text, context), line: mark.line, column: mark.column)
        case let .reader(text, offset, _, _):
            let position = offset.map { Self.position(ofCharacter: $0, in: source.text) }
            return source.error("invalid YAML: \(text)", line: position?.line, column: position?.column)
        case let .duplicatedKeysInMapping(duplicates, context):
            let key = duplicates.first ?? ""
            if let second = secondOccurrence(ofKey: key, after: context.mark, in: source) {
                return source.error("duplicate key '\(key)' (first at line \(context.mark.line))",
                                    line: second.line, column: second.column)
            }
            return source.error("duplicate key '\(key)' in this mapping",
                                line: context.mark.line, column: context.mark.column)
        default:
            return source.error("invalid YAML: \(error)", line: nil, column: nil)
        }
    }

    /// Line and column (1-based) of the character at `offset`.
    private static func position(ofCharacter offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1, column = 1
        for character in text.prefix(offset) {
            if character == "\n" || character == "\r\n" { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }

    /// Yams reports a duplicated key at its first occurrence; the mistake is usually the second,
    /// so look for the same key written again after the first one.
    private static func secondOccurrence(ofKey key: String, after first: Mark, in source: SourceText)
        -> (line: Int, column: Int)?
    {
        guard !key.isEmpty else { return nil }
        for lineNumber in first.line...max(first.line, source.lines.count) {
            guard let text = source.line(lineNumber) else { break }
            let characters = Array(text)
            let start = lineNumber == first.line ? first.column : 0
            var index = start
            while index < characters.count {
                if matchesKey(key, in: characters, at: index) { return (lineNumber, index + 1) }
                index += 1
            }
        }
        return nil
    }

    /// Whether `key`, optionally quoted, followed by `:`, starts at `index` of `characters`.
    private static func matchesKey(_ key: String, in characters: [Character], at index: Int) -> Bool {
        if index > 0, !" \t{,-".contains(characters[index - 1]) { return false }
        var i = index
        let quote = characters[i] == "\"" || characters[i] == "'" ? characters[i] : nil
        if quote != nil { i += 1 }
        for character in key {
            guard i < characters.count, characters[i] == character else { return false }
            i += 1
        }
        if let quote {
            guard i < characters.count, characters[i] == quote else { return false }
            i += 1
        }
        while i < characters.count, characters[i] == " " { i += 1 }
        return i < characters.count && characters[i] == ":"
    }
}
