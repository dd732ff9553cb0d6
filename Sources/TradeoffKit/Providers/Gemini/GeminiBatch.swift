import Foundation

/// Gemini's batch mode with inlined requests: `POST /v1beta/models/{model}:batchGenerateContent`
/// with `{"batch": {"displayName", "inputConfig": {"requests": {"requests": [{request, metadata}]}}}}`,
/// the operation it answers polled at `GET /v1beta/batches/{id}` (`metadata.state`
/// `BATCH_STATE_PENDING | RUNNING | SUCCEEDED | FAILED | CANCELLED | EXPIRED`), the listing
/// (`GET /v1beta/batches`), the cancel (`POST /v1beta/batches/{id}:cancel`), and the inlined
/// responses read when it is done, each a `GenerateContentResponse` (read by
/// `GeminiGenerateContent` like any other) or an error `Status`, matched by `metadata.key`.
///
/// The batch's `displayName` is its tag: a resume finds a batch whose name was never recorded by it.
struct GeminiBatch: BatchAPI {
    let model: ModelEntry
    let apiKey: String?
    let caBundle: String?

    /// Inlined requests are for batches up to 20 MB; the request count is ours.
    var limits: BatchLimits { BatchLimits(maxRequests: 50_000, maxBytes: 20 * 1024 * 1024 - 1024) }

    /// `{"request": GenerateContentRequest, "metadata": {"key": customID}}` and the comma after it.
    func entry(customID: String, chat: ChatRequest) -> Data {
        var unstreamed = model
        unstreamed.stream = false
        return encodeJSON(["request": .object(GeminiGenerateContent.body(for: chat, model: unstreamed)),
                           "metadata": .object(["key": .string(customID)])]) + Data(",".utf8)
    }

    private var modelName: String { model.model.hasPrefix("models/") ? model.model : "models/" + model.model }

    /// `POST /v1beta/models/{model}:batchGenerateContent`, named `tag`.
    func create(_ entries: [Data], tag: String) -> HTTPRequest {
        var body = Data()
        body.append(contentsOf: Array("{\"batch\":{\"displayName\":".utf8))
        var name = JSONWriter(escapingSlashes: false)
        name.write(tag)
        body.append(contentsOf: name.bytes)
        body.append(contentsOf: Array(",\"inputConfig\":{\"requests\":{\"requests\":[".utf8))
        for entry in entries { body.append(entry) }
        if body.last == UInt8(ascii: ",") { body.removeLast() }
        body.append(contentsOf: Array("]}}}}".utf8))
        return request("POST", "/v1beta/\(modelName):batchGenerateContent", body: body, contentType: "application/json")
    }

    /// `GET /v1beta/{batches/id}`.
    func status(of batchName: String) -> HTTPRequest {
        request("GET", "/v1beta/" + Self.resource(batchName))
    }

    /// `POST /v1beta/{batches/id}:cancel`.
    func cancel(_ batchName: String) -> HTTPRequest {
        request("POST", "/v1beta/\(Self.resource(batchName)):cancel")
    }

    /// `GET /v1beta/batches?pageSize=&pageToken=`: the newest batches, or the page `token` names.
    func list(limit: Int = 100, token: String? = nil) -> HTTPRequest {
        request("GET", "/v1beta/batches?pageSize=\(limit)" + (token.map { "&pageToken=" + Self.queryValue($0) } ?? ""))
    }

    /// The operation of the listing named `tag`, read page by page until it is found.
    private func named(_ tag: String, excluding known: Set<String>, doing what: String,
                       via client: HTTPClient) -> Result<Operation?, CallError> {
        func match(_ page: Listing) -> Operation? {
            page.operations.first { $0.tag == tag && !known.contains($0.name) }
        }
        return pages(list(), next: { (page: Listing) in page.nextPageToken.map { list(token: $0) } }, doing: what,
                     via: client, until: { match($0) != nil }).map { $0.lazy.compactMap(match).first }
    }

    /// `batches/{id}` with the id as one path segment.
    private static func resource(_ name: String) -> String {
        "batches/" + pathSegment(name.hasPrefix("batches/") ? String(name.dropFirst("batches/".count)) : name)
    }

    private func request(_ method: String, _ path: String, body: Data = Data(), contentType: String? = nil) -> HTTPRequest {
        request(method, path, body: body, contentType: contentType,
                auth: apiKey.map { [HTTPHeader("x-goog-api-key", $0)] } ?? [], caBundle: caBundle)
    }
}

/// The steps of a batch's life, as `SubmitAsBatch` takes them.
extension GeminiBatch {
    func submit(_ entries: [Data], tag: String, intentAt: Date, excluding known: Set<String>, via client: HTTPClient,
                uploaded: (String) -> Void) -> Result<BatchState, CallError> {
        let created = decoded(Operation.self, from: client.sendAndWait(create(entries, tag: tag)), doing: "creating the batch")
        guard case .failure = created else { return created.map(\.state) }
        // The answer may have been lost after the batch was made: look for it by its name first.
        let listed = named(tag, excluding: known, doing: "listing the batches", via: client)
        if case .success(let found?) = listed {
            return .success(found.state)
        }
        guard case .success = listed else { return created.map(\.state) }
        return decoded(Operation.self, from: client.sendAndWait(create(entries, tag: tag)), doing: "creating the batch")
            .map(\.state)
    }

    func find(_ intent: BatchRecord, among unresolved: [BatchRecord], excluding known: Set<String>,
              via client: HTTPClient) -> Result<BatchState?, CallError> {
        named(intent.tag, excluding: known, doing: "listing the batches to resume", via: client).map { $0?.state }
    }

    func status(of batchID: String, via client: HTTPClient) -> Result<BatchState, CallError> {
        decoded(Operation.self, from: client.sendAndWait(status(of: batchID)), doing: "reading batch \(batchID)").map(\.state)
    }

    /// The inlined responses are in the operation itself: it is read again, whole.
    func outcomes(of batch: BatchState, chats: [String: ChatRequest], secrets: [String],
                  via client: HTTPClient) -> Result<[String: Result<ProviderReply, CallError>], CallError> {
        let what = "reading the responses of batch \(batch.id)"
        let response: HTTPResponse
        switch client.sendAndWait(status(of: batch.id)) {
        case .failure(let error): return .failure(CallError(error.isTimeout ? .timeout : .connection, "\(what): \(error.message)"))
        case .success(let answer) where !(200..<300).contains(answer.status):
            var error = GeminiGenerateContent().error(from: answer)
            error.message = "\(what): \(error.message)"
            return .failure(error)
        case .success(let answer): response = answer
        }
        var outcomes: [String: Result<ProviderReply, CallError>] = [:]
        for inlined in Self.inlinedResponses(in: response.body) {
            guard let key = inlined.key, let chat = chats[key] else { continue }
            outcomes[key] = Self.outcome(of: inlined, for: chat, model: model, secrets: secrets)
        }
        return .success(outcomes)
    }

    func cancel(_ batchID: String, via client: HTTPClient) -> Result<BatchState, CallError> {
        switch client.sendAndWait(cancel(batchID)) {
        case .failure(let error): return .failure(CallError(.connection, "cancelling batch \(batchID): \(error.message)"))
        case .success(let answer) where !(200..<300).contains(answer.status):
            var error = GeminiGenerateContent().error(from: answer)
            error.message = "cancelling batch \(batchID): \(error.message)"
            return .failure(error)
        case .success:
            // The cancel answers an empty object: the batch says what it is now.
            return status(of: batchID, via: client).map { state in
                var state = state
                if !state.isOver { state.status = "cancelling" }
                return state
            }
        }
    }
}
