import Foundation
import Testing
@testable import TradeoffKit

/// `tool-call`, `no-tool-call` and `tool-call-count` against recorded calls.
struct ToolGraderTests {
    static let calls = [ToolCall(name: "get_weather", arguments: #"{"city":"Paris","days":2}"#),
                        ToolCall(name: "get_time", arguments: #"{"zone":"CET"}"#)]

    private static func path(_ text: String) -> JSONPath {
        // Test paths are valid.
        try! JSONPath(parsing: text)
    }

    @Test(arguments: [
        (GraderSpec.Kind.toolCall(ToolCallCheck(name: Template("get_weather"))), true, "called 'get_weather'"),
        (.toolCall(ToolCallCheck(name: Template("book_flight"))), false, "called 'get_weather' and 'get_time', not 'book_flight'"),
        (.toolCall(ToolCallCheck(name: nil)), true, "called 'get_weather'"),
        (.toolCall(ToolCallCheck(name: Template("get_weather"), arguments: .path(path("$.city"), .equals(Template("{{city}}"))))),
         true, "called 'get_weather' with $.city = \"Paris\""),
        (.toolCall(ToolCallCheck(name: Template("get_weather"), arguments: .path(path("$.days"), .equals(Template("3"))))),
         false, "called 'get_weather' but $.days is 2, expected '3'"),
        (.toolCall(ToolCallCheck(name: nil, arguments: .path(path("$.zone"), .exists))), true, "called 'get_time' with $.zone = \"CET\""),
        (.toolCall(ToolCallCheck(name: Template("get_weather"),
                                 arguments: .exactly(.object(["days": .number(2.0), "city": .string("Paris")])))),
         true, "called 'get_weather' with the expected arguments"),
        (.toolCall(ToolCallCheck(name: Template("get_time"), arguments: .exactly(.object(["zone": .string("UTC")])))),
         false, #"called 'get_time' but its arguments are '{"zone":"CET"}', expected '{"zone":"UTC"}'"#),
        (.noToolCall(name: nil), false, "called 'get_weather' and 'get_time'"),
        (.noToolCall(name: Template("book_flight")), true, "did not call 'book_flight'"),
        (.toolCallCount(name: nil, min: 1, max: 1), false, "2 calls, expected at least 1 and at most 1"),
        (.toolCallCount(name: Template("get_time"), min: 1, max: nil), true, "1 call of 'get_time'"),
    ])
    func gradesTheCalls(kind: GraderSpec.Kind, passed: Bool, reason: String) throws {
        let outcome = try Grader(GraderSpec(kind)).grade("", toolCalls: Self.calls, variables: ["city": "Paris"])
        #expect(outcome.passed == passed)
        #expect(outcome.reason == reason)
    }

    @Test func argumentsCheckedAgainstASchema() throws {
        let schema = try #require(try? JSONTree.value(in: #"{"type":"object","required":["city"],"properties":{"city":{"type":"string"},"days":{"type":"integer","maximum":1}}}"#))
        var problems: [SchemaProblem] = []
        let compiled = JSONSchema.compile(SchemaSource(schema), problems: &problems)
        #expect(problems.isEmpty)
        let outcome = try Grader(GraderSpec(.toolCall(ToolCallCheck(name: nil, arguments: .schema(compiled)))))
            .grade("", toolCalls: Self.calls, variables: [:])
        #expect(outcome.passed == false)
        #expect(outcome.reason.hasPrefix("called 'get_weather' but its arguments do not match the schema: "), "\(outcome.reason)")
    }

    @Test func noCallsAtAll() throws {
        let outcome = try Grader(GraderSpec(.toolCall(ToolCallCheck(name: Template("get_weather")))))
            .grade("It is sunny.", variables: [:])
        #expect(outcome.passed == false)
        #expect(outcome.reason == "called no tool, expected 'get_weather'")
        let none = try Grader(GraderSpec(.noToolCall(name: nil))).grade("It is sunny.", variables: [:])
        #expect(none.passed && none.reason == "called no tool")
    }

    @Test func storedCallsRoundTrip() {
        let stored = ToolCall.stored(Self.calls)
        #expect(stored == #"[{"arguments":"{\"city\":\"Paris\",\"days\":2}","name":"get_weather"},{"arguments":"{\"zone\":\"CET\"}","name":"get_time"}]"#)
        #expect(ToolCall.decoded(stored) == Self.calls)
        #expect(ToolCall.stored([]) == nil)
        #expect(ToolCall(name: "x", arguments: "not json").arguments == "not json")
        #expect(ToolCall(name: "x", arguments: "").arguments == "{}")
    }
}
