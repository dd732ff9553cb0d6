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

/// The JSON text of a Chat Completions request.
func chatBody(model: String, user: String, system: String? = nil,
              extra: [String: Any] = [:]) -> String {
    var messages: [[String: String]] = []
    if let system { messages.append(["role": "system", "content": system]) }
    messages.append(["role": "user", "content": user])
    var object: [String: Any] = ["model": model, "messages": messages, "temperature": 0]
    object.merge(extra) { $1 }
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
}

/// Sends one chat request.
func chat(_ server: FakeProviderServer, model: String, user: String, system: String? = nil,
          key: String? = nil, extra: [String: Any] = [:]) throws -> RawHTTPResponse {
    var headers: [String: String] = [:]
    if let key { headers["Authorization"] = "Bearer \(key)" }
    return try RawHTTPClient.send(port: server.port, headers: headers,
                                  body: chatBody(model: model, user: user, system: system, extra: extra))
}

/// The repository root, found from this file's path, for reading `suites/`.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func suiteFile(_ relativePath: String) -> String {
    repositoryRoot.appendingPathComponent("suites").appendingPathComponent(relativePath).path
}
