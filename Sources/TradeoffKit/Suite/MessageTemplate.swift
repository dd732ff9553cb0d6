/// One turn of a conversation as a suite gives it: a role and the template of its content.
///
/// Turns written in the suite (`messages:` of a task or a case) are templates filled from the
/// case's variables, like `prompt:`; turns read from a dataset row are sent as written.
public struct MessageTemplate: Sendable, Hashable {
    /// Who speaks.
    public var role: ChatMessage.Role
    /// The content, with `{{name}}` placeholders.
    public var content: Template
    /// Images sent after the text (`content: [{text: ...}, {image: photos/x.png}]`), read when
    /// the suite loads.
    public var images: [ChatImage]

    /// Creates a turn.
    public init(role: ChatMessage.Role, content: Template, images: [ChatImage] = []) {
        self.role = role
        self.content = content
        self.images = images
    }

    /// The turn with its placeholders filled from `variables`.
    public func render(_ variables: [String: String]) -> ChatMessage {
        ChatMessage(role: role, content: content.render(variables), images: images)
    }
}

extension MessageTemplate {
    /// What is wrong with a conversation whose turns have `roles`, in words that say what to do;
    /// nil when a model can answer it: at least one turn, system turns only before the others (a
    /// provider takes the system prompt apart from the turns), and a `user` turn last (the one
    /// the model answers).
    ///
    /// - Parameter owner: Names the conversation in the message (`case 'c1'`, `task 't'`).
    static func problem(roles: [ChatMessage.Role], owner: String) -> String? {
        guard let last = roles.last else {
            return "\(owner) has no turns to send; give it 'messages' or the task a 'prompt'"
        }
        if let firstTurn = roles.firstIndex(where: { $0 != .system }),
           roles[firstTurn...].contains(.system) {
            return "the conversation of \(owner) has a 'system' turn after a user or assistant turn; put system turns "
                + "first (or in the task's 'system:'), since providers take the system prompt apart from the turns"
        }
        guard last == .user else {
            return "the conversation of \(owner) ends with a '\(last.rawValue)' turn, but a model answers the last "
                + "'user' turn; end it with a user turn, or give the task a 'prompt:' (sent as the final user turn)"
        }
        return nil
    }
}
