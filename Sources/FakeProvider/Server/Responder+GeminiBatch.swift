import Foundation
import NIOHTTP1

/// Gemini's batch mode with inlined requests: `POST /v1beta/models/{model}:batchGenerateContent`,
/// the operation at `GET /v1beta/batches/{id}` (`BATCH_STATE_PENDING`, `RUNNING`, then
/// `SUCCEEDED` with the inlined responses in `metadata.output`), `GET /v1beta/batches` and
/// `POST /v1beta/batches/{id}:cancel`.
extension Responder {
    /// The reply to a Gemini batch request, or nil when the path is not one.
    func geminiBatchReply(to request: Request, path: String, query: [String: String]) -> Reply? {
        let isCreate = path.hasPrefix("/v1beta/models/") && path.hasSuffix(":batchGenerateContent")
        guard isCreate || path == "/v1beta/batches" || path.hasPrefix("/v1beta/batches/") else { return nil }
        let format = GeminiFormat(model: "", stream: false, sse: false, queryKey: query["key"])
        if let error = authenticationError(request, format: format) { return geminiError(error) }
        if isCreate {
            guard request.method == .POST else { return geminiError(.invalidRequest("Use POST.")) }
            let name = path.dropFirst("/v1beta/models/".count).dropLast(":batchGenerateContent".count)
            return office.gated(.create) { createGeminiBatch(request, model: String(name), queryKey: query["key"]) }
        }
        if path == "/v1beta/batches" {
            // `pageToken` (here the last batch's id) asks for the next page; `nextPageToken` says there is one.
            let limit = min(100, max(1, query["pageSize"].flatMap { Int($0) } ?? 20))
            let (page, hasMore) = office.list(limit: limit, api: .gemini, after: query["pageToken"])
            var body = Array("{\"operations\":[".utf8) + Array(page.map(Self.operation).joined(separator: [UInt8(ascii: ",")]))
            body += Array("]".utf8)
            if hasMore, let last = page.last { body += Array(",\"nextPageToken\":".utf8) + JSONValue.string(last.id).bytes }
            body += Array("}".utf8)
            return office.gated(.list) { Reply(status: .ok, headers: [("content-type", "application/json")], body: .complete(body)) }
        }
        var id = String(path.dropFirst("/v1beta/batches/".count))
        if request.method == .POST, id.hasSuffix(":cancel") {
            id.removeLast(":cancel".count)
            guard office.cancel(id)?.api == .gemini else { return geminiNotFound(id) }
            return Self.json([:])
        }
        guard request.method == .GET, let seen = office.batch(id), seen.api == .gemini else { return geminiNotFound(id) }
        let over = ["BATCH_STATE_SUCCEEDED", "BATCH_STATE_CANCELLED"].contains(seen.status)
        return office.gated(over ? .results : .status) {
            guard let batch = office.poll(id) else { return geminiNotFound(id) }
            return Reply(status: .ok, headers: [("content-type", "application/json")], body: .complete(Self.operation(batch)))
        }
    }

    private func geminiError(_ error: ProviderError) -> Reply {
        Self.json(GeminiFormat(model: "", stream: false, sse: false, queryKey: nil).errorBody(error, requestID: ""),
                  status: error.status)
    }

    private func geminiNotFound(_ id: String) -> Reply {
        geminiError(.init(kind: .notFound, status: .notFound, message: "Batch batches/\(id) not found.", code: nil))
    }

    /// Makes the batch and answers its requests at once, each as `:generateContent` would.
    private func createGeminiBatch(_ request: Request, model: String, queryKey: String?) -> Reply {
        guard let body = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any],
              let batch = body["batch"] as? [String: Any], let displayName = batch["displayName"] as? String,
              let input = batch["inputConfig"] as? [String: Any],
              let requests = (input["requests"] as? [String: Any])?["requests"] as? [[String: Any]], !requests.isEmpty
        else {
            return geminiError(.invalidRequest(
                "batch.displayName and batch.inputConfig.requests.requests (a non-empty list of {request, metadata}) are required."))
        }
        var responses: [[UInt8]] = []
        var keys: [String] = []
        for (entry, fate) in zip(requests, office.fates(count: requests.count)) {
            guard let inner = entry["request"] as? [String: Any], let innerBody = try? JSONSerialization.data(withJSONObject: inner)
            else { return geminiError(.invalidRequest("Each inlined request needs a 'request' object.")) }
            let key = (entry["metadata"] as? [String: Any])?["key"] as? String ?? ""
            keys.append(key)
            let metadata: JSONValue = ["key": .string(key)]
            switch fate {
            case .expire:
                continue
            case .fail:
                let failed: JSONValue = ["error": ["code": 500, "message": "Internal error encountered.", "status": "INTERNAL"],
                                         "metadata": metadata]
                responses.append(failed.bytes)
                continue
            case .run:
                break
            }
            var single = Request(method: .POST, uri: "/v1beta/models/\(model):generateContent"
                                 + (queryKey.map { "?key=\($0)" } ?? ""), headers: request.headers, body: Array(innerBody))
            single.headers.replaceOrAdd(name: "content-type", value: "application/json")
            let reply = respond(to: single)
            guard case .complete(let bytes) = reply.body,
                  let answer = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else { continue }
            if (200..<300).contains(reply.status.code) {
                // The answer as the single call sent it, spliced in whole.
                responses.append(Array("{\"response\":".utf8) + bytes + Array(",\"metadata\":".utf8) + metadata.bytes + [UInt8(ascii: "}")])
            } else {
                let error = answer["error"] as? [String: Any]
                let failed: JSONValue = ["error": ["code": .int(error?["code"] as? Int ?? Int(reply.status.code)),
                                                   "message": .string(error?["message"] as? String ?? "error")],
                                         "metadata": metadata]
                responses.append(failed.bytes)
            }
        }
        let (made, loseReply) = office.create(BatchOffice.Batch(
            api: .gemini, id: RandomID.alphanumeric(count: 20).lowercased(), inputFileID: "", status: "BATCH_STATE_PENDING",
            metadata: [("displayName", displayName), ("model", "models/" + model)], total: requests.count,
            failed: 0, output: [UInt8(ascii: "[")] + Array(responses.joined(separator: [UInt8(ascii: ",")])) + [UInt8(ascii: "]")],
            errors: [], expired: false, sequence: 0, customIDs: keys, model: model))
        if loseReply {
            return geminiError(.init(kind: .serverError, status: .badGateway, message: "Bad gateway.", code: nil))
        }
        var reply = Reply(status: .ok, headers: [("content-type", "application/json")], body: .complete(Self.operation(made)))
        reply.delayMs = config.batches.createReplyDelayMs
        return reply
    }

    /// The batch's long-running operation, with the inlined responses once it succeeded.
    static func operation(_ batch: BatchOffice.Batch) -> [UInt8] {
        let name = "batches/" + batch.id
        let succeeded = batch.status == "BATCH_STATE_SUCCEEDED"
        let over = succeeded || batch.status == "BATCH_STATE_CANCELLED"
        let displayName = batch.metadata.first { $0.0 == "displayName" }?.1 ?? ""
        let metadata: JSONValue = .object([
            ("@type", "type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch"),
            ("name", .string(name)), ("displayName", .string(displayName)),
            ("model", .string(batch.metadata.first { $0.0 == "model" }?.1 ?? "")), ("state", .string(batch.status)),
            ("batchStats", ["requestCount": .string(String(batch.total)),
                            "pendingRequestCount": .string(over ? "0" : String(batch.total))]),
        ])
        var metadataText = Array(metadata.text.utf8)
        if succeeded {
            metadataText.removeLast()  // its closing brace
            metadataText += Array(",\"output\":{\"inlinedResponses\":{\"inlinedResponses\":".utf8) + batch.output + Array("}}}".utf8)
        }
        let head: JSONValue = ["name": .string(name), "done": .bool(over)]
        return Array(head.text.dropLast().utf8) + Array(",\"metadata\":".utf8) + metadataText + [UInt8(ascii: "}")]
    }
}
