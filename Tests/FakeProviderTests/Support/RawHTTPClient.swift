import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A response as read off the socket.
struct RawHTTPResponse {
    var status: Int
    /// Header names lowercased.
    var headers: [String: String]
    /// The body, de-chunked.
    var body: String
    /// True when the body arrived whole: all `content-length` bytes, or the chunked terminator.
    /// False when the server closed the connection mid-body.
    var isComplete: Bool

    /// The body as a JSON object (empty when it is not one).
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
    }

    /// True when the body parses as JSON.
    var isValidJSON: Bool {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed])) != nil
    }

    /// `choices[0].message.content`.
    var content: String? {
        let choice = (json["choices"] as? [[String: Any]])?.first
        return (choice?["message"] as? [String: Any])?["content"] as? String
    }

    /// `error.<field>`.
    func error(_ field: String) -> String? {
        (json["error"] as? [String: Any])?[field] as? String
    }

    /// The body read as server-sent events (either line ending).
    var events: [SSEEvent] {
        let normalized = body.replacingOccurrences(of: "\r\n", with: "\n")
        return normalized.components(separatedBy: "\n\n").compactMap { block in
            guard !block.isEmpty else { return nil }
            var event = SSEEvent()
            for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix(":") {
                    event.comment = line.dropFirst().trimmingCharacters(in: .whitespaces)
                } else if line.hasPrefix("event: ") {
                    event.name = String(line.dropFirst("event: ".count))
                } else if line.hasPrefix("data: ") {
                    event.data = (event.data.map { $0 + "\n" } ?? "") + line.dropFirst("data: ".count)
                } else {
                    event.unparsed.append(String(line))
                }
            }
            return event
        }
    }

    /// The `data` of every event that has one, parsed as JSON objects (`[DONE]` and broken
    /// JSON left out).
    var dataObjects: [[String: Any]] {
        events.compactMap(\.object)
    }
}

/// One server-sent event.
struct SSEEvent {
    var name: String?
    var data: String?
    var comment: String?
    /// Lines that are neither fields nor comments.
    var unparsed: [String] = []

    /// `data` as a JSON object.
    var object: [String: Any]? {
        data.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }
}

/// A deliberately small HTTP/1.1 client over a POSIX socket to 127.0.0.1: one request per
/// connection (`Connection: close`), read to end of stream. Enough to test the server without
/// pulling in an HTTP client library, and low-level enough to see how a connection ended.
enum RawHTTPClient {
    struct Failure: Error, CustomStringConvertible {
        enum Kind { case reset, timedOut, closedWithoutResponse, other }
        var kind = Kind.other
        var description: String
    }

    static func send(port: Int, method: String = "POST", path: String = "/v1/chat/completions",
                     headers: [String: String] = [:], body: String? = nil,
                     timeout: Duration = .seconds(10)) throws -> RawHTTPResponse {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }

        let (seconds, attoseconds) = timeout.components
        var time = timeval(tv_sec: Int(seconds), tv_usec: .init(attoseconds / 1_000_000_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw Failure(description: "connect: \(String(cString: strerror(errno)))") }

        let payload = Array((body ?? "").utf8)
        var request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if body != nil { request += "Content-Type: application/json\r\nContent-Length: \(payload.count)\r\n" }
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        let bytes = Array((request + "\r\n").utf8) + payload
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw Failure(description: "write: \(String(cString: strerror(errno)))") }
            sent += n
        }

        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n == 0 { break }
            guard n > 0 else {
                let code = errno
                let reason = String(cString: strerror(code))
                switch code {
                case ECONNRESET: throw Failure(kind: .reset, description: "read: \(reason)")
                case EAGAIN, EWOULDBLOCK: throw Failure(kind: .timedOut, description: "read timed out")
                default: throw Failure(description: "read: \(reason)")
                }
            }
            received += chunk[..<n]
        }
        guard !received.isEmpty else {
            throw Failure(kind: .closedWithoutResponse, description: "connection closed without a response")
        }
        return try parse(received)
    }

    private static func parse(_ bytes: [UInt8]) throws -> RawHTTPResponse {
        let separator = Array("\r\n\r\n".utf8)
        guard let split = bytes.firstRange(of: separator) else {
            throw Failure(description: "no header end in: \(String(decoding: bytes, as: UTF8.self))")
        }
        let lines = String(decoding: bytes[..<split.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw Failure(description: "bad status line: \(lines[0])")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let rest = Array(bytes[split.upperBound...])
        if headers["transfer-encoding"]?.lowercased() == "chunked" {
            let (body, complete) = dechunk(rest)
            return RawHTTPResponse(status: status, headers: headers, body: String(decoding: body, as: UTF8.self),
                                   isComplete: complete)
        }
        let complete = headers["content-length"].flatMap(Int.init).map { rest.count >= $0 } ?? true
        return RawHTTPResponse(status: status, headers: headers, body: String(decoding: rest, as: UTF8.self),
                               isComplete: complete)
    }

    /// The body of a chunked message, and whether its terminating zero-length chunk arrived.
    private static func dechunk(_ bytes: [UInt8]) -> (body: [UInt8], complete: Bool) {
        var body: [UInt8] = []
        var index = 0
        let crlf = Array("\r\n".utf8)
        while let lineEnd = bytes[index...].firstRange(of: crlf) {
            let sizeText = String(decoding: bytes[index..<lineEnd.lowerBound], as: UTF8.self)
            guard let size = Int(sizeText.split(separator: ";").first ?? "", radix: 16) else { break }
            if size == 0 { return (body, true) }
            let start = lineEnd.upperBound
            guard start + size <= bytes.count else {
                body += bytes[start...]
                break
            }
            body += bytes[start..<start + size]
            index = min(bytes.count, start + size + 2)
        }
        return (body, false)
    }
}
