#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Standard output or error, written with `write(2)` so that a reader that went away (`| head -1`)
/// ends the output instead of the process: once a write fails (EPIPE with SIGPIPE ignored), the
/// stream is closed for good and later writes are dropped.
public enum StandardStream: Int32, Sendable {
    case output = 1
    case error = 2

    private static let closed = Mutex<Set<Int32>>([])

    /// Makes a closed pipe an error a write returns (EPIPE) instead of a signal that kills the
    /// process, and a file over its size limit (RLIMIT_FSIZE) an error too (EFBIG), handled like
    /// a full disk. Grader commands inherit both, as they inherited SIGPIPE ignored before.
    public static func ignoreWriteSignals() {
        signal(SIGPIPE, SIG_IGN)
        signal(SIGXFSZ, SIG_IGN)
    }

    /// Whether a write failed: nothing more is written.
    public var isClosed: Bool { Self.closed.withLock { $0.contains(rawValue) } }

    /// Writes all of `text`, or nothing more once the stream is closed.
    ///
    /// - Returns: whether the text was written.
    @discardableResult
    public func write(_ text: String) -> Bool {
        guard !isClosed else { return false }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { buffer in
                #if canImport(Glibc)
                Glibc.write(rawValue, buffer.baseAddress, buffer.count)
                #else
                Darwin.write(rawValue, buffer.baseAddress, buffer.count)
                #endif
            }
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                Self.closed.withLock { _ = $0.insert(rawValue) }
                return false
            }
            bytes = bytes.dropFirst(written)
        }
        return true
    }
}
