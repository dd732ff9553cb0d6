import Foundation
import NIOHTTP1

/// Anthropic's Message Batches: `POST /v1/messages/batches` (`{"requests": [{custom_id, params}]}`),
/// `GET /v1/messages/batches/{id}`, `GET /v1/messages/batches?limit=`,
/// `POST /v1/messages/batches/{id}/cancel` and `GET /v1/messages/batches/{id}/results` (JSONL).
extension Responder {
    /// Anthropic's limit on the requests of one batch.
    static let anthropicBatchMaxRequests = 100_000

    /// The reply to a Message Batches request, or nil when the path is not one.
    func anthropicBatchReply(to request: Request, path: String, query: [String: String]) -> Reply? {
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count >= 3, parts[0] == "v1", parts[1] == "messages", parts[2] == "batches" else { return nil }
        let format = AnthropicFormat()
        if let error = authenticationError(request, format: format) ?? format.precondition(request) {
            return anthropicError(error)
        }
        switch (request.method, parts.count) {
        case (.POST, 3): return office.gated(.create) { createMessageBatch(request) }
        case (.GET, 3):
            // 1 to 1000 a page, as Anthropic's: `after_id` asks for the page after that batch.
            let limit = min(1000, max(1, query["limit"].flatMap { Int($0) } ?? 20))
            let (batches, hasMore) = office.list(limit: limit, api: .anthropic, after: query["after_id"])
            return office.gated(.list) {
                Self.json(["data": .array(batches.map { Self.messageBatch($0, request: request) }), "has_more": .bool(hasMore),
                           "first_id": .orNull(batches.first?.id), "last_id": .orNull(batches.last?.id)])
            }
        case (.GET, 4):
            guard office.batch(parts[3])?.api == .anthropic else { return batchNotFound(parts[3]) }
            return office.gated(.status) {
                office.poll(parts[3]).map { Self.json(Self.messageBatch($0, request: request)) } ?? batchNotFound(parts[3])
            }
        case (.POST, 5) where parts[4] == "cancel":
            guard let batch = office.cancel(parts[3]), batch.api == .anthropic else { return batchNotFound(parts[3]) }
            return Self.json(Self.messageBatch(batch, request: request))
        case (.GET, 5) where parts[4] == "results":
            guard let batch = office.batch(parts[3]), batch.api == .anthropic else { return batchNotFound(parts[3]) }
            guard batch.status == "ended" else {
                return anthropicError(.invalidRequest("Message Batch \(batch.id) has not ended yet; results are available once processing_status is 'ended'."))
            }
            return office.gated(.results) {
                Reply(status: .ok, headers: [("content-type", "application/binary")], body: .complete(Self.results(of: batch)))
            }
        default:
            return anthropicError(.init(kind: .notFound, status: .notFound,
                                        message: "Not found: \(request.method.rawValue) \(path)", code: nil))
        }
    }

    private func anthropicError(_ error: ProviderError) -> Reply {
        let requestID = "req_" + RandomID.hex(bytes: 12)
        var reply = Self.json(AnthropicFormat().errorBody(error, requestID: requestID), status: error.status)
        reply.headers += [("request-id", requestID)] + error.headers
        return reply
    }

    private func batchNotFound(_ id: String) -> Reply {
        anthropicError(.init(kind: .notFound, status: .notFound, message: "No Message Batch with id \(id).", code: nil))
    }

    /// Creates a batch and answers its requests at once, each as a single call to
    /// `/v1/messages` would be; its results list them in an order of their own.
    private func createMessageBatch(_ request: Request) -> Reply {
        if request.bodyTooLarge { return anthropicError(.tooLarge(limit: Self.maxBodyBytes)) }
        guard let body = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any],
              let requests = body["requests"] as? [[String: Any]], !requests.isEmpty else {
            return anthropicError(.invalidRequest("requests: Field required (a non-empty list of {custom_id, params})"))
        }
        guard requests.count <= Self.anthropicBatchMaxRequests else {
            return anthropicError(.invalidRequest("requests: at most \(Self.anthropicBatchMaxRequests) requests per batch"))
        }
        var seen = Set<String>()
        for entry in requests {
            guard let customID = entry["custom_id"] as? String, Self.isValidCustomID(customID) else {
                return anthropicError(.invalidRequest("requests.custom_id: must be 1 to 64 characters of a-z, A-Z, 0-9, - and _"))
            }
            guard seen.insert(customID).inserted else {
                return anthropicError(.invalidRequest("requests: custom_id '\(customID)' is used more than once"))
            }
            guard let params = entry["params"] as? [String: Any] else {
                return anthropicError(.invalidRequest("requests.params: Field required"))
            }
            if params["stream"] as? Bool == true {
                return anthropicError(.invalidRequest("requests.params.stream: batch requests cannot be streamed"))
            }
        }
        var results: [(String, [UInt8])] = []
        var types: [String: String] = [:]
        var errored = 0
        for (entry, fate) in zip(requests, office.fates(count: requests.count)) {
            guard let customID = entry["custom_id"] as? String, let params = entry["params"],
                  let paramsBody = try? JSONSerialization.data(withJSONObject: params) else { continue }
            let head: JSONValue = ["custom_id": .string(customID)]
            func line(_ result: [UInt8]) -> [UInt8] {
                Array(head.text.dropLast().utf8) + Array(",\"result\":".utf8) + result + Array("}".utf8)
            }
            switch fate {
            case .expire:
                types[customID] = "expired"
                let expired: JSONValue = ["type": "expired"]
                results.append((customID, line(expired.bytes)))
                continue
            case .fail:
                types[customID] = "errored"
                errored += 1
                let error: JSONValue = ["type": "errored", "error": ["type": "error", "error": [
                    "type": "api_error", "message": "Internal server error"]]]
                results.append((customID, line(error.bytes)))
                continue
            case .run:
                break
            }
            var single = Request(method: .POST, uri: "/v1/messages", headers: request.headers, body: Array(paramsBody))
            single.headers.replaceOrAdd(name: "content-type", value: "application/json")
            let reply = respond(to: single)
            guard case .complete(let bytes) = reply.body else { continue }
            if (200..<300).contains(reply.status.code) {
                types[customID] = "succeeded"
                results.append((customID, line(Array("{\"type\":\"succeeded\",\"message\":".utf8) + bytes + Array("}".utf8))))
            } else {
                // The error body as the single call sent it: `{"type": "error", "error": {...}}`.
                types[customID] = "errored"
                errored += 1
                results.append((customID, line(Array("{\"type\":\"errored\",\"error\":".utf8) + bytes + Array("}".utf8))))
            }
        }
        let jsonl = results.sorted { FNV1a.hash($0.0) < FNV1a.hash($1.0) }.flatMap { $0.1 + [UInt8(ascii: "\n")] }
        let (batch, loseReply) = office.create(BatchOffice.Batch(
            api: .anthropic, id: "msgbatch_" + RandomID.alphanumeric(count: 24), inputFileID: "", status: "in_progress",
            metadata: [], total: requests.count, failed: errored, output: jsonl, errors: [], expired: false, sequence: 0,
            customIDs: requests.compactMap { $0["custom_id"] as? String }, resultTypes: types,
            model: (requests.first?["params"] as? [String: Any])?["model"] as? String ?? ""))
        if loseReply {
            return anthropicError(.init(kind: .serverError, status: .badGateway, message: "Bad gateway.", code: nil))
        }
        var reply = Self.json(Self.messageBatch(batch, request: request))
        reply.delayMs = config.batches.createReplyDelayMs
        return reply
    }

    /// `^[a-zA-Z0-9_-]{1,64}$`, as Anthropic documents a custom id.
    private static func isValidCustomID(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count)
            && id.utf8.allSatisfy { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || (48...57).contains($0)
                || (65...90).contains($0) || (97...122).contains($0) }
    }

    /// The results JSONL: each request's line, or `canceled` for all of a cancelled batch.
    static func results(of batch: BatchOffice.Batch) -> [UInt8] {
        guard batch.cancelled else { return batch.output }
        return batch.customIDs.sorted { FNV1a.hash($0) < FNV1a.hash($1) }.flatMap { customID in
            let line: JSONValue = ["custom_id": .string(customID), "result": ["type": "canceled"]]
            return line.bytes + [UInt8(ascii: "\n")]
        }
    }

    /// The Message Batch object, as Anthropic returns it; `results_url` on this server once it ended.
    static func messageBatch(_ batch: BatchOffice.Batch, request: Request) -> JSONValue {
        let ended = batch.status == "ended"
        func count(_ type: String) -> JSONValue {
            .int(ended ? batch.resultTypes.values.filter { $0 == type }.count : 0)
        }
        let host = request.headers.first(name: "host") ?? "127.0.0.1"
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions.insert(.withFractionalSeconds)
        let created = formatter.string(from: batch.createdAt)
        return ["id": .string(batch.id), "type": "message_batch", "processing_status": .string(batch.status),
                "request_counts": ["processing": .int(ended ? 0 : batch.total), "succeeded": count("succeeded"),
                                   "errored": count("errored"), "canceled": count("canceled"), "expired": count("expired")],
                "ended_at": ended ? .string(created) : nil, "created_at": .string(created),
                "expires_at": .string(formatter.string(from: batch.createdAt.addingTimeInterval(86_400))),
                "archived_at": nil, "cancel_initiated_at": batch.cancelled ? .string(created) : nil,
                "results_url": ended ? .string("http://\(host)/v1/messages/batches/\(batch.id)/results") : nil]
    }
}
