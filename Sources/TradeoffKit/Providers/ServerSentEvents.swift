import Foundation

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
        if let events = body.withContiguousStorageIfAvailable(parse(bytes:)) { return events }
        return Array(body).withUnsafeBufferPointer(parse(bytes:))
    }

    private static func parse(bytes body: UnsafeBufferPointer<UInt8>) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        forEachEvent(in: body) { name, data, endOffset in
            events.append(ServerSentEvent(name: name, data: String(decoding: data, as: UTF8.self), endOffset: endOffset))
            return true
        }
        return events
    }

    /// The parser proper, over bytes, handing each event to `handle` until it returns false:
    /// its name, its data (the `data:` values joined with "\n", as bytes valid during the call
    /// only) and its end offset. A stream read this way makes no String per event.
    static func forEachEvent(in body: UnsafeBufferPointer<UInt8>,
                             _ handle: (_ name: String?, _ data: UnsafeBufferPointer<UInt8>, _ endOffset: Int) -> Bool) {
        var name: String?
        // An event's one `data:` line is handed over where it lies in the body; only an event of
        // several lines is joined into `data` (copying every event was 0.5% of a call's CPU).
        var line: UnsafeBufferPointer<UInt8>?
        var data: [UInt8] = []
        var hasData = false
        var stopped = false

        func dispatch(at end: Int) {
            if hasData, !stopped {
                if let line {
                    stopped = !handle(name, line, end)
                } else {
                    stopped = !data.withUnsafeBufferPointer { handle(name, $0, end) }
                }
            }
            name = nil
            line = nil
            data.removeAll(keepingCapacity: true)
            hasData = false
        }

        func appendData<Value: Collection<UInt8>>(_ value: Value) {
            if let first = line {
                data.append(contentsOf: first)
                line = nil
            }
            if hasData { data.append(UInt8(ascii: "\n")) }
            data.append(contentsOf: value)
            hasData = true
        }

        func appendData(_ value: UnsafeBufferPointer<UInt8>) {
            guard hasData else {
                line = value
                hasData = true
                return
            }
            appendData(value[...])
        }

        func process(_ line: UnsafeBufferPointer<UInt8>, end: Int) {
            guard let first = line.first else {
                dispatch(at: end)
                return
            }
            if first == UInt8(ascii: ":") { return }
            let colon = line.firstIndex(of: UInt8(ascii: ":"))
            // Non-ASCII before or just after the colon could join it (or the space after it)
            // into one Character with its neighbour: such lines keep the Character rules.
            let head = colon.map { min(line.count, $0 + 2) } ?? 0
            if line[..<head].contains(where: { $0 >= 0x80 }) {
                processAsText(String(decoding: line, as: UTF8.self))
                return
            }
            let field = UnsafeBufferPointer(rebasing: line[..<(colon ?? line.count)])
            var valueStart = colon.map { $0 + 1 } ?? line.count
            if valueStart < line.count, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
            let value = UnsafeBufferPointer(rebasing: line[valueStart...])
            if field.elementsEqual("data".utf8) {
                appendData(value)
            } else if field.elementsEqual("event".utf8) {
                name = value.isEmpty ? nil : String(decoding: value, as: UTF8.self)
            }
            // id, retry and unknown fields mean nothing to a one-shot client.
        }

        func processAsText(_ text: String) {
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
            case "data": appendData(value.utf8)
            case "event": name = value.isEmpty ? nil : String(value)
            default: break
            }
        }

        // Streams end lines with LF: then memchr finds them. A CR anywhere means the byte walk.
        let hasCR = body.isEmpty ? false : memchr(body.baseAddress!, Int32(UInt8(ascii: "\r")), body.count) != nil
        var lineStart = 0
        var index = 0
        while index < body.count, !stopped {
            if !hasCR {
                guard let found = memchr(body.baseAddress! + index, Int32(UInt8(ascii: "\n")), body.count - index) else { break }
                index = body.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
            }
            let byte = body[index]
            guard byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") else {
                index += 1
                continue
            }
            // A line ends at its CR or LF; the LF of a CRLF is skipped, not counted as a line.
            process(UnsafeBufferPointer(rebasing: body[lineStart..<index]), end: index + 1)
            index += byte == UInt8(ascii: "\r") && index + 1 < body.count && body[index + 1] == UInt8(ascii: "\n") ? 2 : 1
            lineStart = index
        }
        if lineStart < body.count, !stopped { process(UnsafeBufferPointer(rebasing: body[lineStart...]), end: body.count) }
        dispatch(at: body.count)
    }
}
