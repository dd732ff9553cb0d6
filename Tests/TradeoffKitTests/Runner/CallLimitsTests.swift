import Foundation
import Testing
import Synchronization
@testable import TradeoffKit

/// Every lane's limits in one place: a candidate takes a slot of its own and of the shared
/// limits; a judge counts against the shared rates but holds no shared slot.
struct CallLimitsTests {
    private static let group = SharedLimits(name: "acme", limits: RateLimits(maxConcurrency: 2, requestsPerMinute: 120))

    private static func model(_ id: String, concurrency: Int = 8) -> ModelEntry {
        ModelEntry(id: id, baseURL: "http://127.0.0.1:1/v1", model: id, modelClass: .open, price: nil, apiKeyEnv: nil,
                   maxConcurrency: concurrency, sharedLimits: group)
    }

    @Test func candidatesShareTheGroupsSlots() {
        var limits = CallLimits([.init(Self.model("a")), .init(Self.model("b"))], now: 0)
        #expect(limits.lanes(sharingWith: 0) == [0, 1])
        limits.begin(0, tokens: 10, now: 0)
        limits.begin(1, tokens: 10, now: 0)
        // Each has room of its own, but the group's two slots are taken.
        #expect(limits.hasRoom(0))
        #expect(limits.decision(0, tokens: 10, now: 5, retry: false).0 == .full)
        limits.end(1)
        #expect(limits.decision(0, tokens: 10, now: 5, retry: false).0 == .start)
    }

    @Test func aJudgeCountsAgainstTheSharedRatesWithoutTakingASharedSlot() {
        var limits = CallLimits([.init(Self.model("a")), .init(Self.model("a"), judge: true)], now: 0)
        // Candidates hold both shared slots (waiting for their verdicts): the judge may still go.
        limits.begin(0, tokens: 10, now: 0)
        limits.begin(0, tokens: 10, now: 0)
        #expect(limits.decision(0, tokens: 10, now: 5, retry: false).0 == .full)
        #expect(limits.decision(1, tokens: 10, now: 5, retry: false).0 == .start)
        // But it spends the group's requests per minute (2 a second: the next may start when the
        // first of its two leaves the one-second window).
        limits.begin(1, tokens: 10, now: 5)
        limits.begin(1, tokens: 10, now: 5)
        guard case .wait(let seconds) = limits.decision(1, tokens: 10, now: 5, retry: false).0 else {
            Issue.record("the shared requests per minute hold the judge back")
            return
        }
        #expect(abs(seconds - 1 - RateGate.arrivalSlack) < 1e-9)
        // Its ends free its own slots and leave the candidates' shared ones taken.
        limits.end(1)
        limits.end(1)
        #expect(limits.inFlight(1) == 0)
        #expect(limits.decision(0, tokens: 10, now: 6, retry: false).0 == .full)
    }

    @Test func retriesGoFirstAndWaitingCallsStartInArrivalOrder() {
        var limits = CallLimits([.init(Self.model("j", concurrency: 2), judge: true)], now: 0)
        let order = Order()
        for name in ["first", "second", "third"] { limits.enqueue(0, .init(tokens: 10) { order.append(name) }) }
        var ready = limits.takeReady(0, now: 0)
        #expect(ready.started.count == 2)
        #expect(!ready.free)
        ready.started.forEach { $0() }
        #expect(order.names == ["first", "second"])
        // An attempt failed and its backoff is over: it goes before the third call.
        _ = limits.attemptEnded(0, startedAt: 0, tokens: 10, throttled: false, retryAfter: nil, headers: nil, now: 1.1)
        limits.enqueueRetry(0, .init(tokens: 10) { order.append("retry") })
        ready = limits.takeReady(0, now: 1.1)
        ready.started.forEach { $0() }
        #expect(order.names == ["first", "second", "retry"])
        limits.end(0)
        ready = limits.takeReady(0, now: 2)
        ready.started.forEach { $0() }
        #expect(order.names == ["first", "second", "retry", "third"])
        #expect(ready.free)
    }

    @Test func a429CutsOnlyTheLaneThatGotIt() {
        var limits = CallLimits([.init(Self.model("a", concurrency: 8)), .init(Self.model("b", concurrency: 8))], now: 0)
        limits.begin(0, tokens: 10, now: 0)
        let cut = limits.attemptEnded(0, startedAt: 0, tokens: 10, throttled: true, retryAfter: 30, headers: nil, now: 1)
        #expect(cut == 4)
        // Paused by its retry-after; the other model in the group is not.
        #expect(limits.decision(0, tokens: 10, now: 2, retry: true).0 == .wait(29))
        #expect(limits.decision(1, tokens: 10, now: 2, retry: false).0 == .start)
    }
}

/// Names appended in the order work ran.
private final class Order: Sendable {
    private let storage = Mutex<[String]>([])
    func append(_ name: String) { storage.withLock { $0.append(name) } }
    var names: [String] { storage.withLock { $0 } }
}
