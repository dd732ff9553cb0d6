import Foundation
import Testing
@testable import TradeoffKit

/// The limits, driven by an explicit clock: buckets, AIMD on 429s, pauses and header throttling.
struct RateGateTests {
    @Test func aWindowHoldsOneSecondsWorthOfStarts() {
        var window = RateWindow(perMinute: 600)
        #expect(window.capacity == 10)
        for index in 0..<10 {
            #expect(window.wait(for: 1, now: Double(index) * 0.01) == 0)
            window.take(1, now: Double(index) * 0.01)
        }
        // Full: the next start waits until the first leaves the window, one second after it began.
        #expect(abs(window.wait(for: 1, now: 0.5) - 0.5) < 1e-9)
        #expect(abs(window.wait(for: 3, now: 0.5) - 0.52) < 1e-9)
        #expect(window.wait(for: 1, now: 1) == 0)
        // However long it rested, it never lets more than a second's worth through.
        #expect(window.wait(for: 10, now: 100) == 0)
        window.take(10, now: 100)
        #expect(abs(window.wait(for: 1, now: 100) - 1) < 1e-9)
    }

    /// A token bucket refills while it is drained, so one fixed second could see twice its rate:
    /// what a sliding window lets through never passes the limit in any second.
    @Test func noSecondSeesMoreThanTheLimit() {
        var window = RateWindow(perMinute: 1_200)  // 20 a second
        var starts: [Double] = []
        var now = 0.0
        while starts.count < 200 {
            let wait = window.wait(for: 1, now: now)
            if wait > 0 {
                now += wait
            } else {
                window.take(1, now: now)
                starts.append(now)
                now += 0.013
            }
        }
        for start in stride(from: 0.0, to: now, by: 0.05) {
            #expect(starts.filter { $0 >= start && $0 < start + 1 }.count <= 20)
        }
        // And the long-run rate is the limit's: 200 starts in about 10 seconds.
        #expect(now < 10.5)
    }

    @Test func anAmountOverTheCapacityWaitsForAnEmptyWindowThenHoldsItAtTheRate() {
        var window = RateWindow(perMinute: 6_000)  // 100 tokens a second
        window.take(100, now: 0)
        // A 1,000-token prompt needs the empty window (1 s), then holds it for 10 s.
        #expect(abs(window.wait(for: 1_000, now: 0) - 1) < 1e-9)
        window.take(1_000, now: 1)
        #expect(abs(window.wait(for: 1, now: 1) - 10) < 1e-9)
    }

    @Test func requestsPerMinuteSpacesTheStarts() {
        var gate = RateGate(RateLimits(maxConcurrency: 100, requestsPerMinute: 120), adaptive: true, now: 0)
        var starts: [Double] = []
        var now = 0.0
        while starts.count < 10 {
            switch gate.decision(tokens: 10, now: now).0 {
            case .start:
                gate.begin(tokens: 10, now: now)
                starts.append(now)
            case .wait(let seconds):
                now += seconds
            case .full:
                Issue.record("100 slots cannot be full")
                return
            }
        }
        // 2 a second: two at once (one second's worth), then two more as those leave the window
        // (a second and the slack for when the provider counts them).
        let slack = RateGate.arrivalSlack
        let expected = (0..<5).flatMap { round in [Double(round) * (1 + slack), Double(round) * (1 + slack)] }
        #expect(zip(starts, expected).allSatisfy { abs($0 - $1) < 1e-9 })
    }

    /// OpenAI's limiter counts a request as its prompt plus `max_tokens`, used or not: giving the
    /// unused part back let a run outpace it (33 429s in 200 calls in `make bench`).
    @Test func tokensPerMinuteCountsMaxTokensAndGivesNothingBack() {
        var gate = RateGate(RateLimits(tokensPerMinute: 60_000), adaptive: false, now: 0)  // 1,000 a second
        gate.begin(tokens: 1_000, now: 0)
        gate.attemptEnded(startedAt: 0, tokens: 1_000, throttled: false, retryAfter: nil, headers: nil, now: 0.1)
        gate.end()
        guard case .wait(let wait) = gate.decision(tokens: 1_000, now: 0.1).0 else {
            Issue.record("the window is full until the call leaves it")
            return
        }
        #expect(abs(wait - 0.9 - RateGate.arrivalSlack) < 1e-9)
        #expect(gate.decision(tokens: 1_000, now: 1 + RateGate.arrivalSlack).0 == .start)
    }

    @Test func aimdHalvesOnA429OncePerRoundAndGrowsBackByOnePerWindow() {
        var gate = RateGate(RateLimits(maxConcurrency: 16), adaptive: true, now: 0)
        for _ in 0..<16 { gate.begin(tokens: 1, now: 0) }
        #expect(gate.decision(tokens: 1, now: 0).0 == .full)
        // Three 429s for calls started before the cut: one cut, to 8.
        #expect(gate.attemptEnded(startedAt: 0, tokens: 1, throttled: true, retryAfter: nil, headers: nil, now: 1) == 8)
        #expect(gate.attemptEnded(startedAt: 0, tokens: 1, throttled: true, retryAfter: nil, headers: nil, now: 1.1) == nil)
        #expect(gate.attemptEnded(startedAt: 0.5, tokens: 1, throttled: true, retryAfter: nil, headers: nil, now: 1.2) == nil)
        #expect(gate.allowedInFlight == 8)
        // A call started after the cut that is throttled again cuts again.
        #expect(gate.attemptEnded(startedAt: 1.5, tokens: 1, throttled: true, retryAfter: nil, headers: nil, now: 2) == 4)
        for _ in 0..<12 { gate.attemptEnded(startedAt: 0, tokens: 1, throttled: false, retryAfter: nil, headers: nil, now: 2) }
        for _ in 0..<16 { gate.end() }
        #expect(gate.inFlight == 0 && gate.onWire == 0)
        // Additive increase: about one slot per window of answers.
        var answers = 0
        while gate.allowedInFlight < 16 {
            gate.begin(tokens: 1, now: 3)
            gate.attemptEnded(startedAt: 3, tokens: 1, throttled: false, retryAfter: nil, headers: nil, now: 3)
            gate.end()
            answers += 1
        }
        // Each answer adds 1/window: from 4 to 16 takes about (16² − 4²) / 2 = 120 answers.
        #expect((100...125).contains(answers))
        #expect(gate.allowedInFlight == 16)
    }

    @Test func retriesWaitForTheWireUnderTheCutWindow() {
        var gate = RateGate(RateLimits(maxConcurrency: 8), adaptive: true, now: 0)
        for _ in 0..<8 { gate.begin(tokens: 1, now: 0) }
        // All eight come back 429: the window is cut to 4 and the eight wait to retry.
        for _ in 0..<8 { gate.attemptEnded(startedAt: 0, tokens: 1, throttled: true, retryAfter: nil, headers: nil, now: 1) }
        #expect(gate.allowedInFlight == 4 && gate.inFlight == 8 && gate.onWire == 0)
        var sent = 0
        while gate.decision(tokens: 1, now: 2, retry: true).0 == .start {
            gate.retry(tokens: 1, now: 2)
            sent += 1
        }
        #expect(sent == 4)
        // No new call starts while eight hold a slot.
        #expect(gate.decision(tokens: 1, now: 2).0 == .full)
    }

    @Test func theWindowNeverFallsBelowOne() {
        var gate = RateGate(RateLimits(maxConcurrency: 2), adaptive: true, now: 0)
        for round in 0..<10 {
            gate.attemptEnded(startedAt: Double(round) + 0.5, tokens: 1, throttled: true, retryAfter: nil, headers: nil,
                              now: Double(round + 1))
        }
        #expect(gate.allowedInFlight == 1)
        #expect(gate.decision(tokens: 1, now: 20).0 == .start)
    }

    @Test func aSharedGateKeepsItsLimit() {
        var gate = RateGate(RateLimits(maxConcurrency: 8), adaptive: false, now: 0)
        gate.attemptEnded(startedAt: 0, tokens: 1, throttled: true, retryAfter: nil, headers: nil, now: 1)
        #expect(gate.allowedInFlight == 8)
    }

    @Test func retryAfterPausesTheWholeScope() {
        var gate = RateGate(RateLimits(maxConcurrency: 4), adaptive: true, now: 0)
        gate.begin(tokens: 1, now: 0)
        gate.attemptEnded(startedAt: 0, tokens: 1, throttled: true, retryAfter: 3, headers: nil, now: 1)
        let (decision, reason) = gate.decision(tokens: 1, now: 2)
        #expect(decision == .wait(2))
        #expect(reason == .retryAfter)
        #expect(gate.decision(tokens: 1, now: 4).0 == .start)
    }

    @Test func headersThrottleAheadOfTime() {
        var gate = RateGate(RateLimits(maxConcurrency: 10), adaptive: true, now: 0)
        gate.begin(tokens: 100, now: 0)
        gate.begin(tokens: 100, now: 0)
        // The first call's answer says 3 requests are left for 2 s; the other call in flight takes one.
        let headers = RateLimitHeaders(requests: .init(remaining: 3, resetsIn: 2), tokens: .init(remaining: 5_000, resetsIn: 1))
        gate.attemptEnded(startedAt: 0, tokens: 100, throttled: false, retryAfter: nil, headers: headers, now: 0.5)
        gate.end()
        #expect(gate.decision(tokens: 100, now: 0.5).0 == .start)
        gate.begin(tokens: 100, now: 0.5)
        #expect(gate.decision(tokens: 100, now: 0.5).0 == .start)
        gate.begin(tokens: 100, now: 0.5)
        let (decision, reason) = gate.decision(tokens: 100, now: 0.6)
        #expect(decision == .wait(1.9))
        #expect(reason == .headers)
        // Not enough tokens left for a big prompt: wait for the tokens' reset.
        #expect(gate.decision(tokens: 10_000, now: 2.6).0 == .start)
        var fresh = RateGate(RateLimits(maxConcurrency: 10), adaptive: true, now: 0)
        fresh.begin(tokens: 1, now: 0)
        fresh.attemptEnded(startedAt: 0, tokens: 1, throttled: false, retryAfter: nil,
                           headers: RateLimitHeaders(tokens: .init(remaining: 500, resetsIn: 4)), now: 0)
        #expect(fresh.decision(tokens: 400, now: 1).0 == .start)
        #expect(fresh.decision(tokens: 600, now: 1).0 == .wait(3))
    }
}
