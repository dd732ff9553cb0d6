import Foundation

/// A provider's wire format: how a chat becomes an HTTP request, and how what comes back — a
/// reply, streamed or not, or an error in the provider's own shape — becomes a reply or a
/// `CallError`. One implementation per protocol, each in its own folder.
protocol WireFormat: Sendable {
    /// The HTTP request for `chat` on `model` at `baseURL`.
    func request(for chat: ChatRequest, model: ModelEntry, baseURL: String, apiKey: String?) -> HTTPRequest

    /// Reads a 2xx response. `streamed` says whether the request asked for a stream.
    func reply(from response: HTTPResponse, for chat: ChatRequest, model: ModelEntry, streamed: Bool)
        -> Result<ProviderReply, CallError>

    /// Reads an error response (any status outside 2xx, its body possibly cut): the class, the
    /// provider's message, its retry hints and the request id. Never includes request headers
    /// (where keys travel).
    func error(from response: HTTPResponse) -> CallError

    /// The request id from the response header this provider sends it in.
    func requestID(in headers: [String: String]) -> String?

    /// What this provider's rate-limit headers say is left; nil when there are none.
    ///
    /// - Parameter now: when the response was read, to turn reset timestamps into waits.
    func rateLimits(in headers: [String: String], now: Date) -> RateLimitHeaders?
}

/// Encodes a JSON object with sorted keys (stable bodies, so requests are reproducible).
func encodeJSON(_ object: [String: JSONValue]) -> Data {
    // Plain strings, finite numbers and containers always encode (as JSONEncoder would trap on
    // the rest, so does this).
    try! JSONWriter.encode(object)
}
