import Synchronization

/// Counts requests per model name, shared by every connection of a server.
final class RequestLedger: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    /// Records one request that named `model`.
    func record(model: String) {
        counts.withLock { $0[model, default: 0] += 1 }
    }

    /// Requests that named `model` so far.
    func count(model: String) -> Int {
        counts.withLock { $0[model] ?? 0 }
    }
}
