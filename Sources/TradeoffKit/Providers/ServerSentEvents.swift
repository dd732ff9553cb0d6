/// One server-sent event (the `text/event-stream` format of the WHATWG HTML standard).
public struct ServerSentEvent: Sendable, Hashable {
    /// The `event:` name; nil for unnamed events (OpenAI, Gemini).
    public var name: String?
    /// The `data:` lines joined with "\n".
    public var data: String
    /// Offset in the body just past the event's last line: when the event was complete.
    public var endOffset: Int

    public init(name: String?, data: String, endOffset: Int) {
        self.name = name
        self.data = data
        self.endOffset = endOffset
    }
}

/// Splits a `text/event-stream` body into events.
///
/// Follows the standard's parsing rules: lines end with CRLF, LF or CR; `:` starts a comment
/// (OpenRouter's `: OPENROUTER PROCESSING`, keep-alives); `data:` lines accumulate, joined by
/// "\n"; one space after the colon is dropped; an empty line dispatches the event; events
/// without data are dropped. Unlike the standard, an event still pending when the body ends
/// is kept — some servers close the stream without a final blank line — and the provider
/// decides from its own terminal event whether the stream was complete.
public enum ServerSentEvents {
    /// The events in `body`, in order.
    public static func parse(_ body: some Collection<UInt8>) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        var name: String?
        var data: [String] = []
        var hasData = false
        var offset = 0

        func dispatch(at end: Int) {
            if hasData { events.append(ServerSentEvent(name: name, data: data.joined(separator: "\n"), endOffset: end)) }
            name = nil
            data.removeAll(keepingCapacity: true)
            hasData = false
        }

        func process(_ text: String, end: Int) {
            if text.isEmpty {
                dispatch(at: end)
                return
            }
            if text.first == ":" { return }
            let field: Substring, value: Substring
            if let colon = text.firstIndex(of: ":") {
                field = text[..<colon]
                var rest = text[text.index(after: colon)...]
                if rest.first == " " { rest = rest.dropFirst() }
                value = rest
            } else {
                field = text[...]
                value = ""
            }
            switch field {
            case "data":
                data.append(String(value))
                hasData = true
            case "event":
                name = value.isEmpty ? nil : String(value)
            default:
                break  // id, retry and unknown fields mean nothing to a one-shot client.
            }
        }

        var index = body.startIndex
        var previousWasCR = false
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        while index != body.endIndex {
            let byte = body[index]
            index = body.index(after: index)
            offset += 1
            if byte == UInt8(ascii: "\n") && previousWasCR {
                // The LF of a CRLF: the line already ended at the CR.
                previousWasCR = false
                continue
            }
            previousWasCR = byte == UInt8(ascii: "\r")
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                process(String(decoding: bytes, as: UTF8.self), end: offset)
                bytes.removeAll(keepingCapacity: true)
            } else {
                bytes.append(byte)
            }
        }
        if !bytes.isEmpty { process(String(decoding: bytes, as: UTF8.self), end: offset) }
        dispatch(at: offset)
        return events
    }
}
