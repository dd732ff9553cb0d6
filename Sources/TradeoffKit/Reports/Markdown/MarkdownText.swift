/// The Markdown renderer's escaping and syntax: model and user text, Tradeoff's own prose, code
/// spans, table rows.
enum MarkdownText {
    /// Escapes text from a model or a user file for a table cell (or any inline Markdown):
    /// HTML's `&`, `<`, `>` become entities, `\`, `|`, `` ` ``, `*`, `_`, `[`, `]` are
    /// backslash-escaped, and line breaks become `<br>`, so the text shows as written and stays
    /// in its cell.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            // A table row is split at every `|` not escaped, and `\\|` escapes the backslash, not
            // the pipe: backslashes are doubled first so a literal `\|` stays in its cell.
            case "\\": out += "\\\\"
            case "|": out += "\\|"
            case "`": out += "\\`"
            case "*", "_", "[", "]": out += "\\" + String(character)
            case "\r\n", "\n", "\r", "\u{2028}", "\u{2029}": out += "<br>"
            default: out.append(character)
            }
        }
        return out
    }

    /// Escapes Tradeoff's own wording, written as Markdown-safe prose (`p < 0.05` and
    /// `xoshiro256**` read as written): only what would break a table cell, `|` and line breaks.
    static func prose(_ text: String) -> String {
        guard text.contains(where: { $0 == "|" || $0.isNewline }) else { return text }
        var out = ""
        for character in text {
            switch character {
            case "|": out += "\\|"
            case _ where character.isNewline: out += "<br>"
            default: out.append(character)
            }
        }
        return out
    }

    /// `text` as an inline code span, fenced with more backticks than it holds.
    static func code(_ text: String) -> String {
        let flat = text.map { $0.isNewline ? " " : String($0) }.joined()
        var longest = 0
        var current = 0
        for character in flat {
            current = character == "`" ? current + 1 : 0
            longest = max(longest, current)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let padding = flat.hasPrefix("`") || flat.hasSuffix("`") ? " " : ""
        return fence + padding + flat + padding + fence
    }

    /// `| a | b |`.
    static func row(_ cells: [String]) -> String { "| " + cells.joined(separator: " | ") + " |" }
}
