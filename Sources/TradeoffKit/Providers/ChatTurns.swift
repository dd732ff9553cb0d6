/// The turns of a chat as Anthropic and Gemini take them: the system prompt apart, and the
/// other turns alternating, consecutive turns of one speaker joined into one (both document
/// alternating turns; OpenAI takes the list as it is).
struct ChatTurns {
    /// The system turns' text, joined by blank lines; empty without one.
    var system: String
    /// The user and assistant turns, no two consecutive ones of the same role.
    var turns: [ChatMessage]

    init(_ messages: [ChatMessage]) {
        system = messages.filter { $0.role == .system }.map(\.content).joined(separator: "\n\n")
        var turns: [ChatMessage] = []
        for message in messages where message.role != .system {
            if let last = turns.last, last.role == message.role {
                turns[turns.count - 1].content += "\n\n" + message.content
                turns[turns.count - 1].images += message.images
            } else {
                turns.append(message)
            }
        }
        self.turns = turns
    }
}
