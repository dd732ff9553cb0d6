import Testing
import TradeoffKit

struct ServerSentEventsTests {
    private func parse(_ text: String) -> [ServerSentEvent] { ServerSentEvents.parse(Array(text.utf8)) }

    @Test(arguments: ["\n", "\r\n", "\r"])
    func anyLineEndingSeparatesEvents(_ newline: String) {
        let body = ["data: one", "", "data: two", "", ""].joined(separator: newline)
        #expect(parse(body).map(\.data) == ["one", "two"])
    }

    @Test func dataLinesJoinWithNewlinesAndNamesAttach() {
        let events = parse("event: message_delta\ndata: {\"a\":\ndata: 1}\n\n")
        #expect(events.count == 1)
        #expect(events[0].name == "message_delta")
        #expect(events[0].data == "{\"a\":\n1}")
    }

    @Test func commentsKeepAlivesAndUnknownFieldsAreSkipped() {
        let events = parse(": OPENROUTER PROCESSING\n\n:\n\nid: 7\nretry: 100\ndata: x\n\nevent: ping\n\n")
        #expect(events.map(\.data) == ["x"])
    }

    @Test func onlyOneLeadingSpaceIsDropped() {
        #expect(parse("data:  two spaces\n\ndata:none\n\n").map(\.data) == [" two spaces", "none"])
    }

    @Test func anEventPendingAtTheEndIsKept() {
        // Servers that close without the final blank line: the provider decides completeness.
        #expect(parse("data: a\n\ndata: [DONE]").map(\.data) == ["a", "[DONE]"])
    }

    @Test func endOffsetsPointPastEachEvent() {
        let body = "data: a\n\ndata: bb\n\n"
        let events = parse(body)
        #expect(events.map(\.endOffset) == [9, body.utf8.count])
    }
}

/// The byte-level parser against the String-per-line parser it replaced, on bodies built from the
/// pieces that could tell them apart: line endings in every combination, colons and spaces next
/// to combining marks and prepended characters, invalid UTF-8.
struct ServerSentEventsReferenceTests {
    private static let pieces: [[UInt8]] = [
        "data", "event", "id", ":", " ", "\r", "\n", "\r\n", "x", "é", "\u{301}", "\u{600}", "[DONE]", "{\"a\":1}",
    ].map { Array($0.utf8) } + [[0xFF], [0xE2, 0x82]]

    @Test func matchesTheCharacterLevelReference() {
        var generator = Xoshiro256(seed: 7)
        for _ in 0..<20_000 {
            var body: [UInt8] = []
            for _ in 0..<Int.random(in: 0...12, using: &generator) {
                body += Self.pieces[Int.random(in: 0..<Self.pieces.count, using: &generator)]
            }
            #expect(ServerSentEvents.parse(body) == Self.reference(body), "\(body)")
        }
    }

    /// The parser as it was, a String per line.
    private static func reference(_ body: [UInt8]) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        var name: String?
        var data: [String] = []
        var hasData = false
        var offset = 0
        func dispatch(at end: Int) {
            if hasData { events.append(ServerSentEvent(name: name, data: data.joined(separator: "\n"), endOffset: end)) }
            name = nil
            data.removeAll()
            hasData = false
        }
        func process(_ text: String, end: Int) {
            if text.isEmpty { return dispatch(at: end) }
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
            case "event": name = value.isEmpty ? nil : String(value)
            default: break
            }
        }
        var previousWasCR = false
        var bytes: [UInt8] = []
        for byte in body {
            offset += 1
            if byte == 10 && previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = byte == 13
            if byte == 10 || byte == 13 {
                process(String(decoding: bytes, as: UTF8.self), end: offset)
                bytes.removeAll()
            } else {
                bytes.append(byte)
            }
        }
        if !bytes.isEmpty { process(String(decoding: bytes, as: UTF8.self), end: offset) }
        dispatch(at: offset)
        return events
    }
}
