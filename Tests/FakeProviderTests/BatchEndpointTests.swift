import Foundation
import Testing
@testable import FakeProvider

/// The OpenAI Batch API over HTTP: upload, create, the statuses a batch goes through, the output
/// file out of order, the error file, and the injected faults.
@Suite("Fake provider Batch API")
struct BatchEndpointTests {
    private func config(_ batches: FakeProviderConfig.Batches = .init()) -> FakeProviderConfig {
        var config = FakeProviderConfig(apiKey: "k", models: [.init(name: "sim/a", accuracy: 1)])
        config.batches = batches
        return config
    }

    private let auth = ["Authorization": "Bearer k"]

    private func jsonl(_ count: Int) -> String {
        (0..<count).map { index in
            #"{"custom_id":"item-\#(index)","method":"POST","url":"/v1/chat/completions","body":{"model":"sim/a","#
                + #""messages":[{"role":"user","content":"Compute: \#(index) + 1"}],"max_tokens":16}}"#
        }.joined(separator: "\n") + "\n"
    }

    private func upload(_ server: FakeProviderServer, _ text: String) throws -> RawHTTPResponse {
        let form = "--B\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n"
            + "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b.jsonl\"\r\n"
            + "Content-Type: application/jsonl\r\n\r\n\(text)\r\n--B--\r\n"
        return try RawHTTPClient.send(port: server.port, path: "/v1/files",
                                headers: auth.merging(["Content-Type": "multipart/form-data; boundary=B"]) { $1 }, body: form)
    }

    private func create(_ server: FakeProviderServer, file: String) throws -> RawHTTPResponse {
        try RawHTTPClient.send(port: server.port, path: "/v1/batches", headers: auth.merging(["Content-Type": "application/json"]) { $1 },
                         body: #"{"input_file_id":"\#(file)","endpoint":"/v1/chat/completions","completion_window":"24h","#
                            + #""metadata":{"tradeoff_batch":"t-1"}}"#)
    }

    private func get(_ server: FakeProviderServer, _ path: String) throws -> RawHTTPResponse {
        try RawHTTPClient.send(port: server.port, method: "GET", path: path, headers: auth)
    }

    @Test func aBatchGoesThroughItsStatusesAndItsOutputIsOutOfOrder() throws {
        try withServer(config()) { server in
            let file = try #require(try upload(server, jsonl(8)).json["id"] as? String)
            let created = try create(server, file: file)
            #expect(created.status == 200 && created.json["status"] as? String == "validating")
            let id = try #require(created.json["id"] as? String)
            var statuses: [String] = []
            var last: [String: Any] = [:]
            for _ in 0..<4 {
                last = try get(server, "/v1/batches/\(id)").json
                statuses.append(last["status"] as? String ?? "")
            }
            #expect(statuses == ["in_progress", "finalizing", "completed", "completed"])
            #expect((last["request_counts"] as? [String: Int]) == ["total": 8, "completed": 8, "failed": 0])
            #expect((last["metadata"] as? [String: String]) == ["tradeoff_batch": "t-1"])
            #expect(last["error_file_id"] is NSNull)
            let output = try get(server, "/v1/files/\(try #require(last["output_file_id"] as? String))/content")
            let lines = output.body.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            let ids = lines.compactMap { $0?["custom_id"] as? String }
            #expect(Set(ids) == Set((0..<8).map { "item-\($0)" }) && ids.count == 8)
            #expect(ids != (0..<8).map { "item-\($0)" })
            let first = try #require(lines.first ?? nil)
            let response = try #require(first["response"] as? [String: Any])
            #expect(response["status_code"] as? Int == 200)
            let index = Int(ids[0].dropFirst(5))!
            let choice = ((response["body"] as? [String: Any])?["choices"] as? [[String: Any]])?.first
            #expect((choice?["message"] as? [String: Any])?["content"] as? String == "\(index + 1)")
            #expect(server.batchesCreated() == 1)
            let listed = try get(server, "/v1/batches?limit=10").json["data"] as? [[String: Any]]
            #expect(listed?.map { $0["id"] as? String } == [id])
        }
    }

    @Test func expiredAndFailedRequestsAreInTheErrorFile() throws {
        try withServer(config(.init(expireRequests: 1, errorRequests: 2))) { server in
            let file = try #require(try upload(server, jsonl(5)).json["id"] as? String)
            let id = try #require(try create(server, file: file).json["id"] as? String)
            var last: [String: Any] = [:]
            for _ in 0..<3 { last = try get(server, "/v1/batches/\(id)").json }
            #expect(last["status"] as? String == "expired")
            #expect((last["request_counts"] as? [String: Int]) == ["total": 5, "completed": 2, "failed": 3])
            let errors = try get(server, "/v1/files/\(try #require(last["error_file_id"] as? String))/content").body
            #expect(errors.components(separatedBy: "\"code\":\"batch_expired\"").count == 2)
            #expect(errors.components(separatedBy: "\"status_code\":500").count == 3)
        }
    }

    @Test func heldBatchesWaitAndALostReplyStillMakesTheBatch() throws {
        try withServer(config(.init(held: true, loseCreateReplies: 1))) { server in
            let file = try #require(try upload(server, jsonl(2)).json["id"] as? String)
            #expect(try create(server, file: file).status == 502)
            #expect(server.batchesCreated() == 1)
            let listed = try #require(try get(server, "/v1/batches?limit=5").json["data"] as? [[String: Any]])
            let id = try #require(listed.first?["id"] as? String)
            for _ in 0..<4 { #expect(try get(server, "/v1/batches/\(id)").json["status"] as? String != "completed") }
            server.releaseBatches()
            var status = ""
            for _ in 0..<3 { status = try get(server, "/v1/batches/\(id)").json["status"] as? String ?? "" }
            #expect(status == "completed")
        }
    }

    @Test func aBatchNeedsAKeyAndAFileForPurposeBatch() throws {
        try withServer(config()) { server in
            #expect(try RawHTTPClient.send(port: server.port, method: "GET", path: "/v1/batches").status == 401)
            let missing = try create(server, file: "file-nope")
            #expect(missing.status == 404)
            let wrongPurpose = try RawHTTPClient.send(port: server.port, path: "/v1/files",
                                                headers: auth.merging(["Content-Type": "multipart/form-data; boundary=B"]) { $1 },
                                                body: "--B\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nfine-tune\r\n--B--\r\n")
            #expect(wrongPurpose.status == 400)
        }
    }
}
