import Synchronization

/// What a server has seen, shared by every connection: requests per model, how often each exact
/// body was sent (for fault draws), and the faults and successful answers per model.
final class RequestLedger: Sendable {
    private struct State {
        var requests: [String: Int] = [:]
        var attempts: [String: Int] = [:]
        var served: [String: Int] = [:]
        var faults: [String: [String: Int]] = [:]
        var limits: [String: LimitState] = [:]
        var connections = 0
    }

    /// One model's standing against its limits.
    private struct LimitState {
        var windowStart: UInt64 = 0
        var requests = 0
        var tokens = 0
        var inFlight = 0
        var peakInFlight = 0
    }

    private let state = Mutex(State())

    /// Records one accepted TCP connection.
    func recordConnection() {
        state.withLock { $0.connections += 1 }
    }

    /// TCP connections accepted so far: with keep-alive, far fewer than requests.
    func connectionCount() -> Int {
        state.withLock { $0.connections }
    }

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

    /// Admits a request of `tokens` to `model` under `limits`, or says which limit refuses it.
    /// An admitted request is in flight until ``leave(model:)``.
    ///
    /// - Parameter now: nanoseconds on a monotonic clock.
    func admit(model: String, limits: FakeProviderConfig.Limits, tokens: Int,
               now: UInt64) -> (LimitStatus, refused: LimitStatus.Refusal?) {
        state.withLock { state in
            var entry = state.limits[model] ?? LimitState(windowStart: now)
            defer { state.limits[model] = entry }
            let window = UInt64(limits.windowMs) * 1_000_000
            if now >= entry.windowStart + window {
                entry.windowStart = now - (now - entry.windowStart) % window
                entry.requests = 0
                entry.tokens = 0
            }
            var refused: LimitStatus.Refusal?
            if let limit = limits.maxConcurrency, entry.inFlight >= limit {
                refused = .concurrency
            } else if let limit = limits.requests, entry.requests >= limit {
                refused = .requests
            } else if let limit = limits.tokens, entry.tokens + tokens > limit {
                refused = .tokens
            } else {
                entry.requests += 1
                entry.tokens += tokens
                entry.inFlight += 1
                entry.peakInFlight = max(entry.peakInFlight, entry.inFlight)
            }
            if refused != nil { state.faults[model, default: [:]]["limited", default: 0] += 1 }
            let resetMs = Int((entry.windowStart + window - now + 999_999) / 1_000_000)
            let status = LimitStatus(requestLimit: limits.requests,
                                     requestsRemaining: max(0, (limits.requests ?? Int.max) - entry.requests),
                                     tokenLimit: limits.tokens,
                                     tokensRemaining: max(0, (limits.tokens ?? Int.max) - entry.tokens), resetMs: resetMs)
            return (status, refused)
        }
    }

    /// An admitted request of `model` is over.
    func leave(model: String) {
        state.withLock { $0.limits[model]?.inFlight -= 1 }
    }

    /// The most requests of `model` answered at once.
    func peakInFlight(model: String) -> Int {
        state.withLock { $0.limits[model]?.peakInFlight ?? 0 }
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
        return ["requests": counts(state.requests), "served": counts(state.served), "faults": faults,
                "peak_in_flight": counts(state.limits.mapValues(\.peakInFlight)),
                "connections": .int(state.connections)]
    }
}
