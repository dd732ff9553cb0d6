import Foundation

/// One HTTP request as the transport sends it.
public struct HTTPRequest: Sendable, Hashable {
    public var method: String
    public var url: String
    /// Header fields in order. Values may hold secrets (Authorization): never log them.
    public var headers: [HTTPHeader]
    public var body: Data
    /// Seconds before the whole transfer is abandoned.
    public var timeout: Double
    /// Seconds before connecting is abandoned.
    public var connectTimeout: Double
    /// A PEM file of CA certificates to trust instead of the system's (TLS-inspecting proxies).
    public var caBundle: String?

    public init(method: String = "POST", url: String, headers: [HTTPHeader] = [], body: Data = Data(),
                timeout: Double = 120, connectTimeout: Double = 10, caBundle: String? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.caBundle = caBundle
    }
}

/// A header field.
public struct HTTPHeader: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A complete HTTP response (any status).
public struct HTTPResponse: Sendable, Hashable {
    public var status: Int
    /// Header fields with lowercased names; a repeated field keeps its last value.
    public var headers: [String: String]
    public var body: Data
    public var timings: TransferTimings
    /// When each piece of the body arrived, in order: what streaming latency is measured from.
    public var arrivals: [BodyArrival]

    public init(status: Int, headers: [String: String], body: Data, timings: TransferTimings,
                arrivals: [BodyArrival] = []) {
        self.status = status
        self.headers = headers
        self.body = body
        self.timings = timings
        self.arrivals = arrivals
    }

    /// Seconds from the start of the transfer until the first `length` bytes of the body had
    /// arrived.
    public func arrivalTime(forLength length: Int) -> Double? {
        // Arrivals are sorted by end offset: find the first piece that reaches `length`.
        var low = 0, high = arrivals.count
        while low < high {
            let mid = (low + high) / 2
            if arrivals[mid].endOffset < length { low = mid + 1 } else { high = mid }
        }
        return low < arrivals.count ? arrivals[low].seconds : arrivals.last?.seconds
    }
}

/// A piece of a response body as curl delivered it.
public struct BodyArrival: Sendable, Hashable {
    /// The body's length once this piece was appended.
    public var endOffset: Int
    /// Seconds since the transfer started.
    public var seconds: Double

    public init(endOffset: Int, seconds: Double) {
        self.endOffset = endOffset
        self.seconds = seconds
    }
}

/// libcurl's timers for one transfer, in seconds from the start of the transfer.
public struct TransferTimings: Sendable, Hashable, Codable {
    /// Name resolution done.
    public var nameLookup: Double
    /// TCP connection established (0 when an existing connection was reused).
    public var connect: Double
    /// TLS handshake done (0 for plain HTTP).
    public var tlsHandshake: Double
    /// First response byte received.
    public var firstByte: Double
    /// Whole transfer.
    public var total: Double

    public init(nameLookup: Double = 0, connect: Double = 0, tlsHandshake: Double = 0, firstByte: Double = 0,
                total: Double = 0) {
        self.nameLookup = nameLookup
        self.connect = connect
        self.tlsHandshake = tlsHandshake
        self.firstByte = firstByte
        self.total = total
    }
}

/// A transfer that produced no HTTP response: curl's error code and its explanation.
public struct TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The `CURLcode`.
    public var code: Int
    /// curl's message for the code, plus its detailed error buffer when it has one.
    public var message: String
    public var timings: TransferTimings
    /// What had arrived before the transfer failed (status, headers, part of the body), if
    /// anything: a stream cut midway still tells what the provider sent, and billed.
    public var partial: HTTPResponse?

    public init(code: Int, message: String, timings: TransferTimings = TransferTimings(), partial: HTTPResponse? = nil) {
        self.code = code
        self.message = message
        self.timings = timings
        self.partial = partial
    }

    /// True for curl's timeout (CURLE_OPERATION_TIMEDOUT).
    public var isTimeout: Bool { code == 28 }

    public var description: String { "curl error \(code): \(message)" }
}
