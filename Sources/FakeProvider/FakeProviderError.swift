/// An error from loading a fake provider config or starting the server.
///
/// The description reads like a compiler diagnostic when the error has a position:
/// `suites/demo.fake-provider.yaml:5:15: error: accuracy must be between 0 and 1, got 1.5`.
public struct FakeProviderError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Kind: Sendable, Hashable {
        case config(file: String, line: Int?, column: Int?, message: String)
        case unreadableConfig(file: String, reason: String)
        case notLoopback(host: String)
        case bindFailed(host: String, port: Int, reason: String)
    }

    private let kind: Kind

    private init(_ kind: Kind) { self.kind = kind }

    /// The config file is not a valid fake provider config.
    static func config(_ message: String, file: String, line: Int? = nil, column: Int? = nil) -> Self {
        Self(.config(file: file, line: line, column: column, message: message))
    }

    /// The config file could not be read.
    static func unreadableConfig(file: String, reason: String) -> Self {
        Self(.unreadableConfig(file: file, reason: reason))
    }

    /// The host to bind is not a loopback address.
    static func notLoopback(host: String) -> Self { Self(.notLoopback(host: host)) }

    /// The listening socket could not be opened.
    static func bindFailed(host: String, port: Int, reason: String) -> Self {
        Self(.bindFailed(host: host, port: port, reason: reason))
    }

    /// True when the user's input is at fault (the config, or a host that is not loopback);
    /// false when the system refused (the port is taken, say).
    public var isBadInput: Bool {
        switch kind {
        case .config, .unreadableConfig, .notLoopback: true
        case .bindFailed: false
        }
    }

    /// The message without the position prefix.
    public var message: String {
        switch kind {
        case .config(_, _, _, let message):
            message
        case .unreadableConfig(let file, let reason):
            "cannot read fake provider config '\(file)': \(reason)"
        case .notLoopback(let host):
            "refusing to bind '\(host)': the fake provider listens on loopback only (127.0.0.0/8, localhost, ::1)"
        case .bindFailed(let host, let port, let reason):
            "cannot listen on \(host):\(port): \(reason)"
        }
    }

    public var description: String {
        switch kind {
        case .config(let file, let line?, let column?, let message):
            "\(file):\(line):\(column): error: \(message)"
        case .config(let file, _, _, let message):
            "\(file): error: \(message)"
        case .unreadableConfig, .notLoopback, .bindFailed:
            "error: \(message)"
        }
    }
}
