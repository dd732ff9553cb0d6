import Foundation
@testable import FakeProvider

/// Runs `body` against a fresh server on an ephemeral loopback port, and always shuts it down.
func withServer<T>(_ config: FakeProviderConfig, _ body: (FakeProviderServer) throws -> T) throws -> T {
    let server = try FakeProviderServer.start(config: config)
    defer { server.shutdown() }
    return try body(server)
}

/// Two models that answer the same questions: one always right, one always wrong.
let perfectAndWrong = FakeProviderConfig(models: [
    .init(name: "sim/perfect", accuracy: 1),
    .init(name: "sim/wrong", accuracy: 0),
])

/// `object` as JSON text with sorted keys.
func jsonText(_ object: [String: Any]) -> String {
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
}

/// The JSON text of a Chat Completions request.
func chatBody(model: String, user: String, system: String? = nil,
              extra: [String: Any] = [:]) -> String {
    var messages: [[String: String]] = []
    if let system { messages.append(["role": "system", "content": system]) }
    messages.append(["role": "user", "content": user])
    var object: [String: Any] = ["model": model, "messages": messages, "temperature": 0]
    object.merge(extra) { $1 }
    return jsonText(object)
}

/// Sends one chat request.
func chat(_ server: FakeProviderServer, model: String, user: String, system: String? = nil,
          key: String? = nil, extra: [String: Any] = [:], path: String = "/v1/chat/completions",
          timeout: Duration = .seconds(10)) throws -> RawHTTPResponse {
    var headers: [String: String] = [:]
    if let key { headers["Authorization"] = "Bearer \(key)" }
    return try RawHTTPClient.send(port: server.port, path: path, headers: headers,
                                  body: chatBody(model: model, user: user, system: system, extra: extra),
                                  timeout: timeout)
}

/// Sends one Azure OpenAI request to the deployment named `model` (percent-encoded in the path).
func azure(_ server: FakeProviderServer, model: String, user: String, system: String? = nil, key: String? = nil,
           apiVersion: String? = "2024-10-21", extra: [String: Any] = [:]) throws -> RawHTTPResponse {
    var headers: [String: String] = [:]
    if let key { headers["api-key"] = key }
    let deployment = model.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._")))!
    let query = apiVersion.map { "?api-version=\($0)" } ?? ""
    var messages: [[String: String]] = []
    if let system { messages.append(["role": "system", "content": system]) }
    messages.append(["role": "user", "content": user])
    var object: [String: Any] = ["messages": messages, "temperature": 0]
    object.merge(extra) { $1 }
    return try RawHTTPClient.send(port: server.port, path: "/openai/deployments/\(deployment)/chat/completions\(query)",
                                  headers: headers, body: jsonText(object))
}

/// Sends one Anthropic Messages request; `maxTokens` nil leaves the required field out.
func anthropic(_ server: FakeProviderServer, model: String, user: String, system: Any? = nil, key: String? = nil,
               version: String? = "2023-06-01", maxTokens: Int? = 1024, extra: [String: Any] = [:],
               timeout: Duration = .seconds(10)) throws -> RawHTTPResponse {
    var headers: [String: String] = [:]
    if let key { headers["x-api-key"] = key }
    if let version { headers["anthropic-version"] = version }
    var object: [String: Any] = ["model": model, "messages": [["role": "user", "content": user]], "temperature": 0]
    if let maxTokens { object["max_tokens"] = maxTokens }
    if let system { object["system"] = system }
    object.merge(extra) { $1 }
    return try RawHTTPClient.send(port: server.port, path: "/v1/messages", headers: headers, body: jsonText(object),
                                  timeout: timeout)
}

/// Sends one Gemini request: `generateContent`, or `streamGenerateContent` (with `alt=sse` when `sse`).
func gemini(_ server: FakeProviderServer, model: String, user: String, system: String? = nil, key: String? = nil,
            stream: Bool = false, sse: Bool = true, generationConfig: [String: Any] = [:],
            timeout: Duration = .seconds(10)) throws -> RawHTTPResponse {
    var headers: [String: String] = [:]
    if let key { headers["x-goog-api-key"] = key }
    var object: [String: Any] = ["contents": [["role": "user", "parts": [["text": user]]]]]
    if let system { object["systemInstruction"] = ["parts": [["text": system]]] }
    if !generationConfig.isEmpty { object["generationConfig"] = generationConfig }
    let method = stream ? "streamGenerateContent" + (sse ? "?alt=sse" : "") : "generateContent"
    let encoded = model.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._")))!
    return try RawHTTPClient.send(port: server.port, path: "/v1beta/models/\(encoded):\(method)", headers: headers,
                                  body: jsonText(object), timeout: timeout)
}

/// The text of an OpenAI stream: its `delta.content` pieces joined.
func streamedText(_ response: RawHTTPResponse) -> String {
    response.dataObjects.compactMap { chunk in
        ((chunk["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any])?["content"] as? String
    }.joined()
}

/// `object[key]` as a JSON object.
func object(_ value: Any?, _ key: String) -> [String: Any]? {
    (value as? [String: Any])?[key] as? [String: Any]
}

/// The repository root, found from this file's path, for reading `suites/`.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func suiteFile(_ relativePath: String) -> String {
    repositoryRoot.appendingPathComponent("suites").appendingPathComponent(relativePath).path
}
