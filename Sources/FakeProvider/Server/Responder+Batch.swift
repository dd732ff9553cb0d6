import Foundation
import NIOHTTP1

/// The OpenAI Batch API: `POST /v1/files` (multipart, purpose `batch`), `GET /v1/files/{id}/content`,
/// `POST /v1/batches`, `GET /v1/batches/{id}`, `GET /v1/batches?limit=` and `POST /v1/batches/{id}/cancel`;
/// and Azure OpenAI's global batch, the same under `/openai/...?api-version=` with the key in
/// `api-key`, its lines and batches calling `/chat/completions` with the deployment in `model`.
extension Responder {
    /// The reply to a Batch API request, or nil when the path is not one.
    func batchReply(to request: Request, path: String, query: [String: String]) -> Reply? {
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count >= 2, parts[0] == "v1" || parts[0] == "openai", parts[1] == "files" || parts[1] == "batches"
        else { return nil }
        let azure = parts[0] == "openai" ? AzureFormat(deployment: "", apiVersion: query["api-version"]) : nil
        if let azure, let error = authenticationError(request, format: azure) ?? azure.precondition(request) {
            return Self.json(azure.errorBody(error, requestID: ""), status: error.status)
        }
        if azure == nil, let error = authenticationError(request, format: OpenAIFormat()) { return openAIError(error) }
        switch (request.method, parts.count, parts[1]) {
        case (.POST, 2, "files"): return office.gated(.upload) { upload(request) }
        case (.GET, 4, "files") where parts[3] == "content":
            guard let file = office.file(parts[2]) else { return notFound("No such File object: \(parts[2])") }
            return office.gated(.results) {
                Reply(status: .ok, headers: [("content-type", "application/jsonl")], body: .complete(file))
            }
        case (.POST, 2, "batches"): return office.gated(.create) { createBatch(request, azure: azure) }
        case (.GET, 2, "batches"):
            // At most 100 a page, as OpenAI's: `after` (a batch id) asks for the next.
            let limit = min(100, max(1, query["limit"].flatMap { Int($0) } ?? 20))
            let (page, hasMore) = office.list(limit: limit, after: query["after"])
            return office.gated(.list) {
                Self.json(["object": "list", "data": .array(page.map(Self.object)), "first_id": .orNull(page.first?.id),
                           "last_id": .orNull(page.last?.id), "has_more": .bool(hasMore)])
            }
        case (.POST, 4, "batches") where parts[3] == "cancel":
            guard let batch = office.cancel(parts[2]) else { return notFound("No such Batch object: \(parts[2])") }
            return Self.json(Self.object(batch))
        case (.GET, 3, "batches"):
            guard office.batch(parts[2]) != nil else { return notFound("No such Batch object: \(parts[2])") }
            return office.gated(.status) { 
                office.poll(parts[2]).map { Self.json(Self.object($0)) } ?? notFound("No such Batch object: \(parts[2])")
            }
        default:
            return openAIError(.init(kind: .notFound, status: .notFound,
                                     message: "Invalid URL (\(request.method.rawValue) \(path))", code: "unknown_url"))
        }
    }

    private func notFound(_ message: String) -> Reply {
        openAIError(.init(kind: .notFound, status: .notFound, message: message, code: "not_found"))
    }

    private func invalid(_ message: String) -> Reply {
        openAIError(.invalidRequest(message, param: nil, code: "invalid_request"))
    }

    /// Keeps the `file` part of a multipart form whose `purpose` is `batch`.
    private func upload(_ request: Request) -> Reply {
        let type = request.headers["content-type"].first { $0.contains("multipart/form-data") } ?? ""
        guard let boundary = type.components(separatedBy: "boundary=").dropFirst().first, !boundary.isEmpty else {
            return invalid("Expected a multipart/form-data body with a boundary.")
        }
        let body = Data(request.body)
        var fields: [String: Data] = [:]
        let delimiter = Data("--\(boundary)".utf8)
        var cursor = body.startIndex
        while let start = body.range(of: delimiter, in: cursor..<body.endIndex) {
            guard let headersEnd = body.range(of: Data("\r\n\r\n".utf8), in: start.upperBound..<body.endIndex),
                  let next = body.range(of: Data("\r\n--\(boundary)".utf8), in: headersEnd.upperBound..<body.endIndex)
            else { break }
            let headers = String(decoding: body[start.upperBound..<headersEnd.lowerBound], as: UTF8.self)
            if let name = headers.components(separatedBy: "name=\"").dropFirst().first?.prefix(while: { $0 != "\"" }) {
                fields[String(name)] = body[headersEnd.upperBound..<next.lowerBound]
            }
            cursor = next.lowerBound + 2
        }
        guard fields["purpose"].map({ String(decoding: $0, as: UTF8.self) }) == "batch" else {
            return invalid("'purpose' must be 'batch'.")
        }
        guard let file = fields["file"], !file.isEmpty else { return invalid("Missing required parameter: 'file'.") }
        let id = office.store(file: Array(file))
        return Self.json(["id": .string(id), "object": "file", "bytes": .int(file.count), "purpose": "batch",
                          "filename": "batch.jsonl"])
    }

    /// Creates a batch of the input file's lines and answers them at once, each as a single call
    /// would be (for Azure, to the deployment each line's `model` names); the output lists them in
    /// an order of its own.
    private func createBatch(_ request: Request, azure: AzureFormat?) -> Reply {
        guard let body = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any],
              let fileID = body["input_file_id"] as? String else {
            return invalid("Missing required parameter: 'input_file_id'.")
        }
        let endpoint = azure == nil ? "/v1/chat/completions" : "/chat/completions"
        guard body["endpoint"] as? String == endpoint, body["completion_window"] as? String == "24h" else {
            return invalid("'endpoint' must be '\(endpoint)' and 'completion_window' '24h'.")
        }
        guard let file = office.file(fileID) else { return notFound("No such File object: \(fileID)") }
        var output: [(String, [UInt8])] = [], errors: [(String, [UInt8])] = []
        let lines = file.split(separator: UInt8(ascii: "\n")).filter { !$0.isEmpty }
        var expired = false
        var customIDs: [String] = [], model = ""
        for (line, fate) in zip(lines, office.fates(count: lines.count)) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                  let customID = object["custom_id"] as? String, let call = object["body"],
                  let callBody = try? JSONSerialization.data(withJSONObject: call) else {
                return invalid("Each line must be a JSON object with 'custom_id', 'method', 'url' and 'body'.")
            }
            guard object["url"] as? String == endpoint, object["method"] as? String == "POST" else {
                return invalid("Each line's 'method' must be 'POST' and its 'url' '\(endpoint)', the batch's endpoint.")
            }
            customIDs.append(customID)
            if model.isEmpty { model = (call as? [String: Any])?["model"] as? String ?? "" }
            let id: JSONValue = .string("batch_req_" + RandomID.hex(bytes: 12))
            switch fate {
            case .expire:
                let line: JSONValue = ["id": id, "custom_id": .string(customID), "response": nil,
                                      "error": ["code": "batch_expired",
                                                "message": "This request could not be executed before the completion window expired."]]
                errors.append((customID, line.bytes))
                expired = true
                continue
            case .fail:
                let requestID = "req_" + RandomID.hex(bytes: 16)
                let error: JSONValue = ["error": ["message": "The server had an error processing your request.",
                                                  "type": "server_error", "param": nil, "code": nil]]
                let line: JSONValue = ["id": id, "custom_id": .string(customID),
                                       "response": ["status_code": 500, "request_id": .string(requestID), "body": error],
                                       "error": nil]
                errors.append((customID, line.bytes))
                continue
            case .run:
                break
            }
            var uri = "/v1/chat/completions"
            if let azure {
                // The deployment a line names: a single call names it in the path.
                guard let deployment = (call as? [String: Any])?["model"] as? String,
                      let segment = deployment.addingPercentEncoding(withAllowedCharacters: .alphanumerics) else {
                    return invalid("Each line's body must name its deployment in 'model'.")
                }
                uri = "/openai/deployments/\(segment)/chat/completions?api-version=\(azure.apiVersion ?? "")"
            }
            var single = Request(method: .POST, uri: uri, headers: request.headers, body: Array(callBody))
            single.headers.replaceOrAdd(name: "content-type", value: "application/json")
            let reply = respond(to: single)
            guard case .complete(let bytes) = reply.body else { continue }
            let requestID = reply.headers.first { $0.0 == "x-request-id" }?.1 ?? ""
            // The answer's body as the single call sent it, spliced in whole.
            let head: JSONValue = ["id": id, "custom_id": .string(customID)]
            let response: JSONValue = ["status_code": .int(Int(reply.status.code)), "request_id": .string(requestID)]
            let line = Array(head.text.dropLast().utf8) + Array(",\"response\":".utf8) + Array(response.text.dropLast().utf8)
                + Array(",\"body\":".utf8) + bytes + Array("},\"error\":null}".utf8)
            if (200..<300).contains(reply.status.code) { output.append((customID, line)) } else { errors.append((customID, line)) }
        }
        // Out of order, as the real files are: by a hash of the custom id.
        func jsonl(_ lines: [(String, [UInt8])]) -> [UInt8] {
            lines.sorted { FNV1a.hash($0.0) < FNV1a.hash($1.0) }.flatMap { $0.1 + [UInt8(ascii: "\n")] }
        }
        let metadata = (body["metadata"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }
        let (batch, loseReply) = office.create(BatchOffice.Batch(
            id: "batch_" + RandomID.alphanumeric(count: 24), inputFileID: fileID, status: "validating",
            metadata: metadata.map { ($0.key, $0.value) }, total: lines.count, failed: errors.count,
            output: jsonl(output), errors: jsonl(errors), expired: expired, sequence: 0, customIDs: customIDs,
            model: model))
        if loseReply {
            // As a gateway that lost the backend's answer: the batch exists, the client is told it failed.
            return openAIError(.init(kind: .serverError, status: .badGateway, message: "Bad gateway.", code: nil))
        }
        var reply = Self.json(Self.object(batch))
        reply.delayMs = config.batches.createReplyDelayMs
        return reply
    }

    /// The batch object, as OpenAI returns it.
    static func object(_ batch: BatchOffice.Batch) -> JSONValue {
        let over = ["completed", "expired", "cancelled"].contains(batch.status)
        let done = ["finalizing", "completed", "expired"].contains(batch.status)
        return ["id": .string(batch.id), "object": "batch", "endpoint": "/v1/chat/completions", "errors": nil,
                "input_file_id": .string(batch.inputFileID), "completion_window": "24h", "status": .string(batch.status),
                "output_file_id": over ? .orNull(batch.outputFileID) : nil,
                "error_file_id": over ? .orNull(batch.errorFileID) : nil,
                "created_at": 1_735_689_600,
                "request_counts": ["total": .int(batch.total), "completed": .int(done ? batch.total - batch.failed : 0),
                                   "failed": .int(done ? batch.failed : 0)],
                "metadata": .object(batch.metadata.map { ($0.0, JSONValue.string($0.1)) })]
    }
}
