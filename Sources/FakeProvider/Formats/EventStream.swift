/// A streamed answer as a list of events, before it is framed into bytes.
struct EventStream: Sendable {
    /// How events become bytes.
    enum Framing: Sendable, Hashable {
        /// Server-sent events with `\n` line ends (OpenAI, Anthropic).
        case sse
        /// Server-sent events with `\r\n` line ends, as Google sends them.
        case sseCRLF
        /// A JSON array sent element by element (Gemini without `alt=sse`).
        case jsonArray
    }

    var framing: Framing
    var events: [StreamEvent]
    /// The events that carry answer text: a cut or an error comes after the first half of them.
    var content: Range<Int>

    /// The content type of the response.
    var contentType: String {
        framing == .jsonArray ? "application/json; charset=UTF-8" : "text/event-stream; charset=utf-8"
    }

    /// Where a fault stops the stream: after the first half of the content events (at least one).
    var faultIndex: Int {
        content.isEmpty ? content.lowerBound : content.lowerBound + (content.count + 1) / 2
    }

    /// The bytes of the event at `index` (its position matters for a JSON array's commas).
    func bytes(of event: StreamEvent, at index: Int) -> [UInt8] {
        let text: String
        switch (framing, event) {
        case (.jsonArray, .comment):
            text = ""
        case (.jsonArray, .message(_, let data)):
            text = (index == 0 ? "[" : ",\r\n") + data
        case (_, .comment(let comment)):
            text = ": \(comment)" + lineEnd + lineEnd
        case (_, .message(let name, let data)):
            text = (name.map { "event: \($0)" + lineEnd } ?? "") + "data: \(data)" + lineEnd + lineEnd
        }
        return Array(text.utf8)
    }

    /// What follows the last event of a complete stream: `]` for a JSON array, else nothing.
    var closing: [UInt8] {
        framing == .jsonArray ? Array("]".utf8) : []
    }

    private var lineEnd: String { framing == .sseCRLF ? "\r\n" : "\n" }
}
