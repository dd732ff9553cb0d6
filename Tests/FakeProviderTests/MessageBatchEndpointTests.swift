import Foundation
import Testing
@testable import FakeProvider

/// Anthropic's Message Batches over HTTP: create with `requests`, `in_progress` then `ended`,
/// the results out of order with every result type, cancel, and the documented refusals.
@Suite("Fake provider Message Batches")
struct MessageBatchEndpointTests {
    private func config(_ batches: FakeProviderConfig.Batches = .init()) -> FakeProviderConfig {
        var config = FakeProviderConfig(apiKey: "k", models: [.init(name: "sim/a", accuracy: 1)])
        config.batches = batches
        return config
    }

    private let headers = ["x-api-key": "k", "anthropic-version": "2023-06-01", "Content-Type": "application/json"]

    private func requests(_ count: Int) -> String {
        let list = (0..<count).map { index in
            #"{"custom_id":"item-\#(index)","params":{"model":"sim/a","max_tokens":16,"#
                + #""messages":[{"role":"user","content":"Compute: \#(index) + 1"}]}}"#
        }
        return #"{"requests":["# + list.joined(separator: ",") + "]}"
    }

    private func create(_ server: FakeProviderServer, _ body: String) throws -> RawHTTPResponse {
        try RawHTTPClient.send(port: server.port, path: "/v1/messages/batches", headers: headers, body: body)
    }

    private func send(_ server: FakeProviderServer, _ method: String, _ path: String) throws -> RawHTTPResponse {
        try RawHTTPClient.send(port: server.port, method: method, path: path, headers: headers)
    }

    @Test func aBatchEndsAndItsResultsAreOutOfOrder() throws {
        try withServer(config()) { server in
            let created = try create(server, requests(6))
            #expect(created.status == 200 && created.json["processing_status"] as? String == "in_progress")
            #expect(created.json["type"] as? String == "message_batch" && created.json["results_url"] is NSNull)
            let id = try #require(created.json["id"] as? String)
            #expect(id.hasPrefix("msgbatch_"))
            let ended = try send(server, "GET", "/v1/messages/batches/\(id)").json
            #expect(ended["processing_status"] as? String == "ended")
            #expect((ended["request_counts"] as? [String: Int])
                    == ["processing": 0, "succeeded": 6, "errored": 0, "canceled": 0, "expired": 0])
            let url = try #require(ended["results_url"] as? String)
            #expect(url.hasSuffix("/v1/messages/batches/\(id)/results"))
            let results = try send(server, "GET", "/v1/messages/batches/\(id)/results").body
            let lines = results.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            let ids = lines.compactMap { $0["custom_id"] as? String }
            #expect(Set(ids) == Set((0..<6).map { "item-\($0)" }) && ids != (0..<6).map { "item-\($0)" })
            let result = try #require(lines.first?["result"] as? [String: Any])
            #expect(result["type"] as? String == "succeeded")
            let index = try #require(Int(ids[0].dropFirst(5)))
            let content = ((result["message"] as? [String: Any])?["content"] as? [[String: Any]])?.first
            #expect(content?["text"] as? String == "\(index + 1)")
            let listed = try send(server, "GET", "/v1/messages/batches?limit=5").json["data"] as? [[String: Any]]
            #expect(listed?.map { $0["id"] as? String } == [id])
        }
    }

    @Test func expiredAndErroredRequestsHaveTheirResultTypes() throws {
        try withServer(config(.init(expireRequests: 1, errorRequests: 2))) { server in
            let id = try #require(try create(server, requests(5)).json["id"] as? String)
            let ended = try send(server, "GET", "/v1/messages/batches/\(id)").json
            #expect((ended["request_counts"] as? [String: Int])
                    == ["processing": 0, "succeeded": 2, "errored": 2, "canceled": 0, "expired": 1])
            let results = try send(server, "GET", "/v1/messages/batches/\(id)/results").body
            #expect(results.components(separatedBy: #""type":"expired""#).count == 2)
            #expect(results.components(separatedBy: #""type":"errored","error":{"type":"error","error":{"type":"api_error""#).count == 3)
        }
    }

    @Test func aCancelledBatchEndsWithEveryRequestCanceled() throws {
        try withServer(config(.init(held: true))) { server in
            let id = try #require(try create(server, requests(3)).json["id"] as? String)
            #expect(try send(server, "GET", "/v1/messages/batches/\(id)").json["processing_status"] as? String == "in_progress")
            let cancelling = try send(server, "POST", "/v1/messages/batches/\(id)/cancel")
            #expect(cancelling.status == 200 && cancelling.json["processing_status"] as? String == "canceling")
            let ended = try send(server, "GET", "/v1/messages/batches/\(id)").json
            #expect(ended["processing_status"] as? String == "ended")
            #expect((ended["request_counts"] as? [String: Int])?["canceled"] == 3)
            let results = try send(server, "GET", "/v1/messages/batches/\(id)/results").body
            #expect(results.components(separatedBy: #""type":"canceled""#).count == 4)
            #expect(server.batchesCancelled() == 1)
        }
    }

    @Test func theDocumentedShapeIsRequired() throws {
        try withServer(config()) { (server: FakeProviderServer) throws -> Void in
            var noKey = headers
            noKey["x-api-key"] = nil
            #expect(try RawHTTPClient.send(port: server.port, path: "/v1/messages/batches", headers: noKey,
                                           body: requests(1)).status == 401)
            #expect(try create(server, #"{"requests":[]}"#).status == 400)
            #expect(try create(server, #"{"requests":[{"custom_id":"a b","params":{}}]}"#).status == 400)
            let twice = #"{"requests":[{"custom_id":"x","params":{}},{"custom_id":"x","params":{}}]}"#
            #expect(try create(server, twice).status == 400)
            let streamed = #"{"requests":[{"custom_id":"x","params":{"model":"sim/a","max_tokens":4,"stream":true,"messages":[]}}]}"#
            #expect(try create(server, streamed).status == 400)
            #expect(try send(server, "GET", "/v1/messages/batches/msgbatch_nope").status == 404)
        }
    }
}
