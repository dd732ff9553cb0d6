import Foundation

extension GeminiBatch {
    /// The long-running operation of a batch: `{name, metadata: GenerateContentBatch, done, response}`.
    struct Operation: Sendable, Hashable, Decodable {
        var name: String
        var metadata: Batch?
        var done: Bool?

        /// The batch: its display name (our tag), its state and its counts.
        struct Batch: Sendable, Hashable, Decodable {
            var displayName: String?
            var state: String?
            var batchStats: Stats?
        }

        /// Counts, as int64 strings.
        struct Stats: Sendable, Hashable, Decodable {
            var requestCount: String?
            var pendingRequestCount: String?
        }

        var tag: String? { metadata?.displayName }

        /// `BATCH_STATE_RUNNING` → `running`.
        var status: String {
            (metadata?.state ?? (done == true ? "BATCH_STATE_SUCCEEDED" : "BATCH_STATE_PENDING"))
                .replacingOccurrences(of: "BATCH_STATE_", with: "").lowercased()
        }

        var isOver: Bool { done == true || ["succeeded", "failed", "cancelled", "expired"].contains(status) }

        var state: BatchState {
            var text = status
            if status == "running", let total = metadata?.batchStats?.requestCount.flatMap(Int.init) {
                let pending = metadata?.batchStats?.pendingRequestCount.flatMap(Int.init) ?? total
                text = "in progress \(total - pending)/\(total)"
            }
            return BatchState(id: name, status: status, isOver: isOver, progressText: text)
        }
    }

    /// A page of `GET /v1beta/batches`; `nextPageToken` asks for the next.
    struct Listing: Sendable, Hashable, Decodable {
        var operations: [Operation] = []
        var nextPageToken: String?

        enum CodingKeys: String, CodingKey { case operations, nextPageToken }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            operations = try container.decodeIfPresent([Operation].self, forKey: .operations) ?? []
            nextPageToken = try container.decodeIfPresent(String.self, forKey: .nextPageToken).flatMap { $0.isEmpty ? nil : $0 }
        }
    }

    /// One inlined response: the request's `GenerateContentResponse`, or its error `Status`.
    struct InlinedResponse: Sendable {
        var key: String?
        var response: Data?
        var errorCode: Int?
        var errorMessage: String?
    }

    /// The inlined responses of a done operation, wherever it carries them (`metadata.output`,
    /// or the `response` of the operation).
    static func inlinedResponses(in body: Data) -> [InlinedResponse] {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return [] }
        let metadata = object["metadata"] as? [String: Any]
        let response = object["response"] as? [String: Any]
        let outputs = [metadata?["output"], response?["output"], response].compactMap { $0 as? [String: Any] }
        guard let list = outputs.lazy.compactMap({ ($0["inlinedResponses"] as? [String: Any])?["inlinedResponses"] as? [Any] })
            .first else { return [] }
        return list.compactMap { item in
            guard let item = item as? [String: Any] else { return nil }
            var inlined = InlinedResponse(key: (item["metadata"] as? [String: Any])?["key"] as? String)
            if let answer = item["response"] {
                inlined.response = try? JSONSerialization.data(withJSONObject: answer, options: [.fragmentsAllowed])
            }
            if let error = item["error"] as? [String: Any] {
                inlined.errorCode = error["code"] as? Int
                inlined.errorMessage = error["message"] as? String
            }
            return inlined
        }
    }

    /// What a call of `model` came to: the response read like any `generateContent` reply, or
    /// the error, classed by its code as an HTTP status.
    static func outcome(of inlined: InlinedResponse, for chat: ChatRequest, model: ModelEntry,
                        secrets: [String]) -> Result<ProviderReply, CallError> {
        guard let body = inlined.response else {
            let code = inlined.errorCode ?? 500
            let message = "failed in the batch: \(code): \(inlined.errorMessage ?? "no message")"
            return .failure(CallError(CallError.kind(forStatus: code), Secrets.redact(message, secrets)))
        }
        var unstreamed = model
        unstreamed.stream = false
        let response = HTTPResponse(status: 200, headers: [:], body: body, timings: TransferTimings())
        return Provider.interpret(.success(response), for: chat, model: unstreamed, secrets: secrets)
    }
}
