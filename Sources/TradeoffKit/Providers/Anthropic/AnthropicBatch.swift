import Foundation

/// Anthropic's Message Batches: `POST /v1/messages/batches` with `{"requests": [{custom_id,
/// params}]}` (JSON, no file), the batch (`GET /v1/messages/batches/{id}`, `processing_status`
/// `in_progress | canceling | ended`), the listing (`GET /v1/messages/batches?limit=`), the
/// cancel (`POST .../{id}/cancel`) and the results JSONL at `results_url`. What the results hold
/// is read in `+Results`; a succeeded request's `message` is read by `AnthropicMessages` like any
/// other reply.
///
/// A Message Batch has no metadata, so a batch whose creation answer was lost is recognized by
/// what it is: created after its intent was recorded, with as many requests, and not one the
/// run already knows; when several intents of the run could be it, they are matched in the
/// order they were made. Each custom id carries a mark of the model (`m1a2b3c4d-item-7`), so a
/// batch taken for the wrong model answers none of its calls (they are sent again) rather
/// than answer them with another model's replies.
struct AnthropicBatch: BatchAPI {
    let model: ModelEntry
    let apiKey: String?
    let caBundle: String?

    /// How long before an intent's time (by this machine's clock) a batch made for it may say it
    /// was created (by the provider's): clocks differ.
    static let clockSlack: TimeInterval = 120

    /// Anthropic's limits: 100,000 requests and 256 MB per batch (less the body's own brackets).
    var limits: BatchLimits { BatchLimits(maxRequests: 100_000, maxBytes: 256 * 1024 * 1024 - 1024) }

    /// `{"custom_id": ..., "params": {...}}` with the params as the model's calls send them,
    /// never streamed; with the comma that separates it from the next (counted in its size).
    func entry(customID: String, chat: ChatRequest) -> Data {
        var unstreamed = model
        unstreamed.stream = false
        var body = AnthropicMessages.body(for: chat, model: unstreamed)
        body["stream"] = nil
        return encodeJSON(["custom_id": .string(modelMark + customID), "params": .object(body)]) + Data(",".utf8)
    }

    /// What each custom id of this model's requests starts with: `m`, the FNV-1a hash of the
    /// model's id in 8 hex digits, and `-`.
    var modelMark: String {
        var hash: UInt32 = 2_166_136_261
        for byte in model.id.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        let hex = String(hash, radix: 16)
        return "m" + String(repeating: "0", count: 8 - hex.count) + hex + "-"
    }

    /// `POST /v1/messages/batches`: the entries as the `requests` list.
    func create(_ entries: [Data]) -> HTTPRequest {
        var body = Data("{\"requests\":[".utf8)
        for entry in entries { body.append(entry) }
        if body.last == UInt8(ascii: ",") { body.removeLast() }
        body.append(contentsOf: Array("]}".utf8))
        return request("POST", "/v1/messages/batches", body: body, contentType: "application/json")
    }

    /// `GET /v1/messages/batches/{id}`.
    func status(of batchID: String) -> HTTPRequest {
        request("GET", "/v1/messages/batches/" + Self.pathSegment(batchID))
    }

    /// `POST /v1/messages/batches/{id}/cancel`.
    func cancel(_ batchID: String) -> HTTPRequest {
        request("POST", "/v1/messages/batches/\(Self.pathSegment(batchID))/cancel")
    }

    /// `GET /v1/messages/batches?limit=&after_id=`: the newest batches of the workspace, or the
    /// page after the batch `after` (the listing's cursor).
    func list(limit: Int = 100, after: String? = nil) -> HTTPRequest {
        request("GET", "/v1/messages/batches?limit=\(limit)" + (after.map { "&after_id=" + Self.queryValue($0) } ?? ""))
    }

    /// Every batch of the listing made since `date` (less the clock slack), read page by page
    /// (newest first) until a page reaches older ones.
    func batches(since date: Date, doing what: String, via client: HTTPClient) -> Result<[MessageBatch], CallError> {
        let cutoff = date.addingTimeInterval(-Self.clockSlack)
        return pages(list(), next: { (page: Listing) in page.cursor.map { list(after: $0) } }, doing: what, via: client,
                     until: { page in page.data.contains { ($0.createdDate ?? .distantFuture) < cutoff } })
            .map { $0.flatMap(\.data) }
    }

    /// `GET` of the batch's results: its `results_url` when it is under the model's base URL,
    /// else the documented path there (the key is never sent to another host).
    func results(of batchID: String, at resultsURL: String?) -> HTTPRequest {
        let (base, _) = Provider.splitBaseURL(of: model)
        if let resultsURL, resultsURL.hasPrefix(base + "/"), !resultsURL.contains("?") {
            return request("GET", String(resultsURL.dropFirst(base.count)))
        }
        return request("GET", "/v1/messages/batches/\(Self.pathSegment(batchID))/results")
    }

    private func request(_ method: String, _ path: String, body: Data = Data(), contentType: String? = nil) -> HTTPRequest {
        var auth = [HTTPHeader("anthropic-version", AnthropicMessages.version)]
        if let apiKey { auth.append(HTTPHeader("x-api-key", apiKey)) }
        return request(method, path, body: body, contentType: contentType, auth: auth, caBundle: caBundle)
    }
}

/// The steps of a batch's life, as `SubmitAsBatch` takes them.
extension AnthropicBatch {
    /// Creates the batch; when the answer is lost, looks for it among the newest before sending again.
    func submit(_ entries: [Data], tag: String, intentAt: Date, excluding known: Set<String>, via client: HTTPClient,
                uploaded: (String) -> Void) -> Result<BatchState, CallError> {
        let created = decoded(MessageBatch.self, from: client.sendAndWait(create(entries)), doing: "creating the batch")
        guard case .failure = created else { return created.map(\.state) }
        let listed = batches(since: intentAt, doing: "listing the batches", via: client)
        guard case .success(let listing) = listed else { return created.map(\.state) }
        if let found = Self.made(after: intentAt, requests: entries.count, in: listing, excluding: known) {
            return .success(found.state)
        }
        return decoded(MessageBatch.self, from: client.sendAndWait(create(entries)), doing: "creating the batch").map(\.state)
    }

    func find(_ intent: BatchRecord, among unresolved: [BatchRecord], excluding known: Set<String>,
              via client: HTTPClient) -> Result<BatchState?, CallError> {
        // The intents that could have made the same batches, oldest first, matched in that
        // order to the batches that could be theirs.
        let rivals = unresolved.filter { $0.requestCount == intent.requestCount }.sorted { $0.createdAt < $1.createdAt }
        let rank = rivals.firstIndex { $0.id == intent.id } ?? 0
        return batches(since: rivals.first?.createdAt ?? intent.createdAt, doing: "listing the batches to resume",
                       via: client).map { listing in
            let candidates = Self.oldestFirst(listing).filter { batch in
                guard let created = batch.createdDate, !known.contains(batch.id) else { return false }
                return created >= intent.createdAt.addingTimeInterval(-Self.clockSlack) && batch.counts?.total == intent.requestCount
            }
            return rank < candidates.count ? candidates[rank].state : nil
        }
    }

    /// The oldest batch of `batches` created after `date` (less the clock slack) with `requests`
    /// requests, not among `known`.
    static func made(after date: Date, requests: Int, in batches: [MessageBatch], excluding known: Set<String>) -> MessageBatch? {
        oldestFirst(batches).first { batch in
            guard let created = batch.createdDate, !known.contains(batch.id) else { return false }
            return created >= date.addingTimeInterval(-clockSlack) && batch.counts?.total == requests
        }
    }

    /// A listing (newest first) oldest first: by creation time, and where two have the same, by
    /// the listing's order.
    static func oldestFirst(_ batches: [MessageBatch]) -> [MessageBatch] {
        batches.enumerated().sorted { left, right in
            let (a, b) = (left.element.createdDate ?? .distantPast, right.element.createdDate ?? .distantPast)
            return a != b ? a < b : left.offset > right.offset
        }.map(\.element)
    }

    func status(of batchID: String, via client: HTTPClient) -> Result<BatchState, CallError> {
        decoded(MessageBatch.self, from: client.sendAndWait(status(of: batchID)), doing: "reading batch \(batchID)").map(\.state)
    }

    func outcomes(of batch: BatchState, chats: [String: ChatRequest], secrets: [String],
                  via client: HTTPClient) -> Result<[String: Result<ProviderReply, CallError>], CallError> {
        let what = "reading the results of batch \(batch.id)"
        switch client.sendAndWait(results(of: batch.id, at: batch.resultSources.first)) {
        case .failure(let error):
            return .failure(CallError(error.isTimeout ? .timeout : .connection, "\(what): \(error.message)"))
        case .success(let response) where !(200..<300).contains(response.status):
            var error = AnthropicMessages().error(from: response)
            error.message = "\(what): \(error.message)"
            return .failure(error)
        case .success(let response):
            var outcomes: [String: Result<ProviderReply, CallError>] = [:]
            for line in Self.results(in: response.body) where line.customID.hasPrefix(modelMark) {
                let key = String(line.customID.dropFirst(modelMark.count))
                guard let chat = chats[key] else { continue }
                outcomes[key] = Self.outcome(of: line, for: chat, model: model, secrets: secrets)
            }
            return .success(outcomes)
        }
    }

    func cancel(_ batchID: String, via client: HTTPClient) -> Result<BatchState, CallError> {
        decoded(MessageBatch.self, from: client.sendAndWait(cancel(batchID)), doing: "cancelling batch \(batchID)").map(\.state)
    }
}
