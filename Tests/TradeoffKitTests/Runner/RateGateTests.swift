import Foundation
import Testing
@testable import TradeoffKit

/// The limits, driven by an explicit clock: buckets, AIMD on 429s, pauses and header throttling.
struct RateGateTests {
    @Test func bucketRefillsAtItsRateAndHoldsOneSecond() {
        var bucket = TokenBucket(perMinute: 600, burstSeconds: 1, now: 0)
        #expect(bucket.capacity == 10)
        for _ in 0..<10 {
            #expect(bucket.wait(for: 1, now: 0) == 0)
            bucket.take(1, now: 0)
        }
        // Empty: the next request waits a tenth of a second (10 a second).
        #expect(abs(bucket.wait(for: 1, now: 0) - 0.1) < 1e-9)
        #expect(bucket.wait(for: 1, now: 0.1) == 0)
        // It never holds more than a second's worth, however long it rested.
        #expect(abs(bucket.wait(for: 11, now: 100) - 0) < 1e-9)
        bucket.take(11, now: 100)
        #expect(bucket.level == -1)
    }

    @Test func anAmountOverTheCapacityWaitsForAFullBucketThenGoesIntoDebt() {
        var bucket = TokenBucket(perMinute: 6_000, burstSeconds: 1, now: 0)  // 100 tokens a second
        bucket.take(100, now: 0)
        // A 1,000-token prompt needs the full bucket (1 s), then leaves it 900 in debt.
        #expect(abs(bucket.wait(for: 1_000, now: 0) - 1) < 1e-9)
        bucket.take(1_000, now: 1)
        #expect(abs(bucket.wait(for: 1, now: 1) - 9.01) < 1e-9)
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
        // 2 a second: a burst of 2 (one second's worth), then one every 0.5 s.
        #expect(starts.prefix(2) == [0, 0])
        for (earlier, later) in zip(starts.dropFirst(), starts.dropFirst(2)) { #expect(abs(later - earlier - 0.5) < 1e-9) }
    }

    @Test func tokensPerMinuteCountsMaxTokensAndRefundsWhatWasNotUsed() {
        var gate = RateGate(RateLimits(tokensPerMinute: 60_000), adaptive: false, now: 0)  // 1,000 a second
        gate.begin(tokens: 1_000, now: 0)
        guard case .wait(let wait) = gate.decision(tokens: 1_000, now: 0).0 else {
            Issue.record("the bucket should be empty")
            return
        }
        #expect(abs(wait - 1) < 1e-9)
        // The call used 300 of the 1,000 it was counted for: 700 come back.
        gate.end(estimatedTokens: 1_000, usedTokens: 300, now: 0)
        guard case .wait(let shorter) = gate.decision(tokens: 1_000, now: 0).0 else {
            Issue.record("still 300 short")
            return
        }
        #expect(abs(shorter - 0.3) < 1e-9)
        #expect(gate.decision(tokens: 700, now: 0).0 == .start)
    }

    @Test func aimdHalvesOnA429OncePerRoundAndGrowsBackByOnePerWindow() {
        var gate = RateGate(RateLimits(maxConcurrency: 16), adaptive: true, now: 0)
        for _ in 0..<16 { gate.begin(tokens: 1, now: 0) }
        #expect(gate.decision(tokens: 1, now: 0).0 == .full)
        // Three 429s for calls started before the cut: one cut, to 8.
        #expect(gate.attemptEnded(startedAt: 0, throttled: true, retryAfter: nil, headers: nil, now: 1) == 8)
        #expect(gate.attemptEnded(startedAt: 0, throttled: true, retryAfter: nil, headers: nil, now: 1.1) == nil)
        #expect(gate.attemptEnded(startedAt: 0.5, throttled: true, retryAfter: nil, headers: nil, now: 1.2) == nil)
        #expect(gate.allowedInFlight == 8)
        // A call started after the cut that is throttled again cuts again.
        #expect(gate.attemptEnded(startedAt: 1.5, throttled: true, retryAfter: nil, headers: nil, now: 2) == 4)
        for _ in 0..<12 { gate.attemptEnded(startedAt: 0, throttled: false, retryAfter: nil, headers: nil, now: 2) }
        for _ in 0..<16 { gate.end(estimatedTokens: 1, usedTokens: 1, now: 2) }
        #expect(gate.inFlight == 0 && gate.onWire == 0)
        // Additive increase: about one slot per window of answers.
        var answers = 0
        while gate.allowedInFlight < 16 {
            gate.begin(tokens: 1, now: 3)
            gate.attemptEnded(startedAt: 3, throttled: false, retryAfter: nil, headers: nil, now: 3)
            gate.end(estimatedTokens: 1, usedTokens: 1, now: 3)
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
        for _ in 0..<8 { gate.attemptEnded(startedAt: 0, throttled: true, retryAfter: nil, headers: nil, now: 1) }
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
            gate.attemptEnded(startedAt: Double(round) + 0.5, throttled: true, retryAfter: nil, headers: nil,
                              now: Double(round + 1))
        }
        #expect(gate.allowedInFlight == 1)
        #expect(gate.decision(tokens: 1, now: 20).0 == .start)
    }

    @Test func aSharedGateKeepsItsLimit() {
        var gate = RateGate(RateLimits(maxConcurrency: 8), adaptive: false, now: 0)
        gate.attemptEnded(startedAt: 0, throttled: true, retryAfter: nil, headers: nil, now: 1)
        #expect(gate.allowedInFlight == 8)
    }

    @Test func retryAfterPausesTheWholeScope() {
        var gate = RateGate(RateLimits(maxConcurrency: 4), adaptive: true, now: 0)
        gate.begin(tokens: 1, now: 0)
        gate.attemptEnded(startedAt: 0, throttled: true, retryAfter: 3, headers: nil, now: 1)
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
        gate.attemptEnded(startedAt: 0, throttled: false, retryAfter: nil, headers: headers, now: 0.5)
        gate.end(estimatedTokens: 100, usedTokens: 100, now: 0.5)
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
        fresh.attemptEnded(startedAt: 0, throttled: false, retryAfter: nil,
                           headers: RateLimitHeaders(tokens: .init(remaining: 500, resetsIn: 4)), now: 0)
        #expect(fresh.decision(tokens: 400, now: 1).0 == .start)
        #expect(fresh.decision(tokens: 600, now: 1).0 == .wait(3))
    }
}
