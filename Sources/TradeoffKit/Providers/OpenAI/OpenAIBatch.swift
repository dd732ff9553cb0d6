import Foundation

/// OpenAI's Batch API, as OpenAI and the OpenAI-compatible hosts that have one speak it: the
/// JSONL a batch is uploaded as (`POST /v1/files`, purpose `batch`), `POST /v1/batches`, the
/// status (`GET /v1/batches/{id}`), the listing (`GET /v1/batches?limit=`) and the output and
/// error files (`GET /v1/files/{id}/content`). What the files hold is read in `+Results`; the
/// answers inside are Chat Completions bodies, read by `OpenAIChatCompletions` like any other.
///
/// Azure OpenAI's global batch is the same API under the resource's endpoint, as Microsoft
/// documents it: `{endpoint}/openai/files`, `/openai/batches`, ... each with `?api-version=`
/// (the model's, default 2024-10-21), the key in `api-key`, each line's `url` and the batch's
/// `endpoint` `/chat/completions`, and the body's `model` the deployment's name (a Global Batch
/// deployment: the catalog's `deployment`, default `model`).
struct OpenAIBatch: BatchAPI {
    /// How much one batch may hold: OpenAI's limits by default; parameters so a test can use
    /// small ones.
    typealias Limits = BatchLimits

    /// The endpoint every line of a batch calls.
    static let endpoint = "/v1/chat/completions"
    /// Azure OpenAI's, relative to its `/openai` root.
    static let azureEndpoint = "/chat/completions"
    /// The `api-version` of Azure's batch requests when the model names none.
    static let azureAPIVersion = "2024-10-21"
    /// The key of the batch's `metadata` that names it for a resume (`tag`).
    static let tagKey = "tradeoff_batch"

    let model: ModelEntry
    let apiKey: String?
    let caBundle: String?

    /// OpenAI's limits: 50,000 requests and 200 MB per batch.
    var limits: BatchLimits { BatchLimits(maxRequests: 50_000, maxBytes: 200 * 1024 * 1024) }

    /// One line of the input file: `{"custom_id","method":"POST","url":"/v1/chat/completions","body"}`,
    /// the body as the model's calls send it, never streamed; with its newline.
    static func line(customID: String, chat: ChatRequest, model: ModelEntry) -> Data {
        var unstreamed = model
        unstreamed.stream = false
        let azure = model.provider == .azureOpenAI
        var writer = JSONWriter(escapingSlashes: false)
        writer.write(ascii: "{\"custom_id\":")
        writer.write(customID)
        writer.write(ascii: ",\"method\":\"POST\",\"url\":")
        writer.write(azure ? azureEndpoint : endpoint)
        writer.write(ascii: ",\"body\":")
        var line = Data(writer.bytes)
        if azure {
            // A single call names its deployment in the path; a batch line, in `model`.
            var body = OpenAIChatCompletions.bodyObject(for: chat, model: unstreamed)
            body["model"] = .string(model.deployment ?? model.model)
            line.append(encodeJSON(body))
        } else {
            line.append(OpenAIChatCompletions.body(for: chat, model: unstreamed))
        }
        line.append(contentsOf: Array("}\n".utf8))
        return line
    }

    func entry(customID: String, chat: ChatRequest) -> Data {
        Self.line(customID: customID, chat: chat, model: model)
    }

    /// Splits lines into batches within `limits`, in order.
    static func chunks<Line>(_ lines: [Line], size: (Line) -> Int, within limits: Limits) -> [[Line]] {
        limits.chunks(lines, size: size)
    }

    /// `POST /v1/files`: the JSONL as a multipart form, purpose `batch`.
    func upload(_ jsonl: Data, boundary: String = "tradeoff-" + UUID().uuidString) -> HTTPRequest {
        var body = Data()
        func text(_ string: String) { body.append(contentsOf: Array(string.utf8)) }
        text("--\(boundary)\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n")
        text("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"batch.jsonl\"\r\n")
        text("Content-Type: application/jsonl\r\n\r\n")
        body.append(jsonl)
        text("\r\n--\(boundary)--\r\n")
        return request("POST", "/files", body: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }

    /// `POST /v1/batches` for the uploaded file, with `tag` in its metadata.
    func create(inputFileID: String, tag: String) -> HTTPRequest {
        let endpoint = model.provider == .azureOpenAI ? Self.azureEndpoint : Self.endpoint
        let body = encodeJSON(["input_file_id": .string(inputFileID), "endpoint": .string(endpoint),
                               "completion_window": .string("24h"),
                               "metadata": .object([Self.tagKey: .string(tag)])])
        return request("POST", "/batches", body: body, contentType: "application/json")
    }

    /// `GET /v1/batches/{id}`.
    func status(of batchID: String) -> HTTPRequest {
        request("GET", "/batches/" + Self.pathSegment(batchID))
    }

    /// `POST /v1/batches/{id}/cancel`.
    func cancel(_ batchID: String) -> HTTPRequest {
        request("POST", "/batches/\(Self.pathSegment(batchID))/cancel")
    }

    /// `GET /v1/batches?limit=&after=`: the newest batches of the account, or those made before
    /// the batch `after` (the listing's cursor).
    func list(limit: Int = 100, after: String? = nil) -> HTTPRequest {
        request("GET", "/batches?limit=\(limit)" + (after.map { "&after=" + Self.queryValue($0) } ?? ""))
    }

    /// `GET /v1/files/{id}/content`.
    func content(of fileID: String) -> HTTPRequest {
        request("GET", "/files/\(Self.pathSegment(fileID))/content")
    }

    /// A request to `path` (as under OpenAI's `/v1`): for Azure, under the endpoint's `/openai`,
    /// with the `api-version` and the `api-key` header.
    private func request(_ method: String, _ path: String, body: Data = Data(), contentType: String? = nil) -> HTTPRequest {
        guard model.provider == .azureOpenAI else {
            return request(method, path, body: body, contentType: contentType,
                           auth: apiKey.map { [HTTPHeader("Authorization", "Bearer \($0)")] } ?? [], caBundle: caBundle)
        }
        let version = "api-version=" + Self.queryValue(model.apiVersion ?? Self.azureAPIVersion)
        return request(method, "/openai" + path + (path.contains("?") ? "&" : "?") + version, body: body,
                       contentType: contentType, auth: apiKey.map { [HTTPHeader("api-key", $0)] } ?? [], caBundle: caBundle)
    }
}
