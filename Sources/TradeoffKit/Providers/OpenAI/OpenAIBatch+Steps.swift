import Foundation

/// The steps of a batch's life on OpenAI's Batch API, as `SubmitAsBatch` takes them.
extension OpenAIBatch {
    /// Uploads the JSONL, then creates the batch with `tag` in its metadata. When the creation's
    /// answer is lost, the newest batches are listed: the batch found by its tag is the one made.
    func submit(_ entries: [Data], tag: String, intentAt: Date, excluding known: Set<String>, via client: HTTPClient,
                uploaded: (String) -> Void) -> Result<BatchState, CallError> {
        let jsonl = entries.reduce(into: Data()) { $0.append($1) }
        let file: File
        switch decoded(File.self, from: client.sendAndWait(upload(jsonl)), doing: "uploading the batch's input file") {
        case .failure(let error): return .failure(error)
        case .success(let uploadedFile): file = uploadedFile
        }
        uploaded(file.id)
        var created = decoded(Status.self, from: client.sendAndWait(create(inputFileID: file.id, tag: tag)),
                              doing: "creating the batch")
        if case .failure = created {
            // The provider may have made the batch and its answer been lost: look before sending again.
            let listed = tagged(tag, excluding: known, doing: "listing the batches", via: client)
            if case .success(let found) = listed {
                if let found {
                    created = .success(found)
                } else {
                    created = decoded(Status.self, from: client.sendAndWait(create(inputFileID: file.id, tag: tag)),
                                      doing: "creating the batch")
                }
            }
        }
        return created.map(\.state)
    }

    /// The batch whose metadata carries the intent's tag, looked for page by page (`after`).
    func find(_ intent: BatchRecord, among unresolved: [BatchRecord], excluding known: Set<String>,
              via client: HTTPClient) -> Result<BatchState?, CallError> {
        tagged(intent.tag, excluding: known, doing: "listing the batches to resume", via: client).map { $0?.state }
    }

    /// The batch of the listing whose metadata carries `tag`, read page by page until it is found.
    private func tagged(_ tag: String, excluding known: Set<String>, doing what: String,
                        via client: HTTPClient) -> Result<Status?, CallError> {
        func match(_ page: Listing) -> Status? {
            page.data.first { $0.metadata?[Self.tagKey] == tag && !known.contains($0.id) }
        }
        return pages(list(), next: { (page: Listing) in page.cursor.map { list(after: $0) } }, doing: what, via: client,
                     until: { match($0) != nil }).map { $0.lazy.compactMap(match).first }
    }

    func status(of batchID: String, via client: HTTPClient) -> Result<BatchState, CallError> {
        decoded(Status.self, from: client.sendAndWait(status(of: batchID)), doing: "reading batch \(batchID)").map(\.state)
    }

    /// Reads the output and error files; a request in neither has no outcome.
    func outcomes(of batch: BatchState, chats: [String: ChatRequest], secrets: [String],
                  via client: HTTPClient) -> Result<[String: Result<ProviderReply, CallError>], CallError> {
        var outcomes: [String: Result<ProviderReply, CallError>] = [:]
        for fileID in batch.resultSources {
            let response: HTTPResponse
            switch client.sendAndWait(content(of: fileID)) {
            case .failure(let error): return .failure(CallError(.connection, "reading file \(fileID): \(error.message)"))
            case .success(let answer) where !(200..<300).contains(answer.status):
                return .failure(CallError(.http, "reading file \(fileID): HTTP \(answer.status)", httpStatus: answer.status))
            case .success(let answer): response = answer
            }
            for line in Self.results(in: response.body) {
                guard let chat = chats[line.customID] else { continue }
                outcomes[line.customID] = Self.outcome(of: line, for: chat, model: model, secrets: secrets)
            }
        }
        return .success(outcomes)
    }

    func cancel(_ batchID: String, via client: HTTPClient) -> Result<BatchState, CallError> {
        decoded(Status.self, from: client.sendAndWait(cancel(batchID)), doing: "cancelling batch \(batchID)").map(\.state)
    }
}
