import Foundation

extension OpenAIBatch {
    /// A batch object as `POST /v1/batches` and `GET /v1/batches/{id}` return it.
    struct Status: Sendable, Hashable, Decodable {
        /// `validating | in_progress | finalizing | completed | failed | expired | cancelling | cancelled`.
        var id: String
        var status: String
        var inputFileID: String?
        var outputFileID: String?
        var errorFileID: String?
        var counts: Counts?
        var metadata: [String: String]?

        struct Counts: Sendable, Hashable, Decodable {
            var total: Int
            var completed: Int
            var failed: Int
        }

        enum CodingKeys: String, CodingKey {
            case id, status, metadata
            case inputFileID = "input_file_id", outputFileID = "output_file_id", errorFileID = "error_file_id"
            case counts = "request_counts"
        }

        /// What the batch strategy needs of it.
        var state: BatchState {
            BatchState(id: id, status: status, isOver: isOver, progressText: progressText,
                       resultSources: [outputFileID, errorFileID].compactMap { $0 })
        }

        /// Whether the batch will change no more: its files are what they will be.
        var isOver: Bool { ["completed", "failed", "expired", "cancelled"].contains(status) }

        /// How far it is, for progress: `validating`, `in progress 120/500`, `finalizing`.
        var progressText: String {
            switch status {
            case "in_progress":
                guard let counts else { return "in progress" }
                return "in progress \(counts.completed + counts.failed)/\(counts.total)"
            default:
                return status.replacingOccurrences(of: "_", with: " ")
            }
        }
    }

    /// One line of an output or error file: the request's answer (`response`, any status), or
    /// why it has none (`error`: `batch_expired`, `batch_cancelled`, ...).
    struct ResultLine: Sendable, Hashable {
        var customID: String
        var response: HTTPResponse?
        var errorCode: String?
        var errorMessage: String?
    }

    /// What a call of `model` came to, from its line: the answer read like any Chat Completions
    /// reply, or the error (an expired or cancelled request is a timeout, which may be retried).
    static func outcome(of line: ResultLine, for chat: ChatRequest, model: ModelEntry,
                        secrets: [String]) -> Result<ProviderReply, CallError> {
        guard let response = line.response else {
            let code = line.errorCode ?? "error"
            let message = "\(code) in the batch: \(line.errorMessage ?? "the request has no response")"
            let kind: CallError.Kind = ["batch_expired", "batch_cancelled"].contains(code) ? .timeout : .server
            return .failure(CallError(kind, Secrets.redact(message, secrets)))
        }
        var unstreamed = model
        unstreamed.stream = false
        return Provider.interpret(.success(response), for: chat, model: unstreamed, secrets: secrets)
    }

    /// The id of an uploaded file (`{"id": "file-..."}`).
    struct File: Sendable, Hashable, Decodable {
        var id: String
    }

    /// A page of `GET /v1/batches`, newest first; `last_id` is the cursor of the next.
    struct Listing: Sendable, Hashable, Decodable {
        var data: [Status]
        var hasMore: Bool?
        var lastID: String?

        enum CodingKeys: String, CodingKey {
            case data, hasMore = "has_more", lastID = "last_id"
        }

        /// Where the next page starts, when there is one.
        var cursor: String? { hasMore == true ? lastID ?? data.last?.id : nil }
    }

    /// The lines of an output or error file, in the order the file has them (not the order
    /// they were sent in); a line that cannot be read is left out (its call is retried).
    static func results(in jsonl: Data) -> [ResultLine] {
        var lines: [ResultLine] = []
        for raw in jsonl.split(separator: UInt8(ascii: "\n")) where !raw.isEmpty {
            guard let object = try? JSONSerialization.jsonObject(with: Data(raw)) as? [String: Any],
                  let customID = object["custom_id"] as? String else { continue }
            var line = ResultLine(customID: customID)
            if let response = object["response"] as? [String: Any], let status = response["status_code"] as? Int {
                let body = response["body"].flatMap { try? JSONSerialization.data(withJSONObject: $0, options: [.fragmentsAllowed]) }
                var headers: [String: String] = [:]
                if let requestID = response["request_id"] as? String { headers["x-request-id"] = requestID }
                line.response = HTTPResponse(status: status, headers: headers, body: body ?? Data(),
                                             timings: TransferTimings())
            }
            if let error = object["error"] as? [String: Any] {
                line.errorCode = error["code"] as? String
                line.errorMessage = error["message"] as? String
            }
            lines.append(line)
        }
        return lines
    }
}
