/// One message of a chat request, reduced to what the simulation reads.
struct ChatMessage: Sendable, Hashable {
    /// `system`, `developer`, `user`, `assistant` or `tool`.
    var role: String
    /// The text; content parts are joined, non-text parts dropped.
    var content: String
    /// The images of the message's parts, in order.
    var images: [ImageInput] = []
}
