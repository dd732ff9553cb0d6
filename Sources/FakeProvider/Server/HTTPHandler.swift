import NIOCore
import NIOHTTP1

/// The NIO end of one connection: gathers a request, asks the ``Responder`` and writes the reply
/// after the simulated delay, scheduled on the event loop so no thread ever sleeps.
///
/// `HTTPServerPipelineHandler` (added by `configureHTTPServerPipeline`) holds back pipelined
/// requests, so there is at most one request in flight per connection.
final class HTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let responder: Responder
    private let ledger: RequestLedger
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var bodyTooLarge = false
    private var pending: Scheduled<Void>?

    init(responder: Responder, ledger: RequestLedger) {
        self.responder = responder
        self.ledger = ledger
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
            let request = Responder.Request(method: head.method, uri: head.uri,
                                            authorization: head.headers.first(name: "authorization"),
                                            body: body, bodyTooLarge: bodyTooLarge)
            let reply = responder.respond(to: request)
            if let model = reply.model { ledger.record(model: model) }
            if reply.delayMs > 0 {
                pending = context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(reply.delayMs))) {
                    self.pending = nil
                    self.write(reply, for: head, context: context)
                }
            } else {
                write(reply, for: head, context: context)
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        pending?.cancel()
        pending = nil
        context.fireChannelInactive()
    }

    private func write(_ reply: Responder.Reply, for request: HTTPRequestHead, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "application/json")
        headers.add(name: "content-length", value: String(reply.body.count))
        headers.add(name: "x-request-id", value: "req_" + Responder.randomHex(bytes: 16))
        for (name, value) in reply.headers { headers.add(name: name, value: value) }
        let keepAlive = request.isKeepAlive
        if !keepAlive { headers.add(name: "connection", value: "close") }

        let head = HTTPResponseHead(version: request.version, status: reply.status, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        var buffer = context.channel.allocator.buffer(capacity: reply.body.count)
        buffer.writeBytes(reply.body)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }
}
