/// Every limit a call is held to, in one place: its lane's own gate (a model as a candidate, or a
/// model as a judge) and the gate of the limits its provider's models share (the catalog's
/// `limits:`). Pure: the time is passed in, so it is tested without waiting.
///
/// A candidate's call takes a slot in both gates. A judge's call takes a slot in its own lane
/// and counts against the shared requests and tokens per minute, but takes no shared slot: a
/// candidate keeps its slot while its answer is judged, so a judge waiting for a slot that the
/// candidates it judges hold would wait forever.
///
/// Each lane also holds the work waiting for room in it: attempts whose backoff is over
/// (`retries`, which go first) and calls pushed in arrival order (`waiting`, a judge's verdicts).
/// A candidate lane pulls its next call itself once nothing of its own waits (`Runner`).
struct CallLimits: Sendable {
    /// What a lane is and how it is limited.
    struct LaneSpec: Sendable {
        /// Who the lane's calls are for, in messages ("gpt-4o", "judge gpt-4o").
        var label: String
        /// The lane's own limits, `max_concurrency` included.
        var limits: RateLimits
        /// The limits the lane's provider's models share.
        var shared: SharedLimits?
        /// Whether a call of the lane takes a slot of the shared concurrency (candidates do).
        var holdsSharedSlot: Bool

        /// The lane of `model` as a candidate, or as a judge.
        init(_ model: ModelEntry, judge: Bool = false) {
            label = judge ? "judge \(model.id)" : model.id
            limits = model.rateLimits
            limits.maxConcurrency = model.maxConcurrency
            shared = model.sharedLimits
            holdsSharedSlot = !judge
        }

        /// The lane of `model` sending its calls in provider batches: a batch is not limited
        /// by the model's rates or concurrency, so every call is handed over at once (the
        /// batch strategy splits them by the provider's batch limits).
        init(batchOf model: ModelEntry) {
            label = model.id
            limits = RateLimits(maxConcurrency: Int(Int32.max))
            shared = nil
            holdsSharedSlot = false
        }
    }

    /// Work waiting for room: it is counted for `tokens` when it starts.
    struct Queued: Sendable {
        var tokens: Int
        var work: @Sendable () -> Void
    }

    /// A lane held back by a limit: when to look again, and a message when worth telling.
    struct Wake: Sendable, Hashable {
        var after: Double
        var note: String?
    }

    /// What `takeReady` found.
    struct Ready: Sendable {
        /// The work that may start now; its slots are taken.
        var started: [@Sendable () -> Void] = []
        /// Set when a limit holds the next back and no look is scheduled yet.
        var wake: Wake?
        /// Whether nothing of the lane's own waits any more: a candidate lane may pull its next call.
        var free = false
    }

    private struct Lane: Sendable {
        var spec: LaneSpec
        var gate: RateGate
        var retries: [Queued] = []
        var waiting: [Queued] = []
        /// When a look is already scheduled for (monotonic seconds), while the lane waits on a limit.
        var wakeAt: Double?
        /// When the lane last said it waits on a limit, so a long wait is told once, not every time.
        var waitNotedAt = -Double.infinity
    }

    private var lanes: [Lane]
    private var shared: [String: RateGate] = [:]

    init(_ specs: [LaneSpec], now: Double) {
        lanes = specs.map { Lane(spec: $0, gate: RateGate($0.limits, adaptive: true, now: now)) }
        for spec in specs {
            // A shared gate keeps its limits: one model's 429 does not pause the others.
            if let group = spec.shared, shared[group.name] == nil {
                shared[group.name] = RateGate(group.limits, adaptive: false, now: now)
            }
        }
    }

    var laneCount: Int { lanes.count }

    /// Calls of `lane` holding a slot: sending, waiting to try again, or being graded.
    func inFlight(_ lane: Int) -> Int { lanes[lane].gate.inFlight }

    /// Whether `lane`'s own window has a free slot (before its rates are looked at).
    func hasRoom(_ lane: Int) -> Bool { lanes[lane].gate.inFlight < lanes[lane].gate.allowedInFlight }

    /// Whether attempts of `lane` wait to be sent again: they go before any new call.
    func hasRetries(_ lane: Int) -> Bool { !lanes[lane].retries.isEmpty }

    /// The lanes under the same shared limits as `lane`, itself included.
    func lanes(sharingWith lane: Int) -> [Int] {
        guard let group = lanes[lane].spec.shared?.name else { return [lane] }
        return lanes.indices.filter { lanes[$0].spec.shared?.name == group }
    }

    /// Whether a call (or, with `retry`, another attempt of one) of `tokens` may start in `lane`
    /// now: its own gate first, then the shared one.
    func decision(_ lane: Int, tokens: Int, now: Double, retry: Bool) -> (RateGate.Decision, RateGate.Reason?) {
        let own = lanes[lane].gate.decision(tokens: tokens, now: now, retry: retry)
        guard own.0 == .start, let group = lanes[lane].spec.shared?.name, let gate = shared[group] else { return own }
        return lanes[lane].spec.holdsSharedSlot ? gate.decision(tokens: tokens, now: now, retry: retry)
                                                : gate.rateDecision(tokens: tokens, now: now)
    }

    /// A call of `tokens` starts in `lane`.
    mutating func begin(_ lane: Int, tokens: Int, now: Double) {
        lanes[lane].gate.begin(tokens: tokens, now: now)
        withShared(lane) { gate, holdsSlot in
            if holdsSlot { gate.begin(tokens: tokens, now: now) } else { gate.spend(tokens: tokens, now: now) }
        }
    }

    /// Another attempt of a call in flight is sent: its request and tokens count again.
    mutating func retry(_ lane: Int, tokens: Int, now: Double) {
        lanes[lane].gate.retry(tokens: tokens, now: now)
        withShared(lane) { gate, holdsSlot in
            if holdsSlot { gate.retry(tokens: tokens, now: now) } else { gate.spend(tokens: tokens, now: now) }
        }
    }

    /// An attempt got an answer or an error: a 429 or an overload cuts the lane's window and a
    /// `retry-after` pauses it; rate-limit headers set what is left.
    ///
    /// - Returns: the lane's new window when this cut it, for a message.
    mutating func attemptEnded(_ lane: Int, startedAt: Double, tokens: Int, throttled: Bool, retryAfter: Double?,
                               headers: RateLimitHeaders?, now: Double) -> Int? {
        let cut = lanes[lane].gate.attemptEnded(startedAt: startedAt, tokens: tokens, throttled: throttled,
                                                retryAfter: throttled ? retryAfter : nil, headers: headers, now: now)
        withShared(lane) { gate, holdsSlot in
            if holdsSlot {
                gate.attemptEnded(startedAt: startedAt, tokens: tokens, throttled: false, retryAfter: nil, headers: nil, now: now)
            }
        }
        return cut
    }

    /// A call is over: its slots are free.
    mutating func end(_ lane: Int) {
        lanes[lane].gate.end()
        withShared(lane) { gate, holdsSlot in
            if holdsSlot { gate.end() }
        }
    }

    /// Queues the next attempt of a call whose backoff is over.
    mutating func enqueueRetry(_ lane: Int, _ queued: Queued) { lanes[lane].retries.append(queued) }

    /// Queues a new call, after those already waiting.
    mutating func enqueue(_ lane: Int, _ queued: Queued) { lanes[lane].waiting.append(queued) }

    /// Takes what may start in `lane` now — retries first, then calls in line — and says what
    /// holds back the rest.
    mutating func takeReady(_ lane: Int, now: Double) -> Ready {
        var ready = Ready()
        for retry in [true, false] {
            while let first = retry ? lanes[lane].retries.first : lanes[lane].waiting.first {
                let (decision, reason) = decision(lane, tokens: first.tokens, now: now, retry: retry)
                switch decision {
                case .start:
                    if retry {
                        self.retry(lane, tokens: first.tokens, now: now)
                        lanes[lane].retries.removeFirst()
                    } else {
                        begin(lane, tokens: first.tokens, now: now)
                        lanes[lane].waiting.removeFirst()
                    }
                    ready.started.append(first.work)
                case .full:
                    return ready
                case .wait(let seconds):
                    ready.wake = wake(lane, after: seconds, now: now, reason: reason)
                    return ready
                }
            }
        }
        ready.free = true
        return ready
    }

    /// A limit holds `lane` back for `seconds`: a look scheduled for when it may go (nil when an
    /// earlier one is), with a message when the wait is long and was not told lately.
    mutating func wake(_ lane: Int, after seconds: Double, now: Double, reason: RateGate.Reason?) -> Wake? {
        if let wakeAt = lanes[lane].wakeAt, wakeAt <= now + seconds { return nil }
        lanes[lane].wakeAt = now + seconds
        guard seconds >= 5, now - lanes[lane].waitNotedAt >= 60, let reason else { return Wake(after: seconds) }
        lanes[lane].waitNotedAt = now
        let spec = lanes[lane].spec
        let scope = spec.shared.map { "\($0.name)'s" } ?? "its"
        return Wake(after: seconds,
                    note: "\(spec.label): waiting \(Int(seconds.rounded(.up))) s for \(scope) \(reason.rawValue)")
    }

    /// The look scheduled for `lane` is happening.
    mutating func woke(_ lane: Int) { lanes[lane].wakeAt = nil }

    private mutating func withShared(_ lane: Int, _ body: (inout RateGate, Bool) -> Void) {
        guard let group = lanes[lane].spec.shared?.name, shared[group] != nil else { return }
        body(&shared[group]!, lanes[lane].spec.holdsSharedSlot)
    }
}
