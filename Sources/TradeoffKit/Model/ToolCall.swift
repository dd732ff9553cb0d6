import Foundation

/// A call of a tool the model answered with: the tool's name and its arguments as canonical
/// JSON (keys sorted, no spaces), or as sent when they are not JSON (a grader says so).
public struct ToolCall: Sendable, Hashable, Codable {
    /// The tool called.
    public var name: String
    /// The arguments: canonical JSON text when they parse, else the text as sent.
    public var arguments: String

    /// Creates a call, canonicalizing `arguments` when they are JSON.
    public init(name: String, arguments: String) {
        self.name = name
        self.arguments = Self.canonical(arguments)
    }

    /// Creates a call from arguments already parsed (Anthropic's `input`, Gemini's `args`).
    public init(name: String, value: JSONValue) {
        self.name = name
        arguments = Self.canonicalText(value) ?? "{}"
    }

    /// `text` as canonical JSON; empty text is `{}` (a call without arguments); text that is
    /// not JSON is kept as it is.
    static func canonical(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return "{}" }
        guard let parsed = try? JSONTree.value(in: trimmed), let canonical = canonicalText(parsed.jsonValue) else {
            return text
        }
        return canonical
    }

    /// Compact JSON with sorted keys, as `JSONEncoder` with `.sortedKeys` writes it.
    static func canonicalText(_ value: JSONValue) -> String? {
        var writer = JSONWriter(escapingSlashes: false)
        guard writer.write(value) else { return nil }
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// The calls as stored in `calls.tool_calls`: a JSON array of `{"arguments","name"}`; nil
    /// for none.
    public static func stored(_ calls: [ToolCall]) -> String? {
        guard !calls.isEmpty else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(calls)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// An answer as reports show it: the text, then each call as `→ name(arguments)`.
    public static func shown(output: String?, calls: [ToolCall]) -> String? {
        guard !calls.isEmpty else { return output }
        let shown = calls.map { "→ \($0.name)(\($0.arguments))" }.joined(separator: " ")
        guard let output, !output.isEmpty else { return shown }
        return output + " " + shown
    }

    /// `shown(output:calls:)` as an SQL expression over a `calls` row, for reports that read
    /// their columns with SQL.
    static let answerSQL = """
        CASE WHEN tool_calls IS NULL THEN output ELSE ltrim(IFNULL(output, '') || ' ' || (SELECT group_concat(\
        '→ ' || json_extract(value, '$.name') || '(' || json_extract(value, '$.arguments') || ')', ' ') \
        FROM json_each(tool_calls))) END
        """

    /// The calls read back from `calls.tool_calls`; empty for NULL or unreadable text.
    public static func decoded(_ stored: String?) -> [ToolCall] {
        guard let stored, let data = stored.data(using: .utf8) else { return [] }
        return (try? JSONDecoder().decode([ToolCall].self, from: data)) ?? []
    }
}
