import Foundation
import Testing
@testable import TradeoffKit

/// The run's lifecycle driven event by event, without a server, a clock or a thread: what each
/// lane starts, what the budget holds back, how cancel, abort and model stops end the run.
struct RunStateMachineTests {
    private static func lane(_ id: String, concurrency: Int = 4, shared: SharedLimits? = nil) -> CallLimits.LaneSpec {
        CallLimits.LaneSpec(ModelEntry(id: id, baseURL: "http://127.0.0.1:1/v1", model: id, modelClass: .open,
                                       price: nil, apiKeyEnv: nil, maxConcurrency: concurrency, sharedLimits: shared))
    }

    private static func prepared(_ item: Int) -> RunStateMachine.Prepared {
        RunStateMachine.Prepared(itemIndex: item, inputTokens: 100, maxTokens: 50)
    }

    private static let answered = RunStateMachine.Ended(errorClass: nil, httpStatus: 200, errorMessage: nil,
                                                        spentMicros: 10, judgeCostMicros: 0, graderErrors: 0)

    private static func failed(_ kind: CallError.Kind) -> RunStateMachine.Ended {
        RunStateMachine.Ended(errorClass: kind, httpStatus: 401, errorMessage: "bad key", spentMicros: 0,
                              judgeCostMicros: 0, graderErrors: 0)
    }

    /// Asks the lane for its next step, preparing the item first when asked to.
    private static func start(_ machine: inout RunStateMachine, _ lane: Int, limits: inout CallLimits,
                              now: Double = 0) -> RunStateMachine.Step {
        var step = machine.next(lane, prepared: nil, limits: &limits, now: now)
        if case .prepare(let item) = step { step = machine.next(lane, prepared: prepared(item), limits: &limits, now: now) }
        return step
    }

    @Test func aLaneStartsItsItemsInOrderUpToItsConcurrencyThenEnds() {
        var limits = CallLimits([Self.lane("a", concurrency: 2)], now: 0)
        var machine = RunStateMachine(prices: [nil], itemCount: 3)
        var tickets: [RunStateMachine.Ticket] = []
        for _ in 0..<3 {
            if case .start(let ticket) = Self.start(&machine, 0, limits: &limits) { tickets.append(ticket) }
        }
        // Two slots: the third waits for one to end.
        #expect(tickets.map(\.itemIndex) == [0, 1])
        #expect(tickets.allSatisfy { $0.tokens == 150 })
        #expect(limits.inFlight(0) == 2)
        do { let ended = machine.finishIfIdle(limits); #expect(!ended) }

        #expect(machine.ended(tickets[0], Self.answered, limits: &limits, now: 1) == .some(nil))
        guard case .start(let third) = Self.start(&machine, 0, limits: &limits) else {
            Issue.record("a freed slot starts the next item")
            return
        }
        #expect(third.itemIndex == 2)
        #expect(machine.next(0, prepared: nil, limits: &limits, now: 1) == .idle)
        _ = machine.ended(tickets[1], Self.answered, limits: &limits, now: 1)
        do { let ended = machine.finishIfIdle(limits); #expect(!ended) }
        _ = machine.ended(third, Self.answered, limits: &limits, now: 1)
        do { let ended = machine.finishIfIdle(limits); #expect(ended) }
        #expect(machine.phase == .finished([], aborted: false))
        #expect(machine.answered == 3 && machine.failed == 0 && machine.costMicros == 30)
        // Ends once.
        do { let ended = machine.finishIfIdle(limits); #expect(!ended) }
    }

    @Test func aResumedRunSkipsWhatItHoldsAndTheCacheAnswersWithoutASlot() {
        var limits = CallLimits([Self.lane("a"), Self.lane("b")], now: 0)
        // Lane 0 holds items 0 and 1; lane 1's item 0 is in the cache as call 42.
        var machine = RunStateMachine(prices: [nil, nil], itemCount: 3, recorded: [0, 1], cacheHits: [3: 42])
        guard case .start(let ticket) = Self.start(&machine, 0, limits: &limits) else {
            Issue.record("lane 0 starts its first item not recorded")
            return
        }
        #expect(ticket.itemIndex == 2)
        #expect(machine.next(0, prepared: nil, limits: &limits, now: 0) == .idle)
        #expect(machine.next(1, prepared: nil, limits: &limits, now: 0) == .replay(itemIndex: 0, origin: 42))
        #expect(limits.inFlight(1) == 0)
        // The replay holds the run open until it is recorded.
        _ = machine.ended(ticket, Self.answered, limits: &limits, now: 0)
        let replayed = RunStateMachine.Ticket(lane: 1, itemIndex: 0, tokens: 0, worstCaseMicros: 0, replayed: true)
        do { let ended = machine.finishIfIdle(limits); #expect(!ended) }
        _ = machine.ended(replayed, Self.answered, limits: &limits, now: 0)
        #expect(machine.replayed == 1)
        #expect(limits.inFlight(1) == 0)
    }

    @Test func theBudgetStopsTheRunBeforeACallThatCouldPassIt() {
        // 100 input + 50 output tokens at $1/$2 per million: 100 + 100 = 200 µ$ worst case.
        let price = Price(inputPerMillion: 1, outputPerMillion: 2)
        var limits = CallLimits([Self.lane("a", concurrency: 10)], now: 0)
        var machine = RunStateMachine(prices: [price], itemCount: 10, budgetMicros: 500)
        var started = 0
        while case .start = Self.start(&machine, 0, limits: &limits) { started += 1 }
        // Two worst cases (400) fit; a third (600) would not.
        #expect(started == 2)
        #expect(machine.reservedMicros == 400)
        #expect(machine.phase == .stopping(.budget))
        // A cancel afterwards is a cause too: the budget stop does not hide it.
        machine.cancel()
        #expect(machine.stopCauses == [.budget, .cancelled])
        let ticket = RunStateMachine.Ticket(lane: 0, itemIndex: 0, tokens: 150, worstCaseMicros: 200)
        _ = machine.ended(ticket, Self.answered, limits: &limits, now: 0)
        #expect(machine.reservedMicros == 200)
        _ = machine.ended(RunStateMachine.Ticket(lane: 0, itemIndex: 1, tokens: 150, worstCaseMicros: 200),
                          Self.answered, limits: &limits, now: 0)
        do { let ended = machine.finishIfIdle(limits); #expect(ended) }
        #expect(machine.phase == .finished([.budget, .cancelled], aborted: false))
    }

    /// A batch lane's calls are held to the budget at batch prices (half here): twice as many fit,
    /// and no call is handed to a batch past the budget.
    @Test func theBudgetHoldsBatchLanesAtBatchPrices() {
        let price = Price(inputPerMillion: 1, outputPerMillion: 2)
        var limits = CallLimits([CallLimits.LaneSpec(batchOf: ModelEntry(id: "a", baseURL: "http://127.0.0.1:1/v1", model: "a",
                                                                          modelClass: .open, price: price, apiKeyEnv: nil))],
                                now: 0)
        var machine = RunStateMachine(prices: [price], itemCount: 10, budgetMicros: 500, batchLanes: [0])
        var started = 0
        while case .start = Self.start(&machine, 0, limits: &limits) { started += 1 }
        // 100 µ$ worst case each at half price: five fit, a sixth would pass 500.
        #expect(started == 5)
        #expect(machine.reservedMicros == 500)
        #expect(machine.phase == .stopping(.budget))
    }

    @Test func cancelLetsTheCallsInFlightFinishAndStartsNoMore() {
        var limits = CallLimits([Self.lane("a")], now: 0)
        var machine = RunStateMachine(prices: [nil], itemCount: 5)
        guard case .start(let ticket) = Self.start(&machine, 0, limits: &limits) else {
            Issue.record("the first call starts")
            return
        }
        machine.cancel()
        #expect(Self.start(&machine, 0, limits: &limits) == .idle)
        do { let ended = machine.finishIfIdle(limits); #expect(!ended) }
        #expect(machine.ended(ticket, Self.answered, limits: &limits, now: 0) == .some(nil))
        do { let ended = machine.finishIfIdle(limits); #expect(ended) }
        #expect(machine.phase == .finished(.cancelled, aborted: false))
    }

    @Test func abortEndsAtOnceAndWhatReturnsLaterIsNotRecorded() {
        var limits = CallLimits([Self.lane("a")], now: 0)
        var machine = RunStateMachine(prices: [nil], itemCount: 5)
        guard case .start(let ticket) = Self.start(&machine, 0, limits: &limits) else {
            Issue.record("the first call starts")
            return
        }
        do { let ended = machine.abort(); #expect(ended) }
        #expect(machine.isAborted && machine.isFinished)
        // The call in flight comes back: not counted, not to be written.
        #expect(machine.ended(ticket, Self.answered, limits: &limits, now: 0) == .none)
        #expect(machine.answered == 0)
        // Aborting again does not end it again.
        do { let ended = machine.abort(); #expect(!ended) }
        do { let ended = machine.finishIfIdle(limits); #expect(!ended) }
    }

    @Test func hardFailuresInARowStopOnlyTheirModelOnce() {
        var limits = CallLimits([Self.lane("a", concurrency: 1), Self.lane("b", concurrency: 1)], now: 0)
        var machine = RunStateMachine(prices: [nil, nil], itemCount: 10)
        var reasons: [String?] = []
        for _ in 0..<RunStateMachine.hardFailuresBeforeStopping {
            guard case .start(let ticket) = Self.start(&machine, 0, limits: &limits) else {
                Issue.record("lane a starts while it has not stopped")
                return
            }
            reasons.append(machine.ended(ticket, Self.failed(.auth), limits: &limits, now: 0) ?? nil)
        }
        #expect(reasons.dropLast().allSatisfy { $0 == nil })
        #expect(reasons.last??.hasPrefix("3 calls in a row failed with auth (HTTP 401): bad key") == true)
        #expect(machine.stopReasons.keys.sorted() == [0])
        #expect(machine.next(0, prepared: nil, limits: &limits, now: 0) == .idle)
        // The other model goes on.
        guard case .start = Self.start(&machine, 1, limits: &limits) else {
            Issue.record("lane b is not stopped")
            return
        }
    }

    /// A model stopped for a bad key, then the budget, then a Ctrl-C: all three are kept, where
    /// the run used to keep one and hide the others.
    @Test func everyCauseOfAStopIsKept() {
        let price = Price(inputPerMillion: 1, outputPerMillion: 2)
        var limits = CallLimits([Self.lane("good", concurrency: 10), Self.lane("bad", concurrency: 1)], now: 0)
        var machine = RunStateMachine(prices: [price, nil], itemCount: 10, budgetMicros: 500)
        for _ in 0..<RunStateMachine.hardFailuresBeforeStopping {
            guard case .start(let ticket) = Self.start(&machine, 1, limits: &limits) else {
                Issue.record("the bad lane starts until it is stopped")
                return
            }
            _ = machine.ended(ticket, Self.failed(.auth), limits: &limits, now: 0)
        }
        var tickets: [RunStateMachine.Ticket] = []
        while case .start(let ticket) = Self.start(&machine, 0, limits: &limits) { tickets.append(ticket) }
        #expect(tickets.count == 2 && machine.stopCauses == .budget)
        machine.cancel()
        for ticket in tickets { _ = machine.ended(ticket, Self.answered, limits: &limits, now: 0) }
        do { let ended = machine.finishIfIdle(limits); #expect(ended) }
        #expect(machine.phase == .finished([.budget, .cancelled], aborted: false))
        #expect(machine.stopReasons(modelIDs: ["good", "bad"], callsLeft: true) == [
            .budget(detail: "no call was started that could take the spend past \(Money.format(micros: 500))"),
            .modelStopped(modelID: "bad", reason: "3 calls in a row failed with auth (HTTP 401): bad key"),
            .interrupted,
        ])
        // A Ctrl-C that left no call unmade stopped nothing.
        #expect(machine.stopReasons(modelIDs: ["good", "bad"], callsLeft: false).count == 2)
    }

    @Test func aRetryWaitingForRoomGoesBeforeANewCall() {
        var limits = CallLimits([Self.lane("a", concurrency: 1)], now: 0)
        var machine = RunStateMachine(prices: [nil], itemCount: 5)
        guard case .start = Self.start(&machine, 0, limits: &limits) else {
            Issue.record("the first call starts")
            return
        }
        limits.enqueueRetry(0, CallLimits.Queued(tokens: 150) {})
        #expect(machine.next(0, prepared: Self.prepared(1), limits: &limits, now: 0) == .idle)
    }

    @Test func aLimitHoldsTheLaneBackWithOneWakeAndATellingNote() {
        var spec = Self.lane("a", concurrency: 10)
        spec.limits.requestsPerMinute = 6  // one every 10 s
        var limits = CallLimits([spec], now: 0)
        var machine = RunStateMachine(prices: [nil], itemCount: 5)
        guard case .start = Self.start(&machine, 0, limits: &limits) else {
            Issue.record("the first call starts")
            return
        }
        // Ten seconds, and the slack for when the provider counts the request (`RateGate.arrivalSlack`).
        #expect(Self.start(&machine, 0, limits: &limits)
                == .wake(CallLimits.Wake(after: 10.025, note: "a: waiting 11 s for its requests per minute")))
        // A wake is already scheduled: no second one, and the note is not told again.
        #expect(Self.start(&machine, 0, limits: &limits) == .idle)
        limits.woke(0)
        #expect(Self.start(&machine, 0, limits: &limits, now: 1) == .wake(CallLimits.Wake(after: 9.025, note: nil)))
        limits.woke(0)
        guard case .start(let ticket) = Self.start(&machine, 0, limits: &limits, now: 10.025) else {
            Issue.record("the start left the window after 10 s")
            return
        }
        #expect(ticket.itemIndex == 1)
    }
}
