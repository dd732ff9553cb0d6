import Foundation
import Testing
@testable import FakeProvider

@Suite("Gemini generateContent")
struct GeminiFormatTests {
    static let config = FakeProviderConfig(apiKey: "goog-key", models: [
        .init(name: "sim/gemini"),
        .init(name: "sim/thinker", cachedTokens: 4, reasoningTokens: 7),
    ])

    /// The answer parts' text, thoughts skipped, over every chunk.
    static func answerText(_ chunks: [[String: Any]]) -> String {
        chunks.flatMap { chunk -> [String] in
            let candidate = (chunk["candidates"] as? [[String: Any]])?.first
            let parts = object(candidate, "content")?["parts"] as? [[String: Any]] ?? []
            return parts.filter { $0["thought"] as? Bool != true }.compactMap { $0["text"] as? String }
        }.joined()
    }

    @Test("The response has Google's shape; zero cache and thought counts are left out")
    func responseShape() throws {
        try withServer(Self.config) { server in
            let response = try gemini(server, model: "sim/gemini", user: "Compute: 2 + 3", system: "abcdefgh", key: "goog-key")
            #expect(response.status == 200)
            #expect(response.headers["content-type"] == "application/json; charset=UTF-8")
            let json = response.json
            #expect(Set(json.keys) == ["candidates", "usageMetadata", "modelVersion", "responseId"])
            #expect(json["modelVersion"] as? String == "sim/gemini")
            let candidate = try #require((json["candidates"] as? [[String: Any]])?.first)
            #expect(candidate["finishReason"] as? String == "STOP")
            #expect(object(candidate, "content")?["role"] as? String == "model")
            #expect(Self.answerText([json]) == "5")
            let usage = try #require(json["usageMetadata"] as? [String: Any])
            #expect(usage["promptTokenCount"] as? Int == smallPromptTokens)
            #expect(usage["candidatesTokenCount"] as? Int == 1)
            #expect(usage["totalTokenCount"] as? Int == smallPromptTokens + 1)
            #expect(usage["cachedContentTokenCount"] == nil && usage["thoughtsTokenCount"] == nil)
        }
    }

    @Test("A thinking model sends a thought part first; candidates exclude thoughts, the prompt includes the cache")
    func thinking() throws {
        try withServer(Self.config) { server in
            let response = try gemini(server, model: "sim/thinker", user: "Compute: 2 + 3", system: "abcdefgh", key: "goog-key")
            let candidate = try #require((response.json["candidates"] as? [[String: Any]])?.first)
            let parts = try #require(object(candidate, "content")?["parts"] as? [[String: Any]])
            #expect(parts.count == 2)
            #expect(parts[0]["thought"] as? Bool == true)
            #expect(parts[1]["thought"] == nil && parts[1]["text"] as? String == "5")
            let usage = try #require(response.json["usageMetadata"] as? [String: Any])
            #expect(usage["promptTokenCount"] as? Int == smallPromptTokens)
            #expect(usage["cachedContentTokenCount"] as? Int == 4)
            #expect(usage["candidatesTokenCount"] as? Int == 1)
            #expect(usage["thoughtsTokenCount"] as? Int == 7)
            #expect(usage["totalTokenCount"] as? Int == smallPromptTokens + 1 + 7)
        }
    }

    @Test("alt=sse streams whole response chunks with CRLF framing; usage only on the last")
    func sseStream() throws {
        try withServer(Self.config) { server in
            let response = try gemini(server, model: "sim/thinker", user: personPrompt, key: "goog-key", stream: true)
            #expect(response.status == 200)
            #expect(response.headers["content-type"] == "text/event-stream; charset=utf-8")
            #expect(response.body.hasPrefix("data: {"))
            #expect(response.body.hasSuffix("}\r\n\r\n"))
            #expect(!response.body.replacingOccurrences(of: "\r\n", with: "").contains("\n\n"))
            let chunks = response.dataObjects
            #expect(chunks.count == response.events.count)
            #expect(chunks.count >= 3)
            #expect(chunks.allSatisfy { $0["candidates"] is [Any] && $0["responseId"] as? String == chunks[0]["responseId"] as? String })
            #expect(Self.answerText(chunks) == personAnswer)
            let firstParts = object((chunks[0]["candidates"] as? [[String: Any]])?.first, "content")?["parts"] as? [[String: Any]]
            #expect(firstParts?.first?["thought"] as? Bool == true)
            #expect(chunks.dropLast().allSatisfy { $0["usageMetadata"] == nil })
            let last = try #require(chunks.last)
            #expect((last["candidates"] as? [[String: Any]])?.first?["finishReason"] as? String == "STOP")
            #expect(object(last, "usageMetadata")?["thoughtsTokenCount"] as? Int == 7)
        }
    }

    @Test("Without alt=sse a stream is one JSON array holding the same chunks")
    func arrayStream() throws {
        try withServer(Self.config) { server in
            let response = try gemini(server, model: "sim/gemini", user: personPrompt, key: "goog-key", stream: true, sse: false)
            #expect(response.isComplete)
            let chunks = try #require(try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [[String: Any]])
            #expect(chunks.count > 2)
            #expect(Self.answerText(chunks) == personAnswer)
        }
    }

    @Test("maxOutputTokens cuts the answer and finishes with MAX_TOKENS")
    func maxOutputTokens() throws {
        try withServer(Self.config) { server in
            let response = try gemini(server, model: "sim/gemini", user: personPrompt, key: "goog-key",
                                      generationConfig: ["maxOutputTokens": 2, "temperature": 0])
            let candidate = (response.json["candidates"] as? [[String: Any]])?.first
            #expect(candidate?["finishReason"] as? String == "MAX_TOKENS")
            #expect(Self.answerText([response.json]) == #"{"name":"#)
        }
    }

    @Test("The key is read from x-goog-api-key or ?key=")
    func queryKey() throws {
        try withServer(Self.config) { server in
            let response = try RawHTTPClient.send(port: server.port, path: "/v1beta/models/sim%2Fgemini:generateContent?key=goog-key",
                                                  body: #"{"contents": [{"parts": [{"text": "Compute: 1 + 1"}]}]}"#)
            #expect(response.status == 200)
        }
    }

    @Test("Errors have Google's shape", arguments: [
        ("wrong key", 400, "INVALID_ARGUMENT"),
        ("missing key", 403, "PERMISSION_DENIED"),
        ("unknown model", 404, "NOT_FOUND"),
        ("no contents", 400, "INVALID_ARGUMENT"),
    ])
    func errors(_ situation: String, _ status: Int, _ statusName: String) throws {
        try withServer(Self.config) { server in
            let response: RawHTTPResponse = switch situation {
            case "wrong key": try gemini(server, model: "sim/gemini", user: "hi", key: "sk-secret-123")
            case "missing key": try gemini(server, model: "sim/gemini", user: "hi")
            case "unknown model": try gemini(server, model: "sim/gemini-9", user: "hi", key: "goog-key")
            default:
                try RawHTTPClient.send(port: server.port, path: "/v1beta/models/sim%2Fgemini:generateContent",
                                       headers: ["x-goog-api-key": "goog-key"], body: "{}")
            }
            #expect(response.status == status)
            let error = try #require(response.json["error"] as? [String: Any])
            #expect(error["code"] as? Int == status)
            #expect(error["status"] as? String == statusName)
            #expect(error["message"] is String)
            #expect(!response.body.contains("sk-secret-123") && !response.body.contains("goog-key"))
            if situation == "wrong key" {
                let reasons = (error["details"] as? [[String: Any]])?.compactMap { $0["reason"] as? String }
                #expect(reasons == ["API_KEY_INVALID"])
            }
        }
    }
}
