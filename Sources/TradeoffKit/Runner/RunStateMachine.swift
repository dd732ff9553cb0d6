/// A run's bookkeeping, as one value that events change and that says what to do next: which
/// call each model starts, what the budget holds back, when the run stops and when it is over.
/// Pure (no I/O, no clock, no locks): `Runner` performs what it returns under its lock.
///
/// The calls of a model are its lane: item by item, skipping what a resumed run already holds,
/// replaying what the response cache answers, and starting the rest while the lane's limits
/// (`CallLimits`) and the budget allow.
struct RunStateMachine: Sendable {
    /// Why a run stops before every call was made: every cause that happened, so a Ctrl-C after
    /// a budget stop (or the other way round) is not lost.
    struct StopCauses: OptionSet, Sendable, Hashable {
        let rawValue: Int
        /// `cancel()`, `abort()`, or the results can no longer be written.
        static let cancelled = StopCauses(rawValue: 1)
        /// The next call could have taken the spend past the budget.
        static let budget = StopCauses(rawValue: 2)
    }

    /// Where the run is.
    enum Phase: Sendable, Hashable {
        /// Starting calls.
        case running
        /// No call starts any more; those in flight finish and are recorded.
        case stopping(StopCauses)
        /// Every call has ended, or (`aborted`) the calls in flight were abandoned unrecorded;
        /// with the causes of a stop (empty when every call was made).
        case finished(StopCauses, aborted: Bool)
    }

    /// A call's place in the limits and the budget, taken when it starts and given back when it ends.
    struct Ticket: Sendable, Hashable {
        var lane: Int
        var itemIndex: Int
        /// What the call is counted for against tokens per minute: its input and `max_tokens`.
        var tokens: Int
        /// Held against the budget until the call ends.
        var worstCaseMicros: Int64
        /// An answer replayed from the response cache: it took no place under the limits.
        var replayed = false
    }

    /// The next call of a lane, read and rendered (outside the lock) for the machine to start.
    struct Prepared: Sendable, Hashable {
        var itemIndex: Int
        var inputTokens: Int
        var maxTokens: Int
    }

    /// What a lane does next.
    enum Step: Sendable, Hashable {
        /// Send this call: its slot is taken.
        case start(Ticket)
        /// Read the case of this item and render its request, then ask again.
        case prepare(itemIndex: Int)
        /// Answer this item from the response cache, with the call recorded as `origin`.
        case replay(itemIndex: Int, origin: Int64)
        /// A limit holds the next call back: look again after this.
        case wake(CallLimits.Wake)
        /// Nothing to start now (no work, no room, stopped, or a look is already scheduled).
        case idle
    }

    /// How a call ended, as far as the run's counts go.
    struct Ended: Sendable, Hashable {
        var errorClass: CallError.Kind?
        var httpStatus: Int?
        var errorMessage: String?
        var spentMicros: Int64
        var judgeCostMicros: Int64
        var graderErrors: Int
    }

    /// After this many calls of a model in a row fail with an error that retrying cannot fix
    /// (auth, out of credits, model not found), the model's remaining calls are not made.
    static let hardFailuresBeforeStopping = 3

    /// Answers replayed from the cache at once, per model.
    static let replaysInFlight = 32

    private struct Lane: Sendable {
        var next = 0
        var hardFailuresInARow = 0
        var stopReason: String?
        /// Answers being replayed from the response cache (read and graded).
        var replaying = 0
    }

    private(set) var phase = Phase.running
    private var lanes: [Lane]
    private let itemCount: Int
    private let budgetMicros: Int64?
    /// Each lane's prices, for the worst case a call is held to against the budget.
    private let prices: [Price?]
    /// The lanes sending their calls in provider batches: held to the budget at batch prices.
    private let batchLanes: Set<Int>
    /// Calls a resumed run already holds: `lane × items + item`.
    private let recorded: Set<Int>
    /// Calls the cache answers: `lane × items + item` → the recorded call to replay.
    private let cacheHits: [Int: Int64]

    private(set) var answered = 0
    private(set) var failed = 0
    private(set) var costMicros: Int64 = 0
    private(set) var judgeCostMicros: Int64 = 0
    private(set) var graderErrors = 0
    /// Answers replayed from the response cache.
    private(set) var replayed = 0
    /// Worst-case cost of the calls in flight, held against the budget until they end.
    private(set) var reservedMicros: Int64 = 0

    /// - Parameters:
    ///   - prices: each lane's model's prices (lanes `0..<prices.count`, the first of `CallLimits`).
    ///   - itemCount: calls per lane.
    ///   - budgetMicros: a call starts only while the spend so far plus the worst case of the calls
    ///     in flight and of this one stays within it; unpriced models cannot be held to it. A call
    ///     of a batch lane is handed to its batch only when it fits, so no batch can pass it.
    ///   - batchLanes: the lanes whose calls go through a batch API, at batch prices.
    init(prices: [Price?], itemCount: Int, budgetMicros: Int64? = nil, recorded: Set<Int> = [],
         cacheHits: [Int: Int64] = [:], batchLanes: Set<Int> = []) {
        lanes = prices.map { _ in Lane() }
        self.prices = prices
        self.batchLanes = batchLanes
        self.itemCount = itemCount
        self.budgetMicros = budgetMicros
        self.recorded = recorded
        self.cacheHits = cacheHits
    }

    var isFinished: Bool { if case .finished = phase { true } else { false } }

    /// Every cause of a stop so far; empty while running.
    var stopCauses: StopCauses {
        switch phase {
        case .running: []
        case .stopping(let causes): causes
        case .finished(let causes, _): causes
        }
    }

    /// Every reason the run stopped before every call was made, as stored with it: the budget,
    /// each stopped model, then an interrupt when it left calls unmade (a Ctrl-C after the
    /// last call stopped nothing).
    ///
    /// - Parameters:
    ///   - modelIDs: each lane's model id.
    ///   - callsLeft: whether calls of the plan were not made.
    func stopReasons(modelIDs: [String], callsLeft: Bool) -> [StopReason] {
        var reasons: [StopReason] = []
        if stopCauses.contains(.budget) {
            let limit = Money.format(micros: budgetMicros ?? 0)
            reasons.append(.budget(detail: "no call was started that could take the spend past \(limit)"))
        }
        for (index, lane) in lanes.enumerated() {
            if let reason = lane.stopReason { reasons.append(.modelStopped(modelID: modelIDs[index], reason: reason)) }
        }
        if stopCauses.contains(.cancelled) && callsLeft { reasons.append(.interrupted) }
        return reasons
    }

    /// Whether the calls in flight were abandoned: what they return is not recorded.
    var isAborted: Bool { if case .finished(_, aborted: true) = phase { true } else { false } }

    /// Why each stopped lane stopped, by lane.
    var stopReasons: [Int: String] {
        var reasons: [Int: String] = [:]
        for (index, lane) in lanes.enumerated() { if let reason = lane.stopReason { reasons[index] = reason } }
        return reasons
    }

    /// What `lane` does next. `prepared` is the call last read for it (nil at first).
    mutating func next(_ laneIndex: Int, prepared: Prepared?, limits: inout CallLimits, now: Double) -> Step {
        // Attempts of calls in flight go before new calls (the executor sends them).
        guard !limits.hasRetries(laneIndex), phase == .running else { return .idle }
        var lane = lanes[laneIndex]
        defer { lanes[laneIndex] = lane }
        // Calls the run already holds are not made again.
        while lane.next < itemCount, recorded.contains(laneIndex * itemCount + lane.next) { lane.next += 1 }
        guard lane.stopReason == nil, lane.next < itemCount else { return .idle }
        if let origin = cacheHits[laneIndex * itemCount + lane.next] {
            // A replay takes no place under the limits, and spends nothing; a bounded number at
            // once keeps a fully cached run's memory flat.
            guard lane.replaying < Self.replaysInFlight else { return .idle }
            lane.replaying += 1
            defer { lane.next += 1 }
            return .replay(itemIndex: lane.next, origin: origin)
        }
        guard limits.hasRoom(laneIndex) else { return .idle }
        // Another completion may have taken the item prepared: prepare the one now next.
        guard let prepared, prepared.itemIndex == lane.next else { return .prepare(itemIndex: lane.next) }
        let tokens = prepared.inputTokens + prepared.maxTokens
        let (decision, reason) = limits.decision(laneIndex, tokens: tokens, now: now, retry: false)
        switch decision {
        case .full:
            return .idle
        case .wait(let seconds):
            return limits.wake(laneIndex, after: seconds, now: now, reason: reason).map(Step.wake) ?? .idle
        case .start:
            break
        }
        var worstCase: Int64 = 0
        if let budgetMicros, let price = prices[laneIndex] {
            worstCase = price.costMicros(of: Usage(uncachedInputTokens: prepared.inputTokens,
                                                   outputTokens: prepared.maxTokens, source: .estimated),
                                         batch: batchLanes.contains(laneIndex))
            guard Money.sum(Money.sum(costMicros, reservedMicros), worstCase) <= budgetMicros else {
                phase = .stopping(.budget)
                return .idle
            }
        }
        limits.begin(laneIndex, tokens: tokens, now: now)
        reservedMicros = Money.sum(reservedMicros, worstCase)
        defer { lane.next += 1 }
        return .start(Ticket(lane: laneIndex, itemIndex: lane.next, tokens: tokens, worstCaseMicros: worstCase))
    }

    /// A replay found no recorded answer (deleted since the run began): the call is made after
    /// all, in a slot taken now.
    mutating func replayMissed(_ ticket: Ticket, limits: inout CallLimits, now: Double) {
        lanes[ticket.lane].replaying -= 1
        limits.begin(ticket.lane, tokens: ticket.tokens, now: now)
    }

    /// A call is over and its row is about to be written.
    ///
    /// - Returns: nil when the run was aborted (the row is not to be written); otherwise why its
    ///   lane stops now, if this call stopped it.
    mutating func ended(_ ticket: Ticket, _ call: Ended, limits: inout CallLimits, now: Double) -> String?? {
        guard !isAborted else { return .none }
        if ticket.replayed {
            lanes[ticket.lane].replaying -= 1
            replayed += 1
        } else {
            limits.end(ticket.lane)
        }
        reservedMicros -= ticket.worstCaseMicros
        if call.errorClass == nil { answered += 1 } else { failed += 1 }
        costMicros = Money.sum(costMicros, call.spentMicros)
        judgeCostMicros = Money.sum(judgeCostMicros, call.judgeCostMicros)
        graderErrors += call.graderErrors
        return .some(noteHardFailure(call, lane: ticket.lane))
    }

    /// Stops starting calls; the ones in flight finish and are recorded.
    mutating func cancel() {
        switch phase {
        case .running: phase = .stopping(.cancelled)
        case .stopping(let causes): phase = .stopping(causes.union(.cancelled))
        case .finished: break
        }
    }

    /// Stops at once: the calls in flight are abandoned.
    ///
    /// - Returns: whether this ended the run (it was not over yet).
    mutating func abort() -> Bool {
        switch phase {
        case .finished:
            return false
        case .running:
            phase = .finished(.cancelled, aborted: true)
        case .stopping(let causes):
            phase = .finished(causes.union(.cancelled), aborted: true)
        }
        return true
    }

    /// Ends the run when nothing is in flight and nothing more will start.
    ///
    /// - Parameter parked: by lane, calls in flight that will not end in this process (left in
    ///   a provider's batch for a resume to collect): they do not hold the run open.
    /// - Returns: whether this ended it.
    mutating func finishIfIdle(_ limits: CallLimits, parked: [Int] = []) -> Bool {
        let stopping: StopCauses
        switch phase {
        case .finished: return false
        case .running: stopping = []
        case .stopping(let causes): stopping = causes
        }
        let idle = lanes.indices.allSatisfy { lane in
            limits.inFlight(lane) == (lane < parked.count ? parked[lane] : 0) && lanes[lane].replaying == 0
        }
        let exhausted = lanes.allSatisfy { $0.next >= itemCount || $0.stopReason != nil }
        guard idle && (exhausted || !stopping.isEmpty) else { return false }
        phase = .finished(stopping, aborted: false)
        return true
    }

    /// Counts errors that retrying cannot fix; after `hardFailuresBeforeStopping` in a row the
    /// lane stops, and the reason is returned (once).
    private mutating func noteHardFailure(_ call: Ended, lane index: Int) -> String? {
        guard let kind = call.errorClass else {
            lanes[index].hardFailuresInARow = 0
            return nil
        }
        guard [.auth, .outOfCredits, .notFound].contains(kind) else { return nil }
        lanes[index].hardFailuresInARow += 1
        let count = lanes[index].hardFailuresInARow
        guard count >= Self.hardFailuresBeforeStopping, lanes[index].stopReason == nil else { return nil }
        let status = call.httpStatus.map { " (HTTP \($0))" } ?? ""
        let reason = "\(count) calls in a row failed with \(kind.rawValue)\(status): \(call.errorMessage ?? "")"
        lanes[index].stopReason = reason
        return reason
    }
}
