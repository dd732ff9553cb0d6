import Dispatch
import Foundation
import Synchronization

/// Sends model calls — a candidate's and a judge's alike — and sees each through its attempts:
/// the request in the provider's wire format, the retries the policy allows, and the limits
/// (`CallLimits`: the lane's own and the ones its provider's models share), told how every
/// attempt went.
///
/// A call is handed over with its slot already taken (`CallLimits.begin`, or `whenRoom`); the
/// lane's `ExecutionStrategy` executes it (today `SendNow`, over HTTP), `execute` hands back its
/// `Execution`, and the caller ends the slot (`end`) once it is done with the answer.
final class CallExecutor: Sendable {
    /// What executing a call came to.
    struct Execution: Sendable {
        var outcome: Result<ProviderReply, CallError>
        /// The last attempt's.
        var timings: TransferTimings
        var attempts: CallAttempts
        var startedAt: Date
        /// Answered through the provider's batch API: batch prices, no latency.
        var batched = false
        /// Made as an ordinary call after its request expired or failed in a batch.
        var batchFallback = false

        /// Why usage some attempt reported was set aside for an estimate (`UsageCheck`); nil when
        /// every attempt's usage could be true.
        var untrustedUsage: String? {
            let answered = (try? outcome.get().usage) ?? outcome.failure?.billedUsage
            if let reason = answered?.untrustedReason { return reason }
            for usage in attempts.billedUsage { if let reason = usage.untrustedReason { return reason } }
            return nil
        }
    }

    /// What a call is, as handed to a strategy.
    struct Order: Sendable {
        var chat: ChatRequest
        var model: ModelEntry
        var apiKey: String?
        var lane: Int
        /// What names the call within its run and model, for a strategy that must find it again
        /// after the process is gone (a batch's `custom_id`).
        var key: String
        /// The completion only does brief work (reads the reply, grades with quick graders,
        /// queues the row, starts the next call): a strategy may run it on the transport's thread
        /// instead of the executor's queue, sparing each call a thread hop and a wake-up.
        var quick = false
    }

    /// How each lane's calls are executed, by lane index.
    private let strategies: [any ExecutionStrategy]
    /// Every lane's limits and the work waiting in it. A `Runner` takes its own lock first and
    /// this one inside it, never the other way round.
    let limits: Mutex<CallLimits>
    /// Where completions, retries and wakes run.
    let queue: DispatchQueue
    /// Where to tell what a user should know.
    let note: (@Sendable (String) -> Void)?
    /// What a lane does when it has room and nothing of its own waits: a candidate lane pulls
    /// its next call (set by the runner).
    private let pullers = Mutex<[Int: @Sendable () -> Void]>([:])

    /// - Parameters:
    ///   - lanes: the lanes, in the order their indexes name them.
    ///   - strategies: how each lane's calls are executed, in the lanes' order.
    ///   - note: where to tell what a user should know (a window cut by 429s, a long wait).
    init(lanes: [CallLimits.LaneSpec], strategies: [any ExecutionStrategy], note: (@Sendable (String) -> Void)? = nil) {
        precondition(lanes.count == strategies.count, "one strategy per lane")
        self.strategies = strategies
        self.note = note
        limits = Mutex(CallLimits(lanes, now: Self.now()))
        queue = DispatchQueue(label: "tradeoff.calls", attributes: .concurrent)
    }

    /// Monotonic seconds, for the limits.
    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// Makes `pull` what `lane` does when it is free to start a call of its own.
    func setPuller(_ lane: Int, _ pull: @escaping @Sendable () -> Void) {
        pullers.withLock { $0[lane] = pull }
    }

    /// Lets go of every lane's puller (they hold the runner).
    func removePullers() {
        pullers.withLock { $0.removeAll() }
    }

    /// Executes `chat` to `model`, in a slot of `lane` already taken, the way the lane's strategy
    /// does; `completion` runs once, on the executor's queue (for a `quick` call, possibly on the
    /// transport's thread), with the final outcome.
    ///
    /// - Parameters:
    ///   - key: names the call within its run and model (see `Order.key`).
    ///   - quick: `completion` only does brief work (see `Order.quick`).
    func execute(_ chat: ChatRequest, model: ModelEntry, apiKey: String?, lane: Int, key: String = "", quick: Bool = false,
                 completion: @escaping @Sendable (Execution) -> Void) {
        strategies[lane].execute(Order(chat: chat, model: model, apiKey: apiKey, lane: lane, key: key, quick: quick),
                                 on: self, completion: completion)
    }

    /// `lane` has nothing more to start for now: its strategy may send what it gathered.
    func laneIdle(_ lane: Int) {
        strategies[lane].laneIdle(lane, on: self)
    }

    /// Calls of `lane` handed to a provider that will not answer within this process (see
    /// `ExecutionStrategy.parked`).
    func parked(_ lane: Int) -> Int {
        strategies[lane].parked
    }

    /// Runs `work` once `lane` has room for a call of `tokens`, after the calls already waiting;
    /// its slot is taken then.
    func whenRoom(_ lane: Int, tokens: Int, _ work: @escaping @Sendable () -> Void) {
        limits.withLock { $0.enqueue(lane, CallLimits.Queued(tokens: tokens, work: work)) }
        drain(lane)
    }

    /// Another request in a slot already held (a judge asked again): it counts against the rates.
    func noteExtraRequest(_ lane: Int, tokens: Int) {
        let now = Self.now()
        limits.withLock { $0.retry(lane, tokens: tokens, now: now) }
    }

    /// A call of `lane` is over: its slots are free, and the lanes under the same limits may
    /// start what waited for them.
    func end(_ lane: Int) {
        let sharing = limits.withLock { limits in
            limits.end(lane)
            return limits.lanes(sharingWith: lane)
        }
        for other in sharing { drain(other) }
    }

    /// Starts what `lane` has room for — attempts waiting to be sent again first, then calls in
    /// line — and, once nothing of its own waits, lets it pull its next call; when a limit holds
    /// the next back, looks again when it may go.
    func drain(_ lane: Int) {
        let ready = limits.withLock { $0.takeReady(lane, now: Self.now()) }
        for work in ready.started { queue.async(execute: work) }
        if let wake = ready.wake { wakeLater(lane, wake) }
        if ready.free, let pull = pullers.withLock({ $0[lane] }) { pull() }
    }

    /// Looks at `lane` again after the wait a limit asked for, telling the wait when worth it.
    func wakeLater(_ lane: Int, _ wake: CallLimits.Wake) {
        if let message = wake.note { note?(message) }
        queue.asyncAfter(deadline: .now() + wake.after) {
            self.limits.withLock { $0.woke(lane) }
            self.drain(lane)
        }
    }
}
