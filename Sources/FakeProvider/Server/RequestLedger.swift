import Synchronization

/// What a server has seen, shared by every connection: requests per model, how often each exact
/// body was sent (for fault draws), and the faults and successful answers per model.
final class RequestLedger: Sendable {
    private struct State {
        var requests: [String: Int] = [:]
        var attempts: [String: Int] = [:]
        var served: [String: Int] = [:]
        var faults: [String: [String: Int]] = [:]
    }

    private let state = Mutex(State())

    /// Records one request that named `model`.
    func record(model: String) {
        state.withLock { $0.requests[model, default: 0] += 1 }
    }

    /// Requests that named `model` so far.
    func count(model: String) -> Int {
        state.withLock { $0.requests[model] ?? 0 }
    }

    /// Counts one more sending of `body` to `model` and returns the count, from 1.
    func nextAttempt(model: String, body: [UInt8]) -> Int {
        let key = "\(model)\u{0}\(FNV1a.hash(body))"
        return state.withLock { state in
            state.attempts[key, default: 0] += 1
            return state.attempts[key] ?? 1
        }
    }

    /// Records the faults a request of `model` drew, or that it was served a good answer.
    func record(_ plan: FaultPlan, model: String) {
        state.withLock { state in
            for kind in plan.kinds { state.faults[model, default: [:]][kind.rawValue, default: 0] += 1 }
            if plan.failure == nil { state.served[model, default: 0] += 1 }
        }
    }

    /// Complete, successful answers given by `model` (a slow first byte still counts).
    func servedCount(model: String) -> Int {
        state.withLock { $0.served[model] ?? 0 }
    }

    /// Injected faults: model → kind (`rate_limit`, ...) → count, for every model that had one.
    func faultCounts() -> [String: [String: Int]] {
        state.withLock { $0.faults }
    }

    /// The requests, served answers and faults per model, with zeros for the `models` listed.
    func stats(models: [String]) -> JSONValue {
        let state = state.withLock { $0 }
        let names = (Set(models).union(state.requests.keys)).sorted()
        func counts(_ values: [String: Int]) -> JSONValue {
            .object(names.map { ($0, .int(values[$0] ?? 0)) })
        }
        let faults: JSONValue = .object(names.map { name in
            let kinds = state.faults[name] ?? [:]
            return (name, .object(kinds.keys.sorted().map { ($0, .int(kinds[$0] ?? 0)) }))
        })
        return ["requests": counts(state.requests), "served": counts(state.served), "faults": faults]
    }
}
