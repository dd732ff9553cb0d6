import Foundation
import Testing
@testable import FakeProvider

/// Tools and structured output as the fake provider answers them, in each wire format, and the
/// request shapes it refuses as the providers do.
@Suite("Tool calls and structured output")
struct ToolSimulationTests {
    static let config = FakeProviderConfig(models: [
        .init(name: "sim/right"),
        .init(name: "sim/invalid", structuredOutputForTests: .invalid),
        .init(name: "sim/ignores", structuredOutputForTests: .ignored),
    ])

    static let prompt = "Handle the request.\norder_id: A-1042\namount_usd: 18"
    static var lookup: [String: Any] { ["type": "object", "required": ["order_id"],
                                        "properties": ["order_id": ["type": "string"]]] }
    static var refund: [String: Any] { ["type": "object", "required": ["order_id", "amount_usd"],
                                        "properties": ["order_id": ["type": "string"], "amount_usd": ["type": "integer"]]] }
    static var openAITools: [[String: Any]] { [
        ["type": "function", "function": ["name": "lookup_order", "parameters": lookup]],
        ["type": "function", "function": ["name": "issue_refund", "parameters": refund]],
    ] }

    private func message(_ response: RawHTTPResponse) -> [String: Any]? {
        ((response.json["choices"] as? [[String: Any]])?.first)?["message"] as? [String: Any]
    }

    @Test("OpenAI: the tool whose required fields the prompt gives, with their values")
    func openAIToolCall() throws {
        try withServer(Self.config) { server in
            let response = try chat(server, model: "sim/right", user: Self.prompt,
                                    extra: ["tools": Self.openAITools, "tool_choice": "required"])
            #expect(response.status == 200)
            let call = try #require((message(response)?["tool_calls"] as? [[String: Any]])?.first)
            #expect(call["type"] as? String == "function")
            #expect(object(call, "function")?["name"] as? String == "issue_refund")
            #expect(object(call, "function")?["arguments"] as? String == #"{"amount_usd":18,"order_id":"A-1042"}"#)
            #expect(message(response)?["content"] is NSNull)
            let choice = (response.json["choices"] as? [[String: Any]])?.first
            #expect(choice?["finish_reason"] as? String == "tool_calls")

            // Streamed: a delta naming the call, then its arguments in pieces, by index.
            let streamed = try chat(server, model: "sim/right", user: Self.prompt,
                                    extra: ["tools": Self.openAITools, "tool_choice": "required", "stream": true])
            let deltas = streamed.dataObjects.compactMap { chunk in
                (((chunk["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any])?["tool_calls"]
                    as? [[String: Any]])?.first
            }
            #expect(deltas.first.flatMap { object($0, "function")?["name"] as? String } == "issue_refund")
            #expect(deltas.compactMap { object($0, "function")?["arguments"] as? String }.joined()
                    == #"{"amount_usd":18,"order_id":"A-1042"}"#)
            #expect(deltas.allSatisfy { $0["index"] as? Int == 0 })
        }
    }

    @Test("OpenAI: a tool choice naming a tool, none, and shapes OpenAI refuses")
    func openAIChoices() throws {
        try withServer(Self.config) { server in
            let named = try chat(server, model: "sim/right", user: Self.prompt,
                                 extra: ["tools": Self.openAITools,
                                         "tool_choice": ["type": "function", "function": ["name": "lookup_order"]]])
            let call = (message(named)?["tool_calls"] as? [[String: Any]])?.first
            #expect(object(call, "function")?["arguments"] as? String == #"{"order_id":"A-1042"}"#)
            let never = try chat(server, model: "sim/right", user: Self.prompt,
                                 extra: ["tools": Self.openAITools, "tool_choice": "none"])
            #expect(message(never)?["tool_calls"] == nil)
            #expect(message(never)?["content"] as? String == "I'm not sure.")

            let flat = try chat(server, model: "sim/right", user: Self.prompt,
                                extra: ["tools": [["name": "lookup_order", "parameters": Self.lookup]]])
            #expect(flat.status == 400)
            #expect(object(flat.json, "error")?["param"] as? String == "tools[0]")
            let orphan = try chat(server, model: "sim/right", user: Self.prompt, extra: ["tool_choice": "required"])
            #expect(orphan.status == 400)
            let unknown = try chat(server, model: "sim/right", user: Self.prompt,
                                   extra: ["tools": Self.openAITools,
                                           "tool_choice": ["type": "function", "function": ["name": "nope"]]])
            #expect(unknown.status == 400)
        }
    }

    @Test("A JSON Schema answer: valid, cut, or ignored by model", arguments: [
        ("sim/right", #"{"amount_usd":18,"order_id":"A-1042"}"#),
        ("sim/invalid", #"{"amount_usd":18,"order_id":"A-1042""#),
        ("sim/ignores", "I'm not sure."),
    ])
    func structuredOutput(model: String, expected: String) throws {
        try withServer(Self.config) { server in
            let format: [String: Any] = ["type": "json_schema",
                                         "json_schema": ["name": "refund", "schema": Self.refund, "strict": true]]
            let response = try chat(server, model: model, user: Self.prompt, extra: ["response_format": format])
            #expect(message(response)?["content"] as? String == expected)
            // Ollama's `format` and Gemini's `responseJsonSchema` ask the same.
            let ollama = try chat(server, model: model, user: Self.prompt, extra: ["format": Self.refund])
            #expect(message(ollama)?["content"] as? String == expected)
            let gemini = try gemini(server, model: model, user: Self.prompt,
                                    generationConfig: ["responseMimeType": "application/json",
                                                       "responseJsonSchema": Self.refund])
            let parts = object(((gemini.json["candidates"] as? [[String: Any]])?.first), "content")?["parts"]
            #expect((parts as? [[String: Any]])?.first?["text"] as? String == expected)
        }
    }

    @Test("Anthropic: tool_use blocks, streamed as input_json_delta; unknown choices refused")
    func anthropicToolUse() throws {
        try withServer(Self.config) { server in
            let tools: [[String: Any]] = [["name": "lookup_order", "input_schema": Self.lookup],
                                          ["name": "issue_refund", "input_schema": Self.refund]]
            let response = try anthropic(server, model: "sim/right", user: Self.prompt,
                                         extra: ["tools": tools, "tool_choice": ["type": "tool", "name": "lookup_order"]])
            #expect(response.status == 200)
            let block = try #require((response.json["content"] as? [[String: Any]])?.first)
            #expect(block["type"] as? String == "tool_use" && block["name"] as? String == "lookup_order")
            #expect((block["input"] as? [String: Any])?["order_id"] as? String == "A-1042")
            #expect(response.json["stop_reason"] as? String == "tool_use")

            let streamed = try anthropic(server, model: "sim/right", user: Self.prompt,
                                         extra: ["tools": tools, "tool_choice": ["type": "any"], "stream": true])
            let events = streamed.dataObjects
            #expect(events.contains { object($0, "content_block")?["type"] as? String == "tool_use" })
            let json = events.compactMap { object($0, "delta")?["partial_json"] as? String }.joined()
            #expect(json == #"{"amount_usd":18,"order_id":"A-1042"}"#)

            let bad = try anthropic(server, model: "sim/right", user: Self.prompt,
                                    extra: ["tools": tools, "tool_choice": ["type": "required"]])
            #expect(bad.status == 400)
            let noSchema = try anthropic(server, model: "sim/right", user: Self.prompt,
                                         extra: ["tools": [["name": "lookup_order", "parameters": Self.lookup]]])
            #expect(noSchema.status == 400)
        }
    }

    @Test("Gemini: functionCall parts under functionCallingConfig; a schema without the JSON MIME type refused")
    func geminiFunctionCalls() throws {
        try withServer(Self.config) { server in
            let body: [String: Any] = [
                "contents": [["role": "user", "parts": [["text": Self.prompt]]]],
                "tools": [["functionDeclarations": [["name": "lookup_order", "parametersJsonSchema": Self.lookup]]]],
                "toolConfig": ["functionCallingConfig": ["mode": "ANY", "allowedFunctionNames": ["lookup_order"]]],
            ]
            let response = try RawHTTPClient.send(port: server.port, path: "/v1beta/models/sim%2Fright:generateContent",
                                                  headers: [:], body: jsonText(body))
            #expect(response.status == 200)
            let parts = object(((response.json["candidates"] as? [[String: Any]])?.first), "content")?["parts"]
            let call = try #require(object((parts as? [[String: Any]])?.first, "functionCall"))
            #expect(call["name"] as? String == "lookup_order")
            #expect((call["args"] as? [String: Any])?["order_id"] as? String == "A-1042")

            let bad = try gemini(server, model: "sim/right", user: Self.prompt,
                                 generationConfig: ["responseJsonSchema": Self.refund])
            #expect(bad.status == 400)
        }
    }

    @Test("A wrong model gets the call wrong, deterministically")
    func wrongModels() throws {
        let config = FakeProviderConfig(models: [.init(name: "sim/wrong", accuracy: 0)])
        try withServer(config) { server in
            let first = try chat(server, model: "sim/wrong", user: Self.prompt,
                                 extra: ["tools": Self.openAITools, "tool_choice": "required"])
            let again = try chat(server, model: "sim/wrong", user: Self.prompt,
                                 extra: ["tools": Self.openAITools, "tool_choice": "required"])
            let call = object((message(first)?["tool_calls"] as? [[String: Any]])?.first, "function")
            #expect(call != nil)
            #expect(call?["arguments"] as? String != #"{"amount_usd":18,"order_id":"A-1042"}"#
                    || call?["name"] as? String != "issue_refund")
            #expect(object((message(again)?["tool_calls"] as? [[String: Any]])?.first, "function")?["arguments"] as? String
                    == call?["arguments"] as? String)
        }
    }
}

extension FakeProviderConfig.Model {
    /// A model whose structured output behaves as given.
    init(name: String, structuredOutputForTests behavior: FakeProviderConfig.StructuredOutput) {
        self.init(name: name)
        structuredOutput = behavior
    }
}
