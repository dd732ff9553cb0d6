import Foundation

extension AnthropicMessages {
    /// Anthropic's error body, `{"type": "error", "error": {"type", "message"}, "request_id"}`;
    /// a stream's `event: error` carries the same object.
    struct ErrorBody: Decodable {
        struct Detail: Decodable {
            var type: String?
            var message: String?
        }
        var error: Detail?
        var request_id: String?
    }

    /// The class of one of Anthropic's documented error types; nil for a type it does not document.
    static func kind(ofErrorType type: String?) -> CallError.Kind? {
        switch type {
        case "invalid_request_error", "request_too_large": .badRequest
        case "authentication_error", "permission_error": .auth
        case "not_found_error": .notFound
        case "rate_limit_error": .rateLimited
        case "api_error": .server
        case "overloaded_error": .overloaded
        default: nil
        }
    }

    /// The error type decides the class (an `overloaded_error` is an overload whatever status a
    /// proxy put on it); the status decides when the body is not Anthropic's.
    func error(from response: HTTPResponse) -> CallError {
        let body = ReplyJSON.decode(ErrorBody.self, from: response.body, usageKeys: [])?.value
        let kind = Self.kind(ofErrorType: body?.error?.type) ?? CallError.kind(forStatus: response.status)
        var error = CallError(kind, body?.error?.message ?? response.unexplainedErrorText, httpStatus: response.status,
                              requestID: requestID(in: response.headers) ?? body?.request_id)
        RetryHeaders(response.headers).apply(to: &error)
        return error
    }

    /// `request-id`.
    func requestID(in headers: [String: String]) -> String? {
        headers["request-id"]
    }

    /// An `event: error` after HTTP 200: classed by its type, a server fault when the type is
    /// not one Anthropic documents.
    func streamError(_ detail: ErrorBody.Detail?, status: Int, requestID: String?, usage: Usage?) -> CallError {
        CallError(Self.kind(ofErrorType: detail?.type) ?? .server, detail?.message ?? "the stream sent an error event",
                  httpStatus: status, requestID: requestID, billedUsage: usage)
    }
}
