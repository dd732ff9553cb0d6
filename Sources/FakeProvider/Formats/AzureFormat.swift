import Foundation

/// Azure OpenAI (`POST /openai/deployments/{deployment}/chat/completions?api-version=...`):
/// OpenAI's bodies, with the key in `api-key`, the model in the path, a required
/// `api-version`, and Azure's own `{"error": {"code", "message"}}` for what its gateway refuses.
struct AzureFormat: WireFormat {
    /// The deployment from the path, percent-decoded: the model name.
    var deployment: String
    /// The `api-version` query parameter, if sent.
    var apiVersion: String?

    private let openAI = OpenAIFormat(fixedFlavor: .openai)

    var requestIDHeader: String { "apim-request-id" }

    func headers(for generation: Generation) -> [(String, String)] {
        openAI.headers(for: generation) + [("x-ms-region", "Sim Central")]
    }

    func apiKey(in request: Responder.Request) -> String? {
        request.headers.first(name: "api-key").flatMap { $0.isEmpty ? nil : $0 }
    }

    func modelName(in body: [String: Any]) -> String? { deployment }

    func precondition(_ request: Responder.Request) -> ProviderError? {
        guard let apiVersion else {
            return ProviderError(kind: .invalidRequest, status: .badRequest,
                                 message: "The api-version query parameter (?api-version=) is required for all requests.",
                                 code: "MissingApiVersionParameter")
        }
        guard apiVersion.wholeMatch(of: /[0-9]{4}-[0-9]{2}-[0-9]{2}(-preview)?/) != nil else {
            return ProviderError(kind: .notFound, status: .notFound,
                                 message: "Resource not found: unsupported api-version '\(apiVersion)'.", code: "404")
        }
        return nil
    }

    func decode(_ body: [String: Any]) -> Result<GenerationRequest, ProviderError> {
        // Azure takes the model from the deployment; a `model` in the body is ignored. The
        // output limit is one number by the time it reaches the deployment.
        openAI.decode(body, model: deployment).map { request in
            var request = request
            request.maxTokens = request.maxCompletionTokens ?? request.maxTokens
            request.maxCompletionTokens = nil
            return request
        }
    }

    func authenticationError(keySent: Bool) -> ProviderError {
        ProviderError(kind: .authentication, status: .unauthorized,
                      message: "Access denied due to invalid subscription key or wrong API endpoint. Make sure to "
                          + "provide a valid key for an active subscription and use a correct regional API endpoint "
                          + "for your resource.",
                      code: "401")
    }

    func modelNotFound(_ name: String, known: [String]) -> ProviderError {
        ProviderError(kind: .notFound, status: .notFound,
                      message: "The API deployment for this resource does not exist. If you created the deployment "
                          + "within the last 5 minutes, please wait a moment and try again. "
                          + "Known deployments: \(known.joined(separator: ", ")).",
                      code: "DeploymentNotFound")
    }

    /// What Azure's gateway decides (key, deployment, version, throttling, outages) comes in
    /// Azure's shape; complaints about the body are OpenAI's, passed through.
    func errorBody(_ error: ProviderError, requestID: String) -> JSONValue {
        switch error.kind {
        case .invalidRequest where error.code != "MissingApiVersionParameter", .tooLarge:
            return openAI.errorBody(error, requestID: requestID)
        case .rateLimit, .serverError, .overloaded:
            return ["error": ["code": .string(String(error.status.code)), "message": .string(error.message)]]
        case .invalidRequest, .authentication, .notFound:
            return ["error": ["code": .string(error.code ?? String(error.status.code)),
                              "message": .string(error.message)]]
        }
    }

    func response(_ generation: Generation) -> JSONValue {
        openAI.response(generation)
    }

    /// OpenAI's stream, after the chunk Azure sends first: `choices: []` with the prompt's
    /// content-filter results, which trips clients that read `choices[0]` blindly.
    func stream(_ generation: Generation) -> EventStream {
        var stream = openAI.stream(generation)
        let filter: JSONValue = [
            "choices": [], "created": 0, "id": "", "model": "", "object": "",
            "prompt_filter_results": [["prompt_index": 0, "content_filter_results": [:]]],
        ]
        stream.events.insert(.data(filter), at: 0)
        stream.content = (stream.content.lowerBound + 1)..<(stream.content.upperBound + 1)
        return stream
    }

    func midStreamError(_ generation: Generation) -> StreamEvent {
        openAI.midStreamError(generation)
    }
}
