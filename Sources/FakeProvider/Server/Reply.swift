import NIOHTTP1

/// What the server sends back for one request, and when; the handler only does the I/O.
struct Reply: Sendable {
    /// The shape of the response on the wire.
    enum Body: Sendable {
        /// A whole body with its `content-length`.
        case complete([UInt8])
        /// The first bytes of a body of `declaredLength` bytes, then the connection closes.
        case truncated([UInt8], declaredLength: Int)
        /// Chunks written one by one (`transfer-encoding: chunked`), `intervalMs` apart.
        case stream([[UInt8]], ending: StreamEnding, intervalMs: Int)
        /// No response: the connection is reset.
        case reset
        /// No response, ever: the request hangs until the client or the server gives up.
        case hang
    }

    /// How a stream finishes.
    enum StreamEnding: Sendable, Hashable {
        /// The response ends properly (the chunked terminator).
        case end
        /// The connection closes without the terminator, as when a server dies mid-stream.
        case close
    }

    var status: HTTPResponseStatus
    /// Every header except `content-length` and `connection`, which the handler sets.
    var headers: [(String, String)]
    var body: Body
    /// Milliseconds to wait before the first byte.
    var delayMs = 0
    /// Called once when the response is over (ended, cut or the connection closed): frees the
    /// request's place under its model's concurrency limit.
    var onDone: (@Sendable () -> Void)?
}
