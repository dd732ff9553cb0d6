import Foundation
import Testing
@testable import FakeProvider

/// One prompt per task family, with the answer a correct model gives.
struct FamilyCase: Sendable, CustomTestStringConvertible {
    var name: String
    var prompt: String
    var correct: String
    var testDescription: String { name }
}

let familyCases: [FamilyCase] = [
    .init(name: "arithmetic", prompt: "Compute: 1249 * 12\nAnswer with the number only.", correct: "14988"),
    .init(name: "arithmetic, negative operand", prompt: "Compute: 64 * -7", correct: "-448"),
    .init(name: "triage", prompt: """
        Classify the ticket as billing, bug, feature or other. Answer with one word.
        Ticket: I was charged twice this month.
        """, correct: "billing"),
    .init(name: "email", prompt: """
        Extract the email address from the text. Answer with the address only.
        Text: Reach me at m.okafor@fabrikam.io or on my mobile.
        """, correct: "m.okafor@fabrikam.io"),
    .init(name: "person json", prompt: """
        Return a JSON object with keys "name" and "age". Answer with the JSON only.
        Person: Grace O'Neill is 46 years old.
        """, correct: #"{"name": "Grace O'Neill", "age": 46}"#),
]

@Suite("Fake provider over HTTP")
struct ServerTests {
    @Test("A perfect model answers each family correctly, a hopeless one plausibly wrong", arguments: familyCases)
    func answers(_ family: FamilyCase) throws {
        try withServer(perfectAndWrong) { server in
            let right = try chat(server, model: "sim/perfect", user: family.prompt)
            #expect(right.status == 200)
            #expect(right.content == family.correct)

            let wrong = try #require(try chat(server, model: "sim/wrong", user: family.prompt).content)
            #expect(wrong != family.correct)
            #expect(!wrong.isEmpty && wrong != TaskFamily.unsureAnswer)
            switch family.name {
            case let name where name.hasPrefix("arithmetic"):
                let distance = abs(try #require(Int(wrong)) - Int(family.correct)!)
                #expect((1...9).contains(distance))
            case "triage":
                #expect(TicketClassifier.labels.contains(wrong))
            case "email":
                #expect(wrong.hasSuffix("@fabrikam.io") && wrong.count == family.correct.count - 1)
            default:
                let parses = (try? JSONSerialization.jsonObject(with: Data(wrong.utf8))) != nil
                #expect(!parses || !wrong.contains(#""age": 46"#))
            }
        }
    }

    @Test("An unrecognised question gets \"I'm not sure.\" whatever the accuracy")
    func unknownFamily() throws {
        try withServer(perfectAndWrong) { server in
            for model in ["sim/perfect", "sim/wrong"] {
                let response = try chat(server, model: model, user: "What is the capital of France?")
                #expect(response.content == "I'm not sure.")
            }
        }
    }

    @Test("The same request always gets the same answer, across servers too")
    func determinism() throws {
        let config = FakeProviderConfig(models: [.init(name: "sim/coin", accuracy: 0.5)])
        let prompts = (1...12).map { "Compute: \($0 * 37) + \($0 * 11)" }
        let first = try withServer(config) { server in
            try prompts.map { try chat(server, model: "sim/coin", user: $0).content }
        }
        let again = try withServer(config) { server in
            try prompts.map { try chat(server, model: "sim/coin", user: $0).content }
        }
        #expect(first == again)
        // A coin with accuracy 0.5 over 12 prompts gets some right and some wrong: the answer
        // really depends on the request.
        let correct = zip(prompts, first).filter { TaskFamily(prompt: $0).correctAnswer == $1 }.count
        #expect(correct > 0 && correct < prompts.count)
    }

    @Test("The response has OpenAI's shape, headers and token arithmetic")
    func responseShape() throws {
        try withServer(perfectAndWrong) { server in
            // 8 + 14 characters -> ceil(22 / 4) = 6, plus 3 per message.
            let response = try chat(server, model: "sim/perfect", user: "Compute: 2 + 3", system: "abcdefgh")
            #expect(response.status == 200)
            #expect(response.headers["content-type"] == "application/json")
            #expect(response.headers["x-request-id"]?.hasPrefix("req_") == true)
            let json = response.json
            #expect((json["id"] as? String)?.hasPrefix("chatcmpl-") == true)
            #expect(json["object"] as? String == "chat.completion")
            #expect(json["model"] as? String == "sim/perfect")
            #expect((json["created"] as? Int ?? 0) > 1_700_000_000)
            let choice = try #require((json["choices"] as? [[String: Any]])?.first)
            #expect(choice["index"] as? Int == 0)
            #expect(choice["finish_reason"] as? String == "stop")
            #expect((choice["message"] as? [String: Any])?["role"] as? String == "assistant")
            #expect(response.content == "5")
            let usage = try #require(json["usage"] as? [String: Any])
            #expect(usage["prompt_tokens"] as? Int == 12)
            #expect(usage["completion_tokens"] as? Int == 1)
            #expect(usage["total_tokens"] as? Int == 13)
        }
    }

    @Test("An answer longer than max_tokens is cut and ends with finish_reason length")
    func lengthTruncation() throws {
        let prompt = familyCases[4].prompt  // {"name": "Grace O'Neill", "age": 46}: 36 characters
        try withServer(perfectAndWrong) { server in
            let cut = try chat(server, model: "sim/perfect", user: prompt, extra: ["max_tokens": 2])
            #expect(cut.content == #"{"name":"#)
            let choice = (cut.json["choices"] as? [[String: Any]])?.first
            #expect(choice?["finish_reason"] as? String == "length")
            #expect((cut.json["usage"] as? [String: Any])?["completion_tokens"] as? Int == 2)

            // max_completion_tokens wins over max_tokens, as with OpenAI.
            let newer = try chat(server, model: "sim/perfect", user: prompt,
                                 extra: ["max_tokens": 2, "max_completion_tokens": 3])
            #expect(newer.content == #"{"name": "Gr"#)

            let roomy = try chat(server, model: "sim/perfect", user: prompt, extra: ["max_tokens": 9])
            #expect(roomy.content == familyCases[4].correct)
        }
    }

    @Test("A wrong or missing key gets 401 invalid_api_key, and the key sent is never echoed")
    func authentication() throws {
        let config = FakeProviderConfig(apiKey: "demo-key", models: [.init(name: "sim/a")])
        try withServer(config) { server in
            let wrong = try chat(server, model: "sim/a", user: "Compute: 1 + 1", key: "sk-secret-123")
            #expect(wrong.status == 401)
            #expect(wrong.error("code") == "invalid_api_key")
            #expect(wrong.error("message") == "Incorrect API key provided.")
            #expect(!wrong.body.contains("sk-secret-123"))
            #expect(!wrong.body.contains("demo-key"))

            let missing = try chat(server, model: "sim/a", user: "Compute: 1 + 1")
            #expect(missing.status == 401)
            #expect(missing.error("code") == "invalid_api_key")

            let models = try RawHTTPClient.send(port: server.port, method: "GET", path: "/v1/models")
            #expect(models.status == 401)

            let right = try chat(server, model: "sim/a", user: "Compute: 1 + 1", key: "demo-key")
            #expect(right.status == 200 && right.content == "2")
        }
    }

    @Test("An unknown model gets 404 model_not_found naming it and the known models")
    func unknownModel() throws {
        try withServer(perfectAndWrong) { server in
            let response = try chat(server, model: "sim/gpt-9", user: "Compute: 1 + 1")
            #expect(response.status == 404)
            #expect(response.error("code") == "model_not_found")
            #expect(response.error("type") == "invalid_request_error")
            #expect(response.error("param") == "model")
            #expect(response.error("message") == "The model `sim/gpt-9` does not exist or you do not have access to it. "
                + "Known models: sim/perfect, sim/wrong.")
        }
    }

    @Test("Malformed bodies get 400 invalid_request_error with OpenAI's error shape")
    func badRequests() throws {
        try withServer(perfectAndWrong) { server in
            let malformed = try RawHTTPClient.send(port: server.port, body: #"{"model": "sim/perfect", "#)
            #expect(malformed.status == 400)
            #expect(malformed.error("type") == "invalid_request_error")
            #expect(malformed.error("code") == "invalid_json")
            let detail = try #require(malformed.json["error"] as? [String: Any])
            #expect(detail["param"] is NSNull)
            #expect(Set(detail.keys) == ["message", "type", "param", "code"])

            let noMessages = try RawHTTPClient.send(port: server.port, body: #"{"model": "sim/perfect"}"#)
            #expect(noMessages.status == 400)
            #expect(noMessages.error("param") == "messages")
            #expect(noMessages.error("message") == "Missing required parameter: 'messages'.")

            let noModel = try RawHTTPClient.send(port: server.port, body: #"{"messages": [{"role": "user", "content": "hi"}]}"#)
            #expect(noModel.status == 400)
            #expect(noModel.error("param") == "model")

            let options = try chat(server, model: "sim/perfect", user: "hi", extra: ["stream_options": ["include_usage": true]])
            #expect(options.status == 400)
            #expect(options.error("param") == "stream_options")
            #expect(options.error("message") == "The 'stream_options' parameter is only allowed when 'stream' is enabled.")
        }
    }

    @Test("Unknown fields are ignored and content parts are read as text")
    func lenientRequest() throws {
        try withServer(perfectAndWrong) { server in
            let body = #"""
                {"model": "sim/perfect", "seed": 7, "response_format": {"type": "text"},
                 "messages": [{"role": "user", "content": [{"type": "text", "text": "Compute: 6 * 7"}]}]}
                """#
            let response = try RawHTTPClient.send(port: server.port, path: "/chat/completions", body: body)
            #expect(response.status == 200)
            #expect(response.content == "42")
        }
    }

    @Test("A client that sends Expect: 100-continue is told to go on at once")
    func expectContinue() throws {
        try withServer(perfectAndWrong) { server in
            let response = try RawHTTPClient.send(port: server.port, headers: ["Expect": "100-continue"],
                                                  body: chatBody(model: "sim/perfect", user: "Compute: 2 * 21"))
            // The raw client reads the interim 100 as the response; the final one follows it.
            #expect(response.status == 100)
            #expect(response.body.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(response.body.contains(#""content":"42""#))
        }
    }

    @Test("Unknown paths get 404 and wrong methods 405")
    func routing() throws {
        try withServer(perfectAndWrong) { server in
            let unknown = try RawHTTPClient.send(port: server.port, path: "/v1/completions", body: "{}")
            #expect(unknown.status == 404)
            #expect(unknown.error("message") == "Invalid URL (POST /v1/completions)")

            let wrongMethod = try RawHTTPClient.send(port: server.port, method: "GET")
            #expect(wrongMethod.status == 405)
            #expect(wrongMethod.headers["allow"] == "POST")
        }
    }

    @Test("GET /v1/models lists the models in OpenAI's list format")
    func modelList() throws {
        try withServer(perfectAndWrong) { server in
            let response = try RawHTTPClient.send(port: server.port, method: "GET", path: "/v1/models")
            #expect(response.status == 200)
            #expect(response.json["object"] as? String == "list")
            let ids = (response.json["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
            #expect(ids == ["sim/perfect", "sim/wrong"])
        }
    }

    @Test("The response waits at least the configured latency")
    func latency() throws {
        let config = FakeProviderConfig(models: [.init(name: "sim/slow", latencyMs: 150, jitterMs: 0)])
        try withServer(config) { server in
            let clock = ContinuousClock()
            let start = clock.now
            let response = try chat(server, model: "sim/slow", user: "Compute: 1 + 1")
            #expect(response.status == 200)
            #expect(clock.now - start >= .milliseconds(150))
            #expect(response.headers["openai-processing-ms"] == "150")
        }
    }

    @Test("Requests are counted per model, whatever their status")
    func requestCounts() throws {
        let config = FakeProviderConfig(apiKey: "k", models: [.init(name: "sim/a"), .init(name: "sim/b")])
        try withServer(config) { server in
            _ = try chat(server, model: "sim/a", user: "Compute: 1 + 1", key: "k")
            _ = try chat(server, model: "sim/a", user: "Compute: 1 + 1", key: "wrong")
            _ = try chat(server, model: "sim/nope", user: "Compute: 1 + 1", key: "k")
            _ = try RawHTTPClient.send(port: server.port, method: "GET", path: "/v1/models",
                                       headers: ["Authorization": "Bearer k"])
            #expect(server.requestCount(model: "sim/a") == 2)
            #expect(server.requestCount(model: "sim/b") == 0)
            #expect(server.requestCount(model: "sim/nope") == 1)
        }
    }

    @Test("A server answers until shut down; shutting down twice is harmless")
    func lifecycle() throws {
        let server = try FakeProviderServer.start(config: perfectAndWrong)
        #expect(server.baseURL == "http://127.0.0.1:\(server.port)/v1")
        #expect(try chat(server, model: "sim/perfect", user: "Compute: 1 + 1").status == 200)
        server.shutdown()
        server.shutdown()
        #expect(throws: RawHTTPClient.Failure.self) {
            try chat(server, model: "sim/perfect", user: "Compute: 1 + 1")
        }
    }

    @Test("Only loopback hosts are accepted", arguments: ["0.0.0.0", "192.168.1.10", "example.com", "::"])
    func refusesNonLoopback(_ host: String) throws {
        let error = try #require(throws: FakeProviderError.self) {
            try FakeProviderServer.start(config: perfectAndWrong, host: host)
        }
        #expect(error.description == "error: refusing to bind '\(host)': the fake provider listens on loopback only "
            + "(127.0.0.0/8, localhost, ::1)")
        #expect(error.isBadInput)
    }

    @Test("Loopback addresses are recognised",
          arguments: [("127.0.0.1", true), ("127.1.2.3", true), ("localhost", true), ("::1", true),
                      ("128.0.0.1", false), ("10.0.0.1", false), ("::", false), ("", false)])
    func loopback(_ host: String, _ expected: Bool) {
        #expect(FakeProviderServer.isLoopback(host) == expected)
    }

    @Test("localhost binds and reports the address it actually bound")
    func localhost() throws {
        let server = try FakeProviderServer.start(config: perfectAndWrong, host: "localhost")
        defer { server.shutdown() }
        #expect(server.baseURL.hasSuffix(":\(server.port)/v1"))
        #expect(server.baseURL.hasPrefix("http://127.") || server.baseURL.hasPrefix("http://[::1]"))
    }
}
