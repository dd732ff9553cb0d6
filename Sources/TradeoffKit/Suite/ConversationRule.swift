/// How a task reads the conversations of its JSONL dataset's rows, and what makes one a
/// conversation a model can answer once the task's own turns are around it.
struct ConversationRule: Sendable {
    /// The field holding a row's turns (`messages`, or the task's `messages_field:`).
    var field: String
    /// The roles of the task's turns before a row's: its system prompt and its `messages`.
    var leadingRoles: [ChatMessage.Role]
    /// Whether the task's prompt follows a row's turns as the final user turn.
    var endsWithPrompt: Bool
    /// The task, for messages (`task 'support'`).
    var label: String
    /// What to report instead of a row without a conversation, when the task relies on the
    /// default field and has no turns or prompt of its own: most likely its prompt is missing.
    var missingPrompt: Diagnostic? = nil

    /// A problem of one row, and the column it is at.
    struct Problem {
        var message: String
        var column: Int
        /// Whether the row lacks a conversation it needs: said once per dataset, not per row.
        var isMissing = false
    }

    /// What is wrong with the conversation of the row `bytes` (whose variables are `values`) at
    /// 1-based `position`; nil when it is fine, or when the row has none and needs none.
    func problem(ofRow bytes: ArraySlice<UInt8>, values: [String: String], position: Int) -> Problem? {
        var turns: [MessageTemplate] = []
        if values[field] != nil {
            do {
                turns = try Dataset.conversation(in: bytes, field: field) ?? []
            } catch {
                return Problem(message: error.message, column: error.column)
            }
        }
        if turns.isEmpty && !endsWithPrompt && leadingRoles.last != .user {
            return Problem(message: "this row has no '\(field)' field and \(label) has no 'prompt'; give the row its "
                           + "conversation in '\(field)', or the task a 'prompt:' (the first such row is shown)",
                           column: 1, isMissing: true)
        }
        let id = values["id"].flatMap { $0.isEmpty ? nil : $0 } ?? String(position)
        let roles = leadingRoles + turns.map(\.role) + (endsWithPrompt ? [.user] : [])
        return MessageTemplate.problem(roles: roles, owner: "case '\(id)'").map { Problem(message: $0, column: 1) }
    }
}
