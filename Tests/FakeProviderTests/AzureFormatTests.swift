import Foundation
import Testing
@testable import FakeProvider

@Suite("Azure OpenAI")
struct AzureFormatTests {
    static let config = FakeProviderConfig(apiKey: "azure-key", models: [.init(name: "sim/gpt-4o", cachedTokens: 3)])

    @Test("The deployment in the path (percent-encoded) picks the model; the key goes in api-key")
    func answer() throws {
        try withServer(Self.config) { server in
            let response = try azure(server, model: "sim/gpt-4o", user: "Compute: 2 + 3", system: "abcdefgh", key: "azure-key")
            #expect(response.status == 200)
            #expect(response.content == "5")
            #expect(response.json["model"] as? String == "sim/gpt-4o")
            #expect(response.headers["apim-request-id"]?.hasPrefix("req_") == true)
            let usage = try #require(response.json["usage"] as? [String: Any])
            #expect(usage["prompt_tokens"] as? Int == smallPromptTokens)
            #expect(object(usage, "prompt_tokens_details")?["cached_tokens"] as? Int == 3)

            // An unencoded slash reaches the same deployment.
            let raw = try RawHTTPClient.send(port: server.port,
                                             path: "/openai/deployments/sim/gpt-4o/chat/completions?api-version=2024-10-21",
                                             headers: ["api-key": "azure-key"],
                                             body: chatBody(model: "ignored", user: "Compute: 2 + 3"))
            #expect(raw.status == 200 && raw.content == "5")
        }
    }

    @Test("A stream opens with Azure's choices-less prompt-filter chunk, then OpenAI's chunks and [DONE]")
    func stream() throws {
        try withServer(Self.config) { server in
            let response = try azure(server, model: "sim/gpt-4o", user: personPrompt, key: "azure-key",
                                     extra: ["stream": true])
            let chunks = response.dataObjects
            let first = try #require(chunks.first)
            #expect((first["choices"] as? [Any])?.isEmpty == true)
            #expect(first["prompt_filter_results"] is [Any])
            #expect(streamedText(response) == personAnswer)
            #expect(response.events.last?.data == "[DONE]")
        }
    }

    @Test("Azure's gateway errors have only code and message", arguments: [
        ("no api-version", 400, "MissingApiVersionParameter"),
        ("wrong key", 401, "401"),
        ("OpenAI's header", 401, "401"),
        ("unknown deployment", 404, "DeploymentNotFound"),
    ])
    func gatewayErrors(_ situation: String, _ status: Int, _ code: String) throws {
        try withServer(Self.config) { server in
            let response: RawHTTPResponse = switch situation {
            case "no api-version": try azure(server, model: "sim/gpt-4o", user: "hi", key: "azure-key", apiVersion: nil)
            case "wrong key": try azure(server, model: "sim/gpt-4o", user: "hi", key: "sk-secret-123")
            case "OpenAI's header":
                try RawHTTPClient.send(port: server.port,
                                       path: "/openai/deployments/sim%2Fgpt-4o/chat/completions?api-version=2024-10-21",
                                       headers: ["Authorization": "Bearer azure-key"],
                                       body: chatBody(model: "sim/gpt-4o", user: "hi"))
            default: try azure(server, model: "sim/gpt-5", user: "hi", key: "azure-key")
            }
            #expect(response.status == status)
            let error = try #require(response.json["error"] as? [String: Any])
            #expect(Set(error.keys) == ["code", "message"])
            #expect(error["code"] as? String == code)
            #expect(!response.body.contains("sk-secret-123") && !response.body.contains("azure-key"))
        }
    }

    @Test("Complaints about the body keep OpenAI's shape")
    func bodyErrors() throws {
        try withServer(Self.config) { server in
            let response = try RawHTTPClient.send(port: server.port,
                                                  path: "/openai/deployments/sim%2Fgpt-4o/chat/completions?api-version=2024-10-21",
                                                  headers: ["api-key": "azure-key"], body: "{}")
            #expect(response.status == 400)
            #expect(response.error("param") == "messages")
            #expect(response.error("type") == "invalid_request_error")
        }
    }
}
