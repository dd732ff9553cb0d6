import Foundation

/// A provider's batch API as the batch strategy (`SubmitAsBatch`) drives it: OpenAI's Batch API
/// (`OpenAIBatch`) and Anthropic's Message Batches (`AnthropicBatch`). Every step is one or a
/// few blocking HTTP requests, made on the strategy's queue.
protocol BatchAPI: Sendable {
    /// The model whose calls the batches hold.
    var model: ModelEntry { get }
    /// The provider's limits on one batch.
    var limits: BatchLimits { get }

    /// One request of a batch, as the batch's file or body carries it; its size counts against
    /// `limits.maxBytes`.
    func entry(customID: String, chat: ChatRequest) -> Data

    /// Sends a batch of `entries`, known by `tag` (recorded in the `batches` row before this is
    /// called at `intentAt`). When the provider's answer is lost, looks for the batch before
    /// sending it again.
    ///
    /// - Parameters:
    ///   - known: provider ids of the run's batches already recorded, never taken for this one.
    ///   - uploaded: told the input file's id, for an API that uploads one first.
    func submit(_ entries: [Data], tag: String, intentAt: Date, excluding known: Set<String>, via client: HTTPClient,
                uploaded: (String) -> Void) -> Result<BatchState, CallError>

    /// Looks through the provider's listing, page by page, for the batch an earlier process sent for
    /// `intent` and never heard of; nil when the provider has none (it never got it).
    ///
    /// - Parameters:
    ///   - unresolved: the run's intents (every model's) without a provider id, `intent` among them.
    ///   - known: provider ids of the run's batches already recorded, never adopted again.
    func find(_ intent: BatchRecord, among unresolved: [BatchRecord], excluding known: Set<String>,
              via client: HTTPClient) -> Result<BatchState?, CallError>

    /// The batch as the provider sees it now.
    func status(of batchID: String, via client: HTTPClient) -> Result<BatchState, CallError>

    /// The outcome of each request of a batch that is over, by custom id (a request the provider
    /// says nothing of is missing); a failure when the results could not be read (look again).
    func outcomes(of batch: BatchState, chats: [String: ChatRequest], secrets: [String],
                  via client: HTTPClient) -> Result<[String: Result<ProviderReply, CallError>], CallError>

    /// Asks the provider to cancel a batch; answers the batch as it is after the request.
    func cancel(_ batchID: String, via client: HTTPClient) -> Result<BatchState, CallError>
}

/// What the strategy needs of a provider's batch object.
struct BatchState: Sendable, Hashable {
    /// The provider's id (`batch_...`, `msgbatch_...`).
    var id: String
    /// The provider's own status word, recorded in `batches.status`.
    var status: String
    /// Whether it will change no more: its results are what they will be.
    var isOver: Bool
    /// How far it is, for progress: `validating`, `in progress 120/500`, `finalizing`.
    var progressText: String
    /// Where its results are read from: OpenAI's output and error file ids, Anthropic's `results_url`.
    var resultSources: [String] = []
}

/// How much one batch may hold.
struct BatchLimits: Sendable, Hashable {
    var maxRequests: Int
    var maxBytes: Int

    /// Splits entries into batches within the limits, in order.
    func chunks<Entry>(_ entries: [Entry], size: (Entry) -> Int) -> [[Entry]] {
        var chunks: [[Entry]] = []
        var current: [Entry] = []
        var bytes = 0
        for entry in entries {
            let length = size(entry)
            if !current.isEmpty && (current.count >= maxRequests || bytes + length > maxBytes) {
                chunks.append(current)
                current = []
                bytes = 0
            }
            current.append(entry)
            bytes += length
        }
        if !current.isEmpty { chunks.append(current) }
        return chunks
    }

    /// These limits, lowered to `requests` and `bytes` where those are given and lower.
    func lowered(requests: Int?, bytes: Int?) -> BatchLimits {
        BatchLimits(maxRequests: min(maxRequests, requests ?? maxRequests), maxBytes: min(maxBytes, bytes ?? maxBytes))
    }
}

extension BatchAPI {
    /// Reads a response's JSON body as `T`, or says what the provider answered instead.
    func decoded<T: Decodable>(_ type: T.Type, from result: Result<HTTPResponse, TransportError>,
                               doing what: String) -> Result<T, CallError> {
        switch result {
        case .failure(let error):
            return .failure(CallError(error.isTimeout ? .timeout : .connection, "\(what): \(error.message)"))
        case .success(let response) where !(200..<300).contains(response.status):
            var error = Provider.wireFormat(for: model.provider).error(from: response)
            error.message = "\(what): \(error.message)"
            return .failure(error)
        case .success(let response):
            do {
                return .success(try JSONDecoder().decode(T.self, from: response.body))
            } catch {
                return .failure(CallError(.malformedResponse, "\(what): the reply could not be read (\(error))",
                                          httpStatus: response.status))
            }
        }
    }

    /// A request to `path` under the model's base URL, with its key header, query, extra headers
    /// and CA bundle.
    func request(_ method: String, _ path: String, body: Data = Data(), contentType: String? = nil,
                 auth: [HTTPHeader], caBundle: String?) -> HTTPRequest {
        let (base, query) = Provider.splitBaseURL(of: model)
        var headers = [HTTPHeader("Accept", "application/json")]
        if let contentType { headers.append(HTTPHeader("Content-Type", contentType)) }
        headers += auth
        return Provider.finish(HTTPRequest(method: method, url: base + path, headers: headers, body: body),
                               query: query, model: model, caBundle: caBundle)
    }

    /// Pages of the provider's listing, newest first: the first, then each `next` names, until
    /// `enough` says a page ends the search, the listing ends or `maxListingPages` were read.
    func pages<Page: Decodable>(_ first: HTTPRequest, next: (Page) -> HTTPRequest?, doing what: String,
                                via client: HTTPClient, until enough: (Page) -> Bool) -> Result<[Page], CallError> {
        var pages: [Page] = []
        var request: HTTPRequest? = first
        while let current = request, pages.count < maxListingPages {
            switch decoded(Page.self, from: client.sendAndWait(current), doing: what) {
            case .failure(let error): return .failure(error)
            case .success(let page):
                pages.append(page)
                request = enough(page) ? nil : next(page)
            }
        }
        return .success(pages)
    }

    /// How many pages of 100 a search of the listing reads at most: a batch lost and not resumed
    /// before 5,000 newer ones were made on the account is not found (its calls are sent again).
    var maxListingPages: Int { 50 }

    /// `text` as one query value.
    static func queryValue(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }

    /// `id` as one path segment.
    static func pathSegment(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? id
    }
}
