import Foundation

extension OpenAIChatCompletions {
    /// OpenAI's error body, `{"error": {"message", "type", "param", "code"}}`. Some compatible
    /// hosts (older vLLM) put `message` at the top level instead.
    struct ErrorBody: Decodable {
        struct Detail: Decodable {
            var message: String?
            var type: String?
            /// A string from OpenAI (`invalid_api_key`); an HTTP status from OpenRouter.
            var code: JSONValue?
        }
        var error: Detail?
        var message: String?
    }

    func error(from response: HTTPResponse) -> CallError {
        let body = ReplyJSON.decode(ErrorBody.self, from: response.body, usageKeys: [])?.value
        var kind = CallError.kind(forStatus: response.status)
        // A gateway relaying Anthropic keeps its overload's type.
        if body?.error?.type == "overloaded_error" { kind = .overloaded }
        var error = CallError(kind, body?.error?.message ?? body?.message ?? response.unexplainedErrorText,
                              httpStatus: response.status, requestID: requestID(in: response.headers))
        RetryHeaders(response.headers).apply(to: &error)
        return error
    }

    /// `x-request-id`; Azure's API Management gateway sends `apim-request-id`.
    func requestID(in headers: [String: String]) -> String? {
        headers["x-request-id"] ?? headers["apim-request-id"]
    }

    /// An `error` object inside a 200 response (OpenRouter sends these mid-stream): a server
    /// fault, retried like one, unless its `code` says otherwise.
    func inBandError(_ error: ErrorBody.Detail, status: Int, requestID: String?, usage: Usage?) -> CallError {
        let code: Int? = switch error.code {
        case .integer(let value): value
        case .string(let text): Int(text)
        default: nil
        }
        var kind: CallError.Kind = code.map(CallError.kind(forStatus:)) ?? .server
        if kind == .http { kind = .server }
        if error.type == "overloaded_error" || code == 529 { kind = .overloaded }
        return CallError(kind, error.message ?? "the provider sent an error inside a 200 response",
                         httpStatus: status, requestID: requestID, billedUsage: usage)
    }
}
