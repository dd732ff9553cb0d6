import Foundation

/// The retry hints any HTTP API may send with an error, read the way the OpenAI and Anthropic
/// SDKs read them; gateways (LiteLLM) send them in front of every provider.
struct RetryHeaders: Sendable, Hashable {
    /// Seconds to wait: `retry-after-ms`, else `retry-after` (seconds or an HTTP date), else
    /// LiteLLM's forwarded `llm_provider-retry-after`.
    var retryAfter: Double?
    /// `x-should-retry: true|false`, which overrides the retry rules.
    var shouldRetry: Bool?

    /// Reads the headers (names lowercased).
    ///
    /// - Parameter now: when the response was read, to turn an HTTP date into a wait.
    init(_ headers: [String: String], now: Date = Date()) {
        retryAfter = Self.retryAfter(in: headers, now: now)
        switch headers["x-should-retry"]?.lowercased() {
        case "true": shouldRetry = true
        case "false": shouldRetry = false
        default: shouldRetry = nil
        }
    }

    /// Puts the hints on `error`; a wait already read from the body (Gemini) is kept when
    /// there is no header.
    func apply(to error: inout CallError) {
        error.retryAfter = retryAfter ?? error.retryAfter
        error.shouldRetry = shouldRetry ?? error.shouldRetry
    }

    private static func retryAfter(in headers: [String: String], now: Date) -> Double? {
        if let text = headers["retry-after-ms"], let ms = Double(text.trimmingCharacters(in: .whitespaces)) {
            return ms / 1000
        }
        guard let text = headers["retry-after"] ?? headers["llm_provider-retry-after"] else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed) { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: trimmed).map { $0.timeIntervalSince(now) }
    }
}
