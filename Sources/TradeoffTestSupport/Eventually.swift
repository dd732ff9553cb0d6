import Foundation

/// Waits until `condition` holds, looking every few milliseconds, for at most `timeout` seconds.
/// For tests that must act at a moment they can observe (the server has seen N requests, a
/// process has printed a line) instead of after a guessed sleep.
///
/// - Returns: whether the condition held before the timeout.
@discardableResult
public func waitUntil(timeout: Double = 30, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        usleep(2_000)
    }
    return try condition()
}

/// What a child process writes to a pipe, collected as it comes so a test can wait for a line.
public final class PipeText: @unchecked Sendable {
    // Unchecked: `data` is only touched under `lock`; the pipe's handler runs on its own queue.
    private let lock = NSLock()
    private var data = Data()
    private let handle: FileHandle

    /// Starts collecting from `pipe`.
    public init(_ pipe: Pipe) {
        handle = pipe.fileHandleForReading
        handle.readabilityHandler = { [lock] handle in
            let chunk = handle.availableData
            // End of file: no more calls (they would come back empty, again and again).
            if chunk.isEmpty { handle.readabilityHandler = nil }
            lock.lock()
            defer { lock.unlock() }
            self.data.append(chunk)
        }
    }

    /// What has come so far.
    public var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }

    /// Stops collecting and returns everything, once the writer has closed its end.
    public func finish() -> String {
        handle.readabilityHandler = nil
        let rest = handle.readDataToEndOfFile()
        lock.lock()
        defer { lock.unlock() }
        data.append(rest)
        return String(decoding: data, as: UTF8.self)
    }
}
