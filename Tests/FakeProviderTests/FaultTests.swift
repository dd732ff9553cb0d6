import Foundation
import Testing
@testable import FakeProvider

typealias Faults = FakeProviderConfig.Faults

/// A server whose one model, `sim/f`, has `faults`.
func withFaults<T>(_ faults: Faults, _ body: (FakeProviderServer) throws -> T) throws -> T {
    try withServer(FakeProviderConfig(models: [.init(name: "sim/f", faults: faults)]), body)
}

/// The wire formats, for tests that run in each.
enum Format: String, CaseIterable, Sendable {
    case openAI, azure, anthropic, gemini

    func send(_ server: FakeProviderServer, user: String = personPrompt, stream: Bool = false,
              timeout: Duration = .seconds(10)) throws -> RawHTTPResponse {
        switch self {
        case .openAI: try chat(server, model: "sim/f", user: user, extra: ["stream": stream], timeout: timeout)
        case .azure: try FakeProviderTests.azure(server, model: "sim/f", user: user, extra: ["stream": stream])
        case .anthropic: try FakeProviderTests.anthropic(server, model: "sim/f", user: user, extra: ["stream": stream], timeout: timeout)
        case .gemini: try FakeProviderTests.gemini(server, model: "sim/f", user: user, stream: stream, timeout: timeout)
        }
    }
}

@Suite("Fault injection")
struct FaultTests {
    @Test("rate_limit: 429 with the wait in each format's place", arguments: Format.allCases)
    func rateLimit(_ format: Format) throws {
        try withFaults(Faults(rateLimit: 1, retryAfterMs: 50)) { server throws in
            let response = try format.send(server)
            #expect(response.status == 429)
            switch format {
            case .openAI:
                #expect(response.error("code") == "rate_limit_exceeded")
            case .azure:
                #expect(response.error("code") == "429")
            case .anthropic:
                #expect(object(response.json, "error")?["type"] as? String == "rate_limit_error")
            case .gemini:
                #expect(response.error("status") == "RESOURCE_EXHAUSTED")
                let details = object(response.json, "error")?["details"] as? [[String: Any]] ?? []
                let retry = details.first { $0["@type"] as? String == "type.googleapis.com/google.rpc.RetryInfo" }
                #expect(retry?["retryDelay"] as? String == "0.050s")
            }
            if format == .gemini {
                #expect(response.headers["retry-after"] == nil)
            } else {
                #expect(response.headers["retry-after"] == "1")
                #expect(response.headers["retry-after-ms"] == "50")
            }
            #expect(server.faultCounts() == ["sim/f": ["rate_limit": 1]])
            #expect(server.servedCount(model: "sim/f") == 0)
        }
    }

    @Test("server_error: 500 or 503, alternating by hash")
    func serverError() throws {
        try withFaults(Faults(serverError: 1)) { server throws in
            let statuses = try (1...12).map { try chat(server, model: "sim/f", user: "Compute: \($0) + 1").status }
            #expect(Set(statuses) == [500, 503])
            let anthropicStatus = try anthropic(server, model: "sim/f", user: "hi").json
            #expect(object(anthropicStatus, "error")?["type"] as? String == "api_error")
            #expect(server.faultCounts()["sim/f"]?["server_error"] == 13)
        }
    }

    @Test("overloaded: 529 overloaded_error from Anthropic, 503 elsewhere", arguments: Format.allCases)
    func overloaded(_ format: Format) throws {
        try withFaults(Faults(overloaded: 1)) { server throws in
            let response = try format.send(server)
            switch format {
            case .anthropic:
                #expect(response.status == 529)
                #expect(object(response.json, "error")?["type"] as? String == "overloaded_error")
            case .gemini:
                #expect(response.status == 503)
                #expect(response.error("status") == "UNAVAILABLE")
            case .openAI, .azure:
                #expect(response.status == 503)
            }
        }
    }

    @Test("malformed: a complete 200 whose JSON is cut", arguments: Format.allCases)
    func malformed(_ format: Format) throws {
        try withFaults(Faults(malformed: 1)) { server throws in
            let response = try format.send(server)
            #expect(response.status == 200)
            #expect(response.isComplete)
            #expect(response.body.hasPrefix("{"))
            #expect(!response.isValidJSON)
        }
    }

    @Test("malformed in a stream: one event's JSON is cut, the stream still ends properly", arguments: Format.allCases)
    func malformedStream(_ format: Format) throws {
        try withFaults(Faults(malformed: 1)) { server throws in
            let response = try format.send(server, stream: true)
            #expect(response.status == 200 && response.isComplete)
            let broken = response.events.filter { $0.data != nil && $0.data != "[DONE]" && $0.object == nil }
            #expect(broken.count == 1)
            switch format {
            case .openAI, .azure: #expect(response.events.last?.data == "[DONE]")
            case .anthropic: #expect(response.events.last?.name == "message_stop")
            case .gemini: #expect(response.dataObjects.last?["usageMetadata"] != nil)
            }
        }
    }

    @Test("cut_stream: some chunks, then the connection closes without the final events", arguments: Format.allCases)
    func cutStream(_ format: Format) throws {
        try withFaults(Faults(cutStream: 1)) { server throws in
            let response = try format.send(server, stream: true)
            #expect(response.status == 200)
            #expect(!response.isComplete)
            let text: String
            switch format {
            case .openAI, .azure:
                #expect(!response.body.contains("[DONE]"))
                #expect(!response.body.contains("finish_reason\":\"stop"))
                text = streamedText(response)
            case .anthropic:
                #expect(!response.events.contains { $0.name == "message_stop" || $0.name == "message_delta" })
                text = response.dataObjects.compactMap { object($0, "delta")?["text"] as? String }.joined()
            case .gemini:
                #expect(!response.body.contains("finishReason"))
                text = GeminiFormatTests.answerText(response.dataObjects)
            }
            // Half the words arrived.
            #expect(!text.isEmpty && personAnswer.hasPrefix(text) && text != personAnswer)
            #expect(server.faultCounts() == ["sim/f": ["cut_stream": 1]])
        }
    }

    @Test("cut_stream on a plain response closes it mid-body")
    func cutBody() throws {
        try withFaults(Faults(cutStream: 1)) { server throws in
            let response = try chat(server, model: "sim/f", user: personPrompt)
            #expect(response.status == 200)
            #expect(!response.isComplete)
            #expect(!response.isValidJSON)
            #expect(Int(response.headers["content-length"] ?? "") ?? 0 > response.body.utf8.count)
        }
    }

    @Test("mid_stream_error: an error event after a 200, then the stream ends", arguments: Format.allCases)
    func midStreamError(_ format: Format) throws {
        try withFaults(Faults(midStreamError: 1)) { server throws in
            let response = try format.send(server, stream: true)
            #expect(response.status == 200 && response.isComplete)
            let last = try #require(response.events.last)
            switch format {
            case .openAI, .azure:
                let error = try #require(last.object?["error"] as? [String: Any])
                #expect(error["message"] is String)
                let choice = (last.object?["choices"] as? [[String: Any]])?.first
                #expect(choice?["finish_reason"] as? String == "error")
                #expect(!response.body.contains("[DONE]"))
            case .anthropic:
                #expect(last.name == "error")
                #expect(object(last.object, "error")?["type"] as? String == "overloaded_error")
                #expect(!response.events.contains { $0.name == "message_stop" })
            case .gemini:
                #expect(object(last.object, "error")?["status"] as? String == "UNAVAILABLE")
            }
            #expect(streamedText(response).count < personAnswer.count)
        }
    }

    @Test("mid_stream_error leaves plain responses alone")
    func midStreamErrorPlain() throws {
        try withFaults(Faults(midStreamError: 1)) { server throws in
            #expect(try chat(server, model: "sim/f", user: personPrompt).content == personAnswer)
            #expect(server.faultCounts().isEmpty)
            #expect(server.servedCount(model: "sim/f") == 1)
        }
    }

    @Test("reset: the connection is reset without a response", arguments: [Format.openAI, .anthropic])
    func reset(_ format: Format) throws {
        try withFaults(Faults(reset: 1)) { server throws in
            let failure = try #require(throws: RawHTTPClient.Failure.self) { try format.send(server) }
            #expect(failure.kind == .reset)
            #expect(server.faultCounts() == ["sim/f": ["reset": 1]])
        }
    }

    @Test("hang: no answer until the client gives up; shutting down still works")
    func hang() throws {
        try withFaults(Faults(hang: 1)) { server throws in
            let failure = try #require(throws: RawHTTPClient.Failure.self) {
                try Format.openAI.send(server, stream: true, timeout: .milliseconds(300))
            }
            #expect(failure.kind == .timedOut)
            #expect(server.faultCounts() == ["sim/f": ["hang": 1]])
        }
    }

    @Test("slow_first_byte: the answer is whole, only later")
    func slowFirstByte() throws {
        try withFaults(Faults(slowFirstByte: 1, slowFirstByteMs: 200)) { server throws in
            let clock = ContinuousClock()
            let start = clock.now
            let response = try chat(server, model: "sim/f", user: personPrompt)
            #expect(clock.now - start >= .milliseconds(200))
            #expect(response.content == personAnswer)
            #expect(server.faultCounts() == ["sim/f": ["slow_first_byte": 1]])
            #expect(server.servedCount(model: "sim/f") == 1)
        }
    }

    @Test("At fraction 0.5 an identical retry soon succeeds", arguments: [
        Faults(rateLimit: 0.5), Faults(serverError: 0.5), Faults(reset: 0.5), Faults(cutStream: 0.5), Faults(malformed: 0.5),
    ])
    func retrySucceeds(_ faults: Faults) throws {
        try withFaults(faults) { server throws in
            var attempts = 0
            var answer: String?
            while answer == nil, attempts < 8 {
                attempts += 1
                let response = try? chat(server, model: "sim/f", user: personPrompt)
                if let response, response.status == 200, response.isComplete, response.isValidJSON {
                    answer = response.content
                }
            }
            #expect(answer == personAnswer)
            #expect(server.servedCount(model: "sim/f") == 1)
            #expect(server.faultCounts()["sim/f"]?.values.reduce(0, +) ?? 0 == attempts - 1)
        }
    }

    @Test("A fraction hits about that share of requests")
    func share() throws {
        try withFaults(Faults(rateLimit: 0.5)) { server throws in
            let limited = try (1...60).filter { try chat(server, model: "sim/f", user: "Compute: \($0) * 3").status == 429 }
            #expect((18...42).contains(limited.count))
        }
    }

    @Test("The same sequence of requests meets the same faults on a fresh server")
    func determinism() throws {
        let sequence = (1...6).map { _ in "Compute: 5 * 5" } + (1...6).map { "Compute: \($0) * 5" }
        let faults = Faults(rateLimit: 0.3, serverError: 0.3)
        let first = try withFaults(faults) { server in try sequence.map { try chat(server, model: "sim/f", user: $0).status } }
        let again = try withFaults(faults) { server in try sequence.map { try chat(server, model: "sim/f", user: $0).status } }
        #expect(first == again)
        #expect(Set(first).count > 1)
    }

    @Test("Faults come only after authentication, validation and model lookup")
    func afterChecks() throws {
        let config = FakeProviderConfig(apiKey: "k", models: [.init(name: "sim/f")], faults: Faults(rateLimit: 1))
        try withServer(config) { server throws in
            #expect(try chat(server, model: "sim/f", user: "hi", key: "wrong").status == 401)
            #expect(try chat(server, model: "sim/nope", user: "hi", key: "k").status == 404)
            #expect(try RawHTTPClient.send(port: server.port, headers: ["Authorization": "Bearer k"],
                                           body: #"{"model": "sim/f"}"#).status == 400)
            #expect(try anthropic(server, model: "sim/f", user: "hi", key: "k", version: nil).status == 400)
            #expect(server.faultCounts().isEmpty)
            #expect(try chat(server, model: "sim/f", user: "hi", key: "k").status == 429)
            #expect(server.faultCounts() == ["sim/f": ["rate_limit": 1]])
        }
    }

    @Test("A model's own faults replace the top-level ones")
    func modelFaultsReplace() throws {
        let config = FakeProviderConfig(models: [.init(name: "sim/calm", faults: Faults.none), .init(name: "sim/f")],
                                        faults: Faults(rateLimit: 1))
        try withServer(config) { server throws in
            #expect(try chat(server, model: "sim/calm", user: "hi").status == 200)
            #expect(try chat(server, model: "sim/f", user: "hi").status == 429)
        }
    }

    @Test("Counters are exposed by the API and as JSON at /_fake/stats")
    func stats() throws {
        let config = FakeProviderConfig(models: [.init(name: "sim/a", faults: Faults(rateLimit: 1)), .init(name: "sim/b")])
        try withServer(config) { server throws in
            for _ in 1...2 { _ = try chat(server, model: "sim/a", user: "hi") }
            for n in 1...3 { _ = try gemini(server, model: "sim/b", user: "Compute: \(n) + 1") }
            _ = try chat(server, model: "sim/nope", user: "hi")
            #expect(server.faultCounts() == ["sim/a": ["rate_limit": 2]])
            #expect(server.servedCount(model: "sim/a") == 0)
            #expect(server.servedCount(model: "sim/b") == 3)
            #expect(server.requestCount(model: "sim/b") == 3)

            let response = try RawHTTPClient.send(port: server.port, method: "GET", path: "/_fake/stats")
            #expect(response.status == 200)
            #expect(response.headers["content-type"] == "application/json")
            let json = response.json
            #expect(json["requests"] as? [String: Int] == ["sim/a": 2, "sim/b": 3, "sim/nope": 1])
            #expect(json["served"] as? [String: Int] == ["sim/a": 0, "sim/b": 3, "sim/nope": 0])
            #expect(json["faults"] as? [String: [String: Int]] == ["sim/a": ["rate_limit": 2], "sim/b": [:], "sim/nope": [:]])
        }
    }

    @Test("Draws follow the fractions, each failing kind in its own share",
          arguments: Faults.Kind.allCases.filter { $0 != .slowFirstByte })
    func drawShares(_ kind: Faults.Kind) {
        let faults = Faults(rateLimit: 0.1, serverError: 0.1, overloaded: 0.1, malformed: 0.1, cutStream: 0.1,
                            midStreamError: 0.1, slowFirstByte: 0.3, slowFirstByteMs: 5, reset: 0.1, hang: 0.1)
        let plans = (1...4000).map {
            FaultPlan.draw(faults, model: "sim/m", body: Array("body \($0 % 100)".utf8), attempt: $0 / 100 + 1, streaming: true)
        }
        let share = Double(plans.filter { $0.failure == kind }.count) / Double(plans.count)
        #expect(abs(share - 0.1) < 0.025)
        let slow = Double(plans.filter { $0.slowFirstByteMs > 0 }.count) / Double(plans.count)
        #expect(abs(slow - 0.3) < 0.03)
        let plain = FaultPlan.draw(Faults(midStreamError: 1), model: "m", body: [], attempt: 1, streaming: false)
        #expect(plain.failure == nil && plain.slowFirstByteMs == 0)
    }
}
