import Foundation

extension GeminiGenerateContent {
    /// Google's error body, `{"error": {"code", "message", "status", "details": [...]}}`, where
    /// each detail is typed by `@type`: `ErrorInfo` (`reason`), `RetryInfo` (`retryDelay`),
    /// `QuotaFailure` (`violations[].quotaId`).
    struct ErrorBody: Decodable {
        struct Status: Decodable {
            var message: String?
            var details: [Detail]?
        }
        struct Detail: Decodable {
            struct Violation: Decodable {
                var quotaId: String?
            }
            var type: String?
            var reason: String?
            var retryDelay: String?
            var violations: [Violation]?

            enum CodingKeys: String, CodingKey {
                case type = "@type"
                case reason, retryDelay, violations
            }
        }
        var error: Status?
    }

    func error(from response: HTTPResponse) -> CallError {
        let body = ReplyJSON.decode(ErrorBody.self, from: response.body, usageKeys: [])?.value
        let details = body?.error?.details ?? []
        var kind = CallError.kind(forStatus: response.status)
        // A wrong key is 400 INVALID_ARGUMENT, not 401: its ErrorInfo says so.
        if details.contains(where: { $0.reason == "API_KEY_INVALID" }) { kind = .auth }
        var error = CallError(kind, body?.error?.message ?? response.unexplainedErrorText, httpStatus: response.status,
                              requestID: requestID(in: response.headers))
        // A 429's wait is in the body's RetryInfo, not a header (a gateway's header still wins).
        error.retryAfter = details.lazy.compactMap { $0.retryDelay.flatMap(Self.seconds(fromDuration:)) }.first
        RetryHeaders(response.headers).apply(to: &error)
        // A daily quota does not clear by waiting: retrying only burns the budget.
        let quotaIDs = details.flatMap { $0.violations ?? [] }.compactMap(\.quotaId)
        if response.status == 429, quotaIDs.contains(where: { $0.contains("PerDay") }) {
            error.shouldRetry = false
        }
        return error
    }

    /// Google documents no request id header; `x-goog-request-id`, else the `x-request-id` that
    /// gateways in front of it send. A reply's own `responseId` stands in when there is none.
    func requestID(in headers: [String: String]) -> String? {
        headers["x-goog-request-id"] ?? headers["x-request-id"]
    }

    /// Seconds in a protobuf JSON `Duration` (`38s`, `1.5s`): decimal seconds and an `s`.
    static func seconds(fromDuration text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasSuffix("s"), let seconds = Double(trimmed.dropLast()), seconds >= 0 else { return nil }
        return seconds
    }
}
