import Foundation

/// Conversations in JSONL datasets: a row's field (`messages` unless the task names another with
/// `messages_field:`) holds its turns, `[{"role": "user", "content": "..."}, ...]`. The turns
/// are sent as written, not filled as templates: a conversation taken from logs may hold `{{`.
extension Dataset {
    /// The turns in the field `field` of the JSONL row `bytes`; nil when the row has no such
    /// field. Read only for rows that have it, so rows without a conversation stay on the fast
    /// path.
    ///
    /// - Throws: `RowProblem` at the value that is not a list of turns.
    static func conversation(in bytes: ArraySlice<UInt8>, field: String) throws(RowProblem) -> [MessageTemplate]? {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw RowProblem(message: "the row is not UTF-8 text", column: 1)
        }
        let row: JSONTree.Node
        do {
            row = try JSONTree.value(in: text)
        } catch {
            throw RowProblem(message: "invalid JSON: \(error.message)", column: error.column)
        }
        guard let value = row[field] else { return nil }
        let shape = #"a list of turns like [{"role": "user", "content": "..."}]"#
        guard case .array(let items) = value.value else {
            throw RowProblem(message: "field '\(field)' must be \(shape), got \(value.kindDescription)", column: value.column)
        }
        guard !items.isEmpty else {
            throw RowProblem(message: "field '\(field)' is an empty list; give at least one turn (\(shape))",
                             column: value.column)
        }
        var turns: [MessageTemplate] = []
        for (index, item) in items.enumerated() {
            let name = "turn \(index + 1) of '\(field)'"
            guard let members = item.members else {
                throw RowProblem(message: "\(name) must be an object with 'role' and 'content', got \(item.kindDescription)",
                                 column: item.column)
            }
            if let extra = members.first(where: { $0.key != "role" && $0.key != "content" }) {
                throw RowProblem(message: "unknown key '\(extra.key)' in \(name); a turn has 'role' and 'content'",
                                 column: extra.keyColumn)
            }
            guard let roleNode = item["role"], let contentNode = item["content"] else {
                throw RowProblem(message: "\(name) must have 'role' and 'content'", column: item.column)
            }
            guard case .string(let roleText) = roleNode.value, let role = ChatMessage.Role(rawValue: roleText) else {
                throw RowProblem(message: Self.unknownRole(roleNode.kindDescription), column: roleNode.column)
            }
            guard case .string(let content) = contentNode.value else {
                throw RowProblem(message: "'content' of \(name) must be a string, got \(contentNode.kindDescription)",
                                 column: contentNode.column)
            }
            turns.append(MessageTemplate(role: role, content: Template.literal(content)))
        }
        return turns
    }

    /// `unknown role 'bot'; a turn's role is system, user or assistant`.
    static func unknownRole(_ written: String) -> String {
        let roles = ["system", "user", "assistant"]
        let bare = written.trimmingCharacters(in: CharacterSet(charactersIn: "'"))
        return "unknown role \(written); a turn's role is system, user or assistant"
            + (Suggestions.closest(to: bare, among: roles).map { " (did you mean '\($0)'?)" } ?? "")
    }
}
