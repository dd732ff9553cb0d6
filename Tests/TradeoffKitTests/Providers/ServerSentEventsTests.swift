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
