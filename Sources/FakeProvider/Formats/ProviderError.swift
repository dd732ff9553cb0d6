import NIOHTTP1

/// An error response before a wire format puts it in its own shape.
struct ProviderError: Error, Sendable {
    /// What went wrong, which each format maps to its own error type or status name.
    enum Kind: Sendable, Hashable {
        case invalidRequest, authentication, notFound, tooLarge, rateLimit, serverError, overloaded
    }

    var kind: Kind
    var status: HTTPResponseStatus
    var message: String
    /// OpenAI's `param`.
    var param: String?
    /// OpenAI's and Azure's `code`.
    var code: String?
    /// Google's `details` entries.
    var details: [JSONValue] = []
    /// Headers besides the standard ones (`retry-after`, `www-authenticate`).
    var headers: [(String, String)] = []

    /// A 400 about the request itself.
    static func invalidRequest(_ message: String, param: String? = nil, code: String? = nil) -> Self {
        Self(kind: .invalidRequest, status: .badRequest, message: message, param: param, code: code)
    }

    /// The 400 for a body that is not JSON (`wasJSON` false) or JSON but not an object.
    static func invalidJSON(wasJSON: Bool) -> Self {
        wasJSON
            ? invalidRequest("The request body must be a JSON object.", code: "invalid_json")
            : invalidRequest("We could not parse the JSON body of your request. The API expects a JSON payload, "
                                + "but what was sent was not valid JSON.", code: "invalid_json")
    }

    /// The 413 for a body above `limit` bytes.
    static func tooLarge(limit: Int) -> Self {
        Self(kind: .tooLarge, status: .payloadTooLarge, message: "The request body is larger than \(limit) bytes.",
             code: "request_too_large")
    }
}
