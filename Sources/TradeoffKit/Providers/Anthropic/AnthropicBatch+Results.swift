import Foundation

extension AnthropicBatch {
    /// A Message Batch as `POST /v1/messages/batches` and `GET /v1/messages/batches/{id}` return it.
    struct MessageBatch: Sendable, Hashable, Decodable {
        var id: String
        /// `in_progress | canceling | ended`.
        var processingStatus: String
        var counts: Counts?
        var createdAt: String?
        var resultsURL: String?

        /// `request_counts`: every request is in one of them.
        struct Counts: Sendable, Hashable, Decodable {
            var processing = 0
            var succeeded = 0
            var errored = 0
            var canceled = 0
            var expired = 0

            var total: Int { processing + succeeded + errored + canceled + expired }
        }

        enum CodingKeys: String, CodingKey {
            case id
            case processingStatus = "processing_status", counts = "request_counts", createdAt = "created_at"
            case resultsURL = "results_url"
        }

        /// When the provider made it (RFC 3339, to the microsecond or to the second).
        var createdDate: Date? {
            guard var text = createdAt else { return nil }
            var fraction = 0.0
            if let dot = text.firstIndex(of: ".") {
                let digits = text[text.index(after: dot)...].prefix { $0.isNumber }
                fraction = Double("0." + digits) ?? 0
                text.removeSubrange(dot..<text.index(dot, offsetBy: digits.count + 1))
            }
            return ISO8601DateFormatter().date(from: text)?.addingTimeInterval(fraction)
        }

        /// What the batch strategy needs of it.
        var state: BatchState {
            BatchState(id: id, status: processingStatus, isOver: processingStatus == "ended", progressText: progressText,
                       resultSources: [resultsURL].compactMap { $0 })
        }

        /// `in progress 120/500`, `canceling`, `ended`.
        var progressText: String {
            guard processingStatus == "in_progress" else { return processingStatus }
            guard let counts else { return "in progress" }
            return "in progress \(counts.total - counts.processing)/\(counts.total)"
        }
    }

    /// A page of `GET /v1/messages/batches`, newest first; `last_id` is the cursor of the next.
    struct Listing: Sendable, Hashable, Decodable {
        var data: [MessageBatch]
        var hasMore: Bool?
        var lastID: String?

        enum CodingKeys: String, CodingKey {
            case data, hasMore = "has_more", lastID = "last_id"
        }

        /// Where the next page starts, when there is one.
        var cursor: String? { hasMore == true ? lastID ?? data.last?.id : nil }
    }

    /// One line of the results: `{"custom_id", "result": {"type": succeeded | errored | canceled |
    /// expired, "message" | "error"}}`.
    struct ResultLine: Sendable {
        var customID: String
        var type: String
        /// A succeeded request's message, as `/v1/messages` would have answered it.
        var message: Data?
        /// An errored request's error type and message (`{"type": "error", "error": {type, message}}`).
        var errorType: String?
        var errorMessage: String?
    }

    /// The lines of the results, in the order the provider wrote them; a line that cannot be read
    /// is left out (its call has no outcome, and is retried).
    static func results(in jsonl: Data) -> [ResultLine] {
        var lines: [ResultLine] = []
        for raw in jsonl.split(separator: UInt8(ascii: "\n")) where !raw.isEmpty {
            guard let object = try? JSONSerialization.jsonObject(with: Data(raw)) as? [String: Any],
                  let customID = object["custom_id"] as? String, let result = object["result"] as? [String: Any],
                  let type = result["type"] as? String else { continue }
            var line = ResultLine(customID: customID, type: type)
            if let message = result["message"] {
                line.message = try? JSONSerialization.data(withJSONObject: message, options: [.fragmentsAllowed])
            }
            if let error = result["error"] as? [String: Any] {
                // Documented as an error response (`{"type": "error", "error": {...}}`); the bare detail is read too.
                let detail = error["error"] as? [String: Any] ?? error
                line.errorType = detail["type"] as? String
                line.errorMessage = detail["message"] as? String
            }
            lines.append(line)
        }
        return lines
    }

    /// What a call of `model` came to, from its result: the message read like any Messages
    /// reply, or the error. An expired request is a timeout, which may be retried; a canceled
    /// one a timeout that is not (the batch was cancelled on purpose); an errored one is classed
    /// by its error type.
    static func outcome(of line: ResultLine, for chat: ChatRequest, model: ModelEntry,
                        secrets: [String]) -> Result<ProviderReply, CallError> {
        switch line.type {
        case "succeeded":
            guard let message = line.message else {
                return .failure(CallError(.malformedResponse, "succeeded in the batch, but the result has no message"))
            }
            var unstreamed = model
            unstreamed.stream = false
            let response = HTTPResponse(status: 200, headers: [:], body: message, timings: TransferTimings())
            return Provider.interpret(.success(response), for: chat, model: unstreamed, secrets: secrets)
        case "errored":
            let kind = AnthropicMessages.kind(ofErrorType: line.errorType) ?? .server
            let message = "errored in the batch: \(line.errorType ?? "error"): \(line.errorMessage ?? "no message")"
            return .failure(CallError(kind, Secrets.redact(message, secrets)))
        case "expired":
            return .failure(CallError(.timeout, "expired in the batch: the batch ended (24 hours) before this request was run"))
        case "canceled":
            // Someone cancelled the batch: not sent again (a resume with --retry-errors makes it).
            return .failure(CallError(.timeout, "canceled in the batch: the batch was cancelled before this request was run",
                                      shouldRetry: false))
        default:
            return .failure(CallError(.malformedResponse, "the batch's result type '\(line.type)' is not one Anthropic documents"))
        }
    }
}
