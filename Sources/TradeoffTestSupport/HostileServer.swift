import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP/1.1 server on 127.0.0.1 that answers every request with a reply fixed by the
/// test, byte for byte — what a hostile or broken provider could send (impossible usage, invalid
/// UTF-8, a wrong `Content-Type`) and the fake provider never does — and keeps the request
/// requests it was sent. One connection at a time, closed after each reply.
public final class HostileServer: Sendable {
    /// What the server answers.
    public struct Answer: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: Data

        public init(status: Int = 200, headers: [(String, String)] = [("Content-Type", "application/json")], body: Data) {
            self.status = status
            self.headers = headers
            self.body = body
        }

        public init(status: Int = 200, contentType: String = "application/json", _ body: String) {
            self.init(status: status, headers: [("Content-Type", contentType)], body: Data(body.utf8))
        }
    }

    /// A request as it arrived.
    public struct Received: Sendable {
        public var method: String
        /// The path and query (`/v1/chat/completions?token=x`).
        public var target: String
        /// The header fields in order, as sent.
        public var headers: [(name: String, value: String)]
        public var body: Data

        /// The value of the field `name` (any case); nil when it was not sent.
        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    /// `http://127.0.0.1:PORT`
    public let rootURL: String
    private let socket: Int32
    private let received = Mutex<[Received]>([])
    private let finished = DispatchSemaphore(value: 0)

    /// The requests received so far, in order.
    public var requests: [Received] { received.withLock { $0 } }

    /// The request targets received so far (`/v1/chat/completions?token=x`), in order.
    public var requestTargets: [String] { requests.map(\.target) }

    private init(socket: Int32, port: Int) {
        self.socket = socket
        rootURL = "http://127.0.0.1:\(port)"
    }

    /// Starts listening on an ephemeral port; `reply` answers each request, given its target.
    public static func start(_ reply: @escaping @Sendable (_ target: String) -> Answer) throws -> HostileServer {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let server = HostileServer(socket: fd, port: Int(UInt16(bigEndian: address.sin_port)))
        Thread.detachNewThread { server.serve(reply) }
        return server
    }

    /// Stops listening and waits for the serving thread to end.
    public func shutdown() {
        Glibc.shutdown(socket, Int32(SHUT_RDWR))
        finished.wait()
        close(socket)
    }

    private func serve(_ reply: @Sendable (String) -> Answer) {
        defer { finished.signal() }
        while true {
            let connection = accept(socket, nil, nil)
            guard connection >= 0 else { return }
            defer { close(connection) }
            guard let request = readRequest(connection) else { continue }
            received.withLock { $0.append(request) }
            let answer = reply(request.target)
            var head = "HTTP/1.1 \(answer.status) Reply\r\n"
            for (name, value) in answer.headers { head += "\(name): \(value)\r\n" }
            head += "Content-Length: \(answer.body.count)\r\nConnection: close\r\n\r\n"
            write(connection, Data(head.utf8) + answer.body)
        }
    }

    /// Reads the request's head and body.
    private func readRequest(_ connection: Int32) -> Received? {
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            if let end = received.range(of: Data("\r\n\r\n".utf8)) {
                let head = String(decoding: received[..<end.lowerBound], as: UTF8.self)
                let lines = head.components(separatedBy: "\r\n")
                let headers = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
                    let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                    guard parts.count == 2 else { return nil }
                    return (String(parts[0]), parts[1].trimmingCharacters(in: .whitespaces))
                }
                let length = headers.first { $0.name.lowercased() == "content-length" }.flatMap { Int($0.value) } ?? 0
                if received.count - end.upperBound >= length {
                    let requestLine = lines[0].split(separator: " ")
                    guard requestLine.count >= 2 else { return nil }
                    return Received(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers,
                                    body: Data(received[end.upperBound...].prefix(length)))
                }
            }
            let count = recv(connection, &buffer, buffer.count, 0)
            guard count > 0 else { return nil }
            received.append(contentsOf: buffer[..<count])
        }
    }

    private func write(_ connection: Int32, _ data: Data) {
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let sent = send(connection, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                guard sent > 0 else { return }
                offset += sent
            }
        }
    }
}

/// Runs `body` with a hostile server answering every request with `reply`, and stops it after.
public func withHostileServer<T>(_ reply: @escaping @Sendable (_ target: String) -> HostileServer.Answer,
                                 _ body: (HostileServer) throws -> T) throws -> T {
    let server = try HostileServer.start(reply)
    defer { server.shutdown() }
    return try body(server)
}
