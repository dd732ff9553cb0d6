import Foundation
import Testing
@testable import FakeProvider

@Suite("Anthropic Messages")
struct AnthropicFormatTests {
    static let config = FakeProviderConfig(apiKey: "ant-key", models: [
        .init(name: "sim/claude"),
        .init(name: "sim/cached", cachedTokens: 4, cacheWriteTokens: 2, reasoningTokens: 5),
    ])

    @Test("The response has Anthropic's shape and request-id header")
    func responseShape() throws {
        try withServer(Self.config) { server in
            let response = try anthropic(server, model: "sim/claude", user: "Compute: 2 + 3", system: "abcdefgh", key: "ant-key")
            #expect(response.status == 200)
            #expect(response.headers["request-id"]?.hasPrefix("req_") == true)
            let json = response.json
            #expect(Set(json.keys) == ["id", "type", "role", "model", "content", "stop_reason", "stop_sequence", "usage"])
            #expect((json["id"] as? String)?.hasPrefix("msg_") == true)
            #expect(json["type"] as? String == "message")
            #expect(json["role"] as? String == "assistant")
            #expect(json["model"] as? String == "sim/claude")
            let content = try #require(json["content"] as? [[String: Any]])
            #expect(content.count == 1)
            #expect(content[0]["type"] as? String == "text" && content[0]["text"] as? String == "5")
            #expect(json["stop_reason"] as? String == "end_turn")
            #expect(json["stop_sequence"] is NSNull)
            let usage = try #require(json["usage"] as? [String: Any])
            #expect(usage["input_tokens"] as? Int == smallPromptTokens)
            #expect(usage["output_tokens"] as? Int == 1)
            #expect(usage["cache_creation_input_tokens"] as? Int == 0)
            #expect(usage["cache_read_input_tokens"] as? Int == 0)
        }
    }

    @Test("input_tokens excludes cache reads and writes; output_tokens includes reasoning")
    func cacheUsage() throws {
        try withServer(Self.config) { server in
            let response = try anthropic(server, model: "sim/cached", user: "Compute: 2 + 3", system: "abcdefgh", key: "ant-key")
            let usage = try #require(response.json["usage"] as? [String: Any])
            #expect(usage["input_tokens"] as? Int == smallPromptTokens - 4 - 2)
            #expect(usage["cache_read_input_tokens"] as? Int == 4)
            #expect(usage["cache_creation_input_tokens"] as? Int == 2)
            #expect(usage["output_tokens"] as? Int == 1 + 5)
        }
    }

    @Test("A system prompt as a string or as text blocks is the same prompt")
    func systemBlocks() throws {
        try withServer(Self.config) { server in
            let string = try anthropic(server, model: "sim/claude", user: "Compute: 4 * 4", system: "abcdefgh", key: "ant-key")
            let blocks = try anthropic(server, model: "sim/claude", user: "Compute: 4 * 4",
                                       system: [["type": "text", "text": "abcdefgh"]], key: "ant-key")
            #expect(object(string.json, "usage")?["input_tokens"] as? Int == object(blocks.json, "usage")?["input_tokens"] as? Int)
            #expect(string.body.contains(#""text":"16""#) && blocks.body.contains(#""text":"16""#))
        }
    }

    @Test("A stream sends Anthropic's named events in order, pings included, with cumulative usage")
    func stream() throws {
        try withServer(Self.config) { server in
            let response = try anthropic(server, model: "sim/cached", user: personPrompt, key: "ant-key",
                                         extra: ["stream": true])
            #expect(response.headers["content-type"] == "text/event-stream; charset=utf-8")
            #expect(response.isComplete)
            let events = response.events
            let names = events.compactMap(\.name)
            #expect(names.count == events.count)
            #expect(Array(names.prefix(3)) == ["message_start", "content_block_start", "ping"])
            #expect(Array(names.suffix(3)) == ["content_block_stop", "message_delta", "message_stop"])
            #expect(names.filter { $0 == "content_block_delta" }.count == 5)
            #expect(names.filter { $0 == "ping" }.count == 2)
            #expect(events.allSatisfy { $0.object?["type"] as? String == $0.name })

            let start = try #require(object(events[0].object, "message"))
            #expect((start["content"] as? [Any])?.isEmpty == true)
            #expect(start["stop_reason"] is NSNull)
            let startUsage = try #require(start["usage"] as? [String: Any])
            #expect(startUsage["output_tokens"] as? Int == 1)
            #expect(startUsage["cache_read_input_tokens"] as? Int == 4)
            #expect(startUsage["cache_creation_input_tokens"] as? Int == 2)

            let text = events.filter { $0.name == "content_block_delta" }.compactMap { event -> String? in
                let delta = object(event.object, "delta")
                return delta?["type"] as? String == "text_delta" ? delta?["text"] as? String : nil
            }.joined()
            #expect(text == personAnswer)

            let delta = try #require(events.first { $0.name == "message_delta" }?.object)
            #expect(object(delta, "delta")?["stop_reason"] as? String == "end_turn")
            #expect(object(delta, "usage")?["output_tokens"] as? Int == TokenCount.completion(personAnswer) + 5)
        }
    }

    @Test("max_tokens cuts the answer and stops with max_tokens")
    func maxTokens() throws {
        try withServer(Self.config) { server in
            let response = try anthropic(server, model: "sim/claude", user: personPrompt, key: "ant-key", maxTokens: 2)
            #expect(response.json["stop_reason"] as? String == "max_tokens")
            #expect(response.body.contains(#""text":"{\"name\":""#))
        }
    }

    @Test("Errors have Anthropic's shape, with the request id of the header", arguments: [
        ("wrong key", 401, "authentication_error", "invalid x-api-key"),
        ("bearer key", 401, "authentication_error", "x-api-key header is required"),
        ("no version", 400, "invalid_request_error", "anthropic-version: header is required"),
        ("no max_tokens", 400, "invalid_request_error", "max_tokens: Field required"),
        ("system role", 400, "invalid_request_error",
         "messages.0.role: Input should be 'user' or 'assistant'; put the system prompt in the top-level `system` parameter"),
        ("unknown model", 404, "not_found_error", "model: sim/claude-9 (known models: sim/claude, sim/cached)"),
    ])
    func errors(_ situation: String, _ status: Int, _ type: String, _ message: String) throws {
        try withServer(Self.config) { server in
            let response: RawHTTPResponse = switch situation {
            case "wrong key": try anthropic(server, model: "sim/claude", user: "hi", key: "sk-secret-123")
            case "bearer key":
                try RawHTTPClient.send(port: server.port, path: "/v1/messages",
                                       headers: ["Authorization": "Bearer ant-key", "anthropic-version": "2023-06-01"],
                                       body: #"{"model": "sim/claude", "max_tokens": 5, "messages": []}"#)
            case "no version": try anthropic(server, model: "sim/claude", user: "hi", key: "ant-key", version: nil)
            case "no max_tokens": try anthropic(server, model: "sim/claude", user: "hi", key: "ant-key", maxTokens: nil)
            case "system role":
                try anthropic(server, model: "sim/claude", user: "hi", key: "ant-key",
                              extra: ["messages": [["role": "system", "content": "be brief"]]])
            default: try anthropic(server, model: "sim/claude-9", user: "hi", key: "ant-key")
            }
            #expect(response.status == status)
            let json = response.json
            #expect(Set(json.keys) == ["type", "error", "request_id"])
            #expect(json["type"] as? String == "error")
            #expect(object(json, "error")?["type"] as? String == type)
            #expect(object(json, "error")?["message"] as? String == message)
            #expect(json["request_id"] as? String == response.headers["request-id"])
            #expect(!response.body.contains("sk-secret-123") && !response.body.contains("ant-key"))
        }
    }
}
