import Foundation
import NIOCore
import NIOHTTP1

/// The NIO end of one connection: gathers a request, asks the ``Responder`` and writes the
/// ``Reply`` after the simulated delay, scheduled on the event loop so no thread ever sleeps.
/// Streams are written event by event; faults close or reset the connection mid-way.
///
/// `HTTPServerPipelineHandler` (added by `configureHTTPServerPipeline`) holds back pipelined
/// requests, so there is at most one request in flight per connection.
final class HTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let responder: Responder
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var bodyTooLarge = false
    private var pending: Scheduled<Void>?
    /// The reply being sent's ``Reply/onDone``, until it has run.
    private var onDone: (@Sendable () -> Void)?

    init(responder: Responder) {
        self.responder = responder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.removeAll(keepingCapacity: true)
            bodyTooLarge = false
            // libcurl asks before sending a large body and otherwise waits a second for the answer.
            if head.headers["expect"].contains(where: { $0.lowercased() == "100-continue" }) {
                let proceed = HTTPResponseHead(version: head.version, status: .continue)
                context.writeAndFlush(wrapOutboundOut(.head(proceed)), promise: nil)
            }
        case .body(let chunk):
            if body.count + chunk.readableBytes > Responder.maxBodyBytes {
                bodyTooLarge = true
                body.removeAll()
            } else if !bodyTooLarge {
                body.append(contentsOf: chunk.readableBytesView)
            }
        case .end:
            guard let head else { return }
            self.head = nil
            let request = Responder.Request(method: head.method, uri: head.uri, headers: head.headers,
                                            body: body, bodyTooLarge: bodyTooLarge)
            let reply = responder.respond(to: request)
            done()
            onDone = reply.onDone
            after(reply.delayMs, context: context) { self.write(reply, for: head, context: context) }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        pending?.cancel()
        pending = nil
        done()
        context.fireChannelInactive()
    }

    /// The current reply is over.
    private func done() {
        onDone?()
        onDone = nil
    }

    /// Runs `action` now, or after `milliseconds` on the event loop.
    private func after(_ milliseconds: Int, context: ChannelHandlerContext, _ action: @escaping () -> Void) {
        guard milliseconds > 0 else { return action() }
        pending = context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(milliseconds))) {
            self.pending = nil
            action()
        }
    }

    private func write(_ reply: Reply, for request: HTTPRequestHead, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        let keepAlive = request.isKeepAlive
        var headers = HTTPHeaders(reply.headers)
        switch reply.body {
        case .reset:
            // SO_LINGER 0 makes close() send RST instead of FIN: the client sees ECONNRESET.
            let linger = linger(l_onoff: 1, l_linger: 0)
            let closing = (context.channel as? any SocketOptionProvider)?.setSoLinger(linger)
                ?? context.eventLoop.makeSucceededVoidFuture()
            closing.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            return
        case .hang:
            return
        case .complete(let bytes):
            headers.add(name: "content-length", value: String(bytes.count))
        case .truncated(_, let declaredLength):
            headers.add(name: "content-length", value: String(declaredLength))
        case .stream:
            break  // no length: HTTP/1.1 sends it chunked
        }
        if !keepAlive { headers.add(name: "connection", value: "close") }
        let head = HTTPResponseHead(version: request.version, status: reply.status, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)

        switch reply.body {
        case .complete(let bytes):
            writeBody(bytes, context: context)
            finish(.end, keepAlive: keepAlive, context: context)
        case .truncated(let bytes, _):
            writeBody(bytes, context: context)
            finish(.close, keepAlive: keepAlive, context: context)
        case .stream(let chunks, let ending, let intervalMs):
            context.flush()
            send(chunks[...], ending: ending, intervalMs: intervalMs, keepAlive: keepAlive, context: context)
        case .reset, .hang:
            break
        }
    }

    /// Writes and flushes `chunks` one by one, `intervalMs` apart, then ends the stream.
    private func send(_ chunks: ArraySlice<[UInt8]>, ending: Reply.StreamEnding, intervalMs: Int, keepAlive: Bool,
                      context: ChannelHandlerContext) {
        var remaining = chunks
        while let chunk = remaining.popFirst() {
            guard context.channel.isActive else { return }
            writeBody(chunk, context: context)
            context.flush()
            if intervalMs > 0, !remaining.isEmpty {
                after(intervalMs, context: context) {
                    self.send(remaining, ending: ending, intervalMs: intervalMs, keepAlive: keepAlive, context: context)
                }
                return
            }
        }
        finish(ending, keepAlive: keepAlive, context: context)
    }

    private func writeBody(_ bytes: [UInt8], context: ChannelHandlerContext) {
        guard !bytes.isEmpty else { return }
        var buffer = context.channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
    }

    /// Ends the response, or closes the connection without ending it (a cut).
    private func finish(_ ending: Reply.StreamEnding, keepAlive: Bool, context: ChannelHandlerContext) {
        done()
        guard context.channel.isActive else { return }
        switch ending {
        case .end:
            let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
            if !keepAlive {
                written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            }
        case .close:
            context.flush()
            context.close(promise: nil)
        }
    }
}
