import FakeProvider
import Foundation
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

struct HTTPClientTests {
    private func chatBody(model: String, _ question: String) -> Data {
        Data(#"{"model": "\#(model)", "messages": [{"role": "user", "content": "\#(question)"}], "max_tokens": 16}"#.utf8)
    }

    @Test func postsAndReadsStatusHeadersBodyAndTimings() throws {
        try withFakeProvider(models: [.init(name: "sim/a")]) { server in
            let client = try HTTPClient()
            defer { client.shutdown() }
            let request = HTTPRequest(url: server.baseURL + "/chat/completions",
                                      headers: [HTTPHeader("Authorization", "Bearer test-key"),
                                                HTTPHeader("Content-Type", "application/json")],
                                      body: chatBody(model: "sim/a", "Compute: 2 + 3"))
            let response = try client.sendAndWait(request).get()
            #expect(response.status == 200)
            #expect(response.headers["content-type"]?.hasPrefix("application/json") == true)
            #expect(response.headers["x-request-id"]?.hasPrefix("req_") == true)
            let object = try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
            let choices = object?["choices"] as? [[String: Any]]
            let message = choices?.first?["message"] as? [String: Any]
            #expect(message?["content"] as? String == "5")
            #expect(response.timings.total > 0)
            #expect(response.timings.firstByte <= response.timings.total)
        }
    }

    @Test func manyRequestsInFlightAllComplete() throws {
        try withFakeProvider(models: [.init(name: "sim/a", latencyMs: 20)]) { server in
            let client = try HTTPClient()
            defer { client.shutdown() }
            let group = DispatchGroup()
            let statuses = Locked<[Int]>([])
            for index in 0..<50 {
                group.enter()
                let request = HTTPRequest(url: server.baseURL + "/chat/completions",
                                          headers: [HTTPHeader("Authorization", "Bearer test-key")],
                                          body: chatBody(model: "sim/a", "Compute: \(index) + 1"))
                client.send(request) { result in
                    statuses.mutate { $0.append((try? result.get().status) ?? -1) }
                    group.leave()
                }
            }
            group.wait()
            #expect(statuses.value.count == 50)
            #expect(statuses.value.allSatisfy { $0 == 200 })
            #expect(server.requestCount(model: "sim/a") == 50)
        }
    }

    /// A runner keeps a window of requests in flight, starting one as another ends; the connections
    /// it opens must stay near the window, not grow with the requests (230 for 5,000 at 50 before
    /// the connection cache was sized).
    @Test func aWindowOfRequestsReusesItsConnections() throws {
        try withFakeProvider(models: [.init(name: "sim/a", latencyMs: 1)]) { server in
            let client = try HTTPClient()
            defer { client.shutdown() }
            let window = 48, total = 1_500
            let slots = DispatchSemaphore(value: window)
            let group = DispatchGroup()
            let failures = Locked(0)
            for index in 0..<total {
                slots.wait()
                group.enter()
                let request = HTTPRequest(url: server.baseURL + "/chat/completions",
                                          headers: [HTTPHeader("Authorization", "Bearer test-key")],
                                          body: chatBody(model: "sim/a", "Compute: \(index) + 1"))
                client.send(request) { result in
                    if (try? result.get().status) != 200 { failures.mutate { $0 += 1 } }
                    slots.signal()
                    group.leave()
                }
            }
            group.wait()
            #expect(failures.value == 0)
            #expect(server.connectionCount() <= window + 8, "opened \(server.connectionCount()) connections for \(total) requests")
        }
    }

    /// Rounds of requests with a pause between them (a run whose calls wait on a rate limit):
    /// left to itself curl sizes its connection cache by the transfers still added, so the
    /// connections of a finished round were closed and the next round opened new ones.
    @Test func connectionsOutliveAPauseBetweenRounds() throws {
        try withFakeProvider(models: [.init(name: "sim/a", latencyMs: 1)]) { server in
            let client = try HTTPClient()
            defer { client.shutdown() }
            let window = 32
            for round in 0..<5 {
                let group = DispatchGroup()
                for index in 0..<window {
                    group.enter()
                    let request = HTTPRequest(url: server.baseURL + "/chat/completions",
                                              headers: [HTTPHeader("Authorization", "Bearer test-key")],
                                              body: chatBody(model: "sim/a", "Compute: \(round) + \(index)"))
                    client.send(request) { _ in group.leave() }
                }
                group.wait()
            }
            #expect(server.connectionCount() <= window, "opened \(server.connectionCount()) connections for 5 rounds of \(window)")
        }
    }

    @Test func errorStatusesAreResponsesNotTransportErrors() throws {
        try withFakeProvider(models: [.init(name: "sim/a")]) { server in
            let client = try HTTPClient()
            defer { client.shutdown() }
            let request = HTTPRequest(url: server.baseURL + "/chat/completions",
                                      headers: [HTTPHeader("Authorization", "Bearer wrong")],
                                      body: chatBody(model: "sim/a", "hi"))
            let response = try client.sendAndWait(request).get()
            #expect(response.status == 401)
        }
    }

    @Test func refusedConnectionIsATransportError() throws {
        // Bind and close a server to find a port nothing listens on.
        let port = try withFakeProvider(models: [.init(name: "sim/a")]) { $0.port }
        let client = try HTTPClient()
        defer { client.shutdown() }
        let result = client.sendAndWait(HTTPRequest(url: "http://127.0.0.1:\(port)/v1/chat/completions", connectTimeout: 2))
        guard case .failure(let error) = result else {
            Issue.record("expected a transport error, got \(result)")
            return
        }
        #expect(error.code == 7)  // CURLE_COULDNT_CONNECT
        #expect(error.message.contains("Couldn't connect"))
    }

    /// One request at a time runs on one easy handle, which keeps its options between them:
    /// nothing of a request (method, headers, body) may reach the next.
    @Test func aReusedHandleCarriesNothingFromOneRequestToTheNext() throws {
        try withHostileServer({ _ in HostileServer.Answer("{}") }) { server in
            let client = try HTTPClient()
            defer { client.shutdown() }
            let sent = [
                HTTPRequest(url: server.rootURL + "/a", headers: [HTTPHeader("Authorization", "Bearer one"), HTTPHeader("X-A", "1")],
                            body: Data("first".utf8)),
                HTTPRequest(method: "GET", url: server.rootURL + "/b", headers: [HTTPHeader("X-B", "2")]),
                HTTPRequest(method: "DELETE", url: server.rootURL + "/c"),
                HTTPRequest(url: server.rootURL + "/d", headers: [HTTPHeader("X-A", "1")]),
                HTTPRequest(url: server.rootURL + "/e", headers: [HTTPHeader("X-A", "1")], body: Data("fifth".utf8)),
                HTTPRequest(method: "GET", url: server.rootURL + "/f"),
                HTTPRequest(url: server.rootURL + "/g", headers: [HTTPHeader("X-A", "3")], body: Data("seventh".utf8)),
            ]
            for request in sent { #expect(try client.sendAndWait(request).get().status == 200) }
            let received = server.requests
            try #require(received.count == sent.count)
            #expect(received.map(\.method) == ["POST", "GET", "DELETE", "POST", "POST", "GET", "POST"])
            #expect(received.map(\.target) == ["/a", "/b", "/c", "/d", "/e", "/f", "/g"])
            #expect(received.map { String(decoding: $0.body, as: UTF8.self) } == ["first", "", "", "", "fifth", "", "seventh"])
            #expect(received.map { $0.header("Authorization") } == ["Bearer one", nil, nil, nil, nil, nil, nil])
            #expect(received.map { $0.header("X-A") } == ["1", nil, nil, "1", "1", nil, "3"])
            #expect(received.map { $0.header("X-B") } == [nil, "2", nil, nil, nil, nil, nil])
            #expect(received.allSatisfy { $0.header("Expect") == nil })
        }
    }

    /// A runner sends its next call from the last one's completion, on the client's loop: the
    /// loop takes that request before it next waits, so only the first request, sent from
    /// outside, wakes it; and every request of the chain is answered.
    @Test func aRequestSentFromACompletionNeedsNoWakeUp() throws {
        try withFakeProvider(models: [.init(name: "sim/a")]) { server in
            let client = try HTTPClient()
            defer { client.shutdown() }
            let done = DispatchSemaphore(value: 0)
            let statuses = Locked<[Int]>([])
            @Sendable func send(_ index: Int) {
                let request = HTTPRequest(url: server.baseURL + "/chat/completions",
                                          headers: [HTTPHeader("Authorization", "Bearer test-key")],
                                          body: chatBody(model: "sim/a", "Compute: \(index) + 1"))
                client.send(request) { result in
                    statuses.mutate { $0.append((try? result.get().status) ?? -1) }
                    if index < 29 { send(index + 1) } else { done.signal() }
                }
            }
            send(0)
            done.wait()
            #expect(statuses.value == Array(repeating: 200, count: 30))
            #expect(client.wakeUps == 1)
        }
    }

    @Test func slowServerTimesOut() throws {
        try withFakeProvider(models: [.init(name: "sim/slow", latencyMs: 3_000)]) { server in
            let client = try HTTPClient()
            defer { client.shutdown() }
            let request = HTTPRequest(url: server.baseURL + "/chat/completions",
                                      headers: [HTTPHeader("Authorization", "Bearer test-key")],
                                      body: chatBody(model: "sim/slow", "hi"), timeout: 0.3)
            guard case .failure(let error) = client.sendAndWait(request) else {
                Issue.record("expected a timeout")
                return
            }
            #expect(error.isTimeout)
        }
    }
}

/// A value behind a lock, for collecting results from completion handlers in tests.
final class Locked<Value: Sendable>: @unchecked Sendable {
    // @unchecked: every access goes through `lock`.
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value { lock.withLock { stored } }

    func mutate(_ body: (inout Value) -> Void) { lock.withLock { body(&stored) } }
}
