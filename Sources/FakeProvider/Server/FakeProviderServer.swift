import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A fake LLM provider: a real HTTP/1.1 server on loopback that answers in four wire formats
/// (OpenAI Chat Completions and its compatible hosts, Azure OpenAI, Anthropic Messages, Gemini),
/// streaming or not, with simulated, deterministic answers, latencies and token counts, and
/// injects the faults its config asks for.
///
/// | format | path (relative to ``rootURL``) | key header |
/// |---|---|---|
/// | OpenAI | `/v1/chat/completions` | `Authorization: Bearer KEY` |
/// | Azure OpenAI | `/openai/deployments/{model}/chat/completions?api-version=2024-10-21` | `api-key` |
/// | Anthropic | `/v1/messages` | `x-api-key` (and `anthropic-version`) |
/// | Gemini | `/v1beta/models/{model}:generateContent`, `:streamGenerateContent?alt=sse` | `x-goog-api-key` |
///
/// `GET /_fake/stats` returns the counters of ``requestCount(model:)``, ``servedCount(model:)``
/// and ``faultCounts()`` as JSON: `{"requests": {model: n}, "served": {model: n},
/// "faults": {model: {kind: n}}, "connections": n}`, every configured model listed;
/// `connections` counts the TCP connections accepted (see ``connectionCount()``).
///
/// ```swift
/// let server = try FakeProviderServer.start(config: config)
/// defer { server.shutdown() }
/// // point a client at server.baseURL
/// ```
public final class FakeProviderServer: Sendable {
    /// The port the server listens on (the one picked by the system when started with port 0).
    public let port: Int
    /// The OpenAI API base URL, e.g. `http://127.0.0.1:PORT/v1`; clients append `/chat/completions`.
    public let baseURL: String
    /// The server's root, e.g. `http://127.0.0.1:PORT`: the base URL for the Anthropic
    /// (`/v1/messages`), Gemini (`/v1beta/...`) and Azure (`/openai/...`) formats.
    public let rootURL: String
    /// What the server serves.
    public let config: FakeProviderConfig

    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let ledger: RequestLedger
    private let office: BatchOffice
    private let isShutDown = Mutex(false)

    private init(config: FakeProviderConfig, group: MultiThreadedEventLoopGroup, channel: any Channel,
                 ledger: RequestLedger, office: BatchOffice, address: SocketAddress) {
        self.config = config
        self.office = office
        self.group = group
        self.channel = channel
        self.ledger = ledger
        self.port = address.port ?? 0
        let ip = address.ipAddress ?? "127.0.0.1"
        self.rootURL = "http://\(ip.contains(":") ? "[\(ip)]" : ip):\(port)"
        self.baseURL = rootURL + "/v1"
    }

    deinit { shutdown() }

    /// Starts a server and returns once it accepts connections.
    /// - Parameters:
    ///   - config: The models and key to serve.
    ///   - host: A loopback address: `127.0.0.0/8`, `localhost` or `::1`.
    ///   - port: The port, or 0 to let the system pick a free one (read it back from ``port``).
    /// - Throws: ``FakeProviderError`` when the host is not loopback or the port cannot be bound.
    /// - Returns: The running server; call ``shutdown()`` when done.
    public static func start(config: FakeProviderConfig, host: String = "127.0.0.1",
                             port: Int = 0) throws -> FakeProviderServer {
        let host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        guard isLoopback(host) else { throw FakeProviderError.notLoopback(host: host) }
        guard (0...65535).contains(port) else {
            throw FakeProviderError.bindFailed(host: host, port: port, reason: "ports run from 0 to 65535")
        }
        let ledger = RequestLedger()
        let office = BatchOffice(config.batches)
        let responder = Responder(config: config, ledger: ledger, office: office)
        // One thread is plenty: nothing blocks, delays are timers.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                ledger.recordConnection()
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(HTTPHandler(responder: responder))
                }
            }
        do {
            let channel = try bootstrap.bind(host: host, port: port).wait()
            guard let address = channel.localAddress, isLoopback(address.ipAddress ?? "") else {
                try? channel.close().wait()
                throw FakeProviderError.notLoopback(host: host)
            }
            return FakeProviderServer(config: config, group: group, channel: channel, ledger: ledger, office: office,
                                      address: address)
        } catch {
            try? group.syncShutdownGracefully()
            if let error = error as? FakeProviderError { throw error }
            throw FakeProviderError.bindFailed(host: host, port: port, reason: Self.reason(error))
        }
    }

    /// Requests received that named `model` (in the body, or in the path for Azure and Gemini),
    /// in any format and whatever their status (a request refused for a wrong key counts too).
    /// Unknown names give 0.
    public func requestCount(model: String) -> Int {
        ledger.count(model: model)
    }

    /// Requests of `model` answered completely and successfully: no failing fault was injected
    /// (a slow first byte still counts as served).
    public func servedCount(model: String) -> Int {
        ledger.servedCount(model: model)
    }

    /// Batches created so far, OpenAI's (`POST /v1/batches`) and Anthropic's
    /// (`POST /v1/messages/batches`) together (a batch whose reply was lost counts).
    public func batchesCreated() -> Int {
        office.createdCount
    }

    /// Batches cancelled before they ended (`POST /v1/batches/{id}/cancel`,
    /// `POST /v1/messages/batches/{id}/cancel`).
    public func batchesCancelled() -> Int {
        office.cancelledCount
    }

    /// Lets batches held by ``FakeProviderConfig/Batches/held`` finish.
    public func releaseBatches() {
        office.release()
    }

    /// How many batches each request was submitted in, by `"model custom_id"` (the model its
    /// body names, the custom id as sent): a client that never submits a request twice has 1
    /// everywhere. Every API's batches count.
    public func batchSubmissions() -> [String: Int] {
        office.submissions
    }

    /// From now on, withholds the reply of every request at `step` of a batch's life: the
    /// request hangs, so a test can kill its client at that very moment. With `acting`, the
    /// request takes effect first (a batch is made, a file stored) as when a reply is lost.
    /// `nil` stops withholding (the requests already hanging stay so).
    public func withholdReplies(at step: BatchStep?, acting: Bool = false) {
        office.withhold(at: step, acting: acting)
    }

    /// Replies withheld since the last ``withholdReplies(at:acting:)``.
    public func withheldReplies() -> Int {
        office.withheldCount
    }

    /// TCP connections accepted so far. A client that reuses its connections opens about as
    /// many as it has requests in flight, not one per request.
    public func connectionCount() -> Int {
        ledger.connectionCount()
    }

    /// The most requests of a model with ``FakeProviderConfig/Limits`` answered at once.
    public func peakInFlight(model: String) -> Int {
        ledger.peakInFlight(model: model)
    }

    /// The faults injected so far: model name → fault kind (a ``FakeProviderConfig/Faults/Kind``
    /// raw value such as `rate_limit`, or `limited` for a refusal by the model's limits) → count.
    /// Models without faults are absent.
    public func faultCounts() -> [String: [String: Int]] {
        ledger.faultCounts()
    }

    /// Stops listening, closes every connection and joins the server thread. Safe to call more
    /// than once; must not be called from the server's own event loop.
    public func shutdown() {
        let wasShutDown = isShutDown.withLock { state in
            defer { state = true }
            return state
        }
        guard !wasShutDown else { return }
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
    }

    /// True for `localhost` and literal addresses in 127.0.0.0/8 or `::1`.
    static func isLoopback(_ host: String) -> Bool {
        if host.lowercased() == "localhost" { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) } == Array(repeating: 0, count: 15) + [1]
        }
        return false
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? IOError {
            return String(cString: strerror(error.errnoCode))
        }
        return String(describing: error)
    }
}
