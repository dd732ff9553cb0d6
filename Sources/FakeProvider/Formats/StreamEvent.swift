/// One event of a stream.
enum StreamEvent: Sendable {
    /// An SSE comment line (`: text`), which clients must skip.
    case comment(String)
    /// An event with an optional `event:` name and its `data:` text.
    case message(name: String?, data: String)

    /// A `data:` event holding `json`.
    static func data(_ json: JSONValue, name: String? = nil) -> StreamEvent {
        .message(name: name, data: json.text)
    }

    /// This event with its data cut in the middle, so it is not valid JSON.
    var malformed: StreamEvent {
        guard case .message(let name, let data) = self else { return self }
        return .message(name: name, data: String(data.prefix(max(1, data.count / 2))))
    }
}
