import Dispatch
import Foundation
import Synchronization

/// Sends model calls — a candidate's and a judge's alike — and sees each through its attempts:
/// the request in the provider's wire format, the retries the policy allows, and the limits
/// (`CallLimits`: the lane's own and the ones its provider's models share), told how every
/// attempt went.
///
/// This is the "send now over HTTP" way of executing a call. A call is handed over with its
/// slot already taken (`CallLimits.begin`, or `whenRoom`); `execute` hands back its
/// `Execution`, and the caller ends the slot (`end`) once it is done with the answer.
final class CallExecutor: Sendable {
    /// What executing a call came to.
    struct Execution: Sendable {
        var outcome: Result<ProviderReply, CallError>
        /// The last attempt's.
        var timings: TransferTimings
        var attempts: CallAttempts
        var startedAt: Date
    }

    let client: HTTPClient
    let retryPolicy: RetryPolicy
    let caBundle: String?
    /// Every lane's limits and the work waiting in it. A `Runner` takes its own lock first and
    /// this one inside it, never the other way round.
    let limits: Mutex<CallLimits>
    private let queue: DispatchQueue
    private let note: (@Sendable (String) -> Void)?
    /// What a lane does when it has room and nothing of its own waits: a candidate lane pulls
    /// its next call (set by the runner).
    private let pullers = Mutex<[Int: @Sendable () -> Void]>([:])

    /// - Parameters:
    ///   - lanes: the lanes, in the order their indexes name them.
    ///   - note: where to tell what a user should know (a window cut by 429s, a long wait).
    init(client: HTTPClient, lanes: [CallLimits.LaneSpec], retryPolicy: RetryPolicy, caBundle: String?,
         note: (@Sendable (String) -> Void)? = nil) {
        self.client = client
        self.retryPolicy = retryPolicy
        self.caBundle = caBundle
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

    /// Sends `chat` to `model`, in a slot of `lane` already taken, and tries again as the policy
    /// says; `completion` runs on the executor's queue with the final outcome.
    func execute(_ chat: ChatRequest, model: ModelEntry, apiKey: String?, lane: Int,
                 completion: @escaping @Sendable (Execution) -> Void) {
        let request = Provider.request(for: chat, model: model, apiKey: apiKey, caBundle: caBundle)
        attempt(request, chat: chat, model: model, lane: lane, attempts: CallAttempts(policy: retryPolicy),
                startedAt: Date(), completion: completion)
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

    /// A call of `lane` is over: its slots are free, the tokens not used are given back, and the
    /// lanes under the same limits may start what waited for them.
    func end(_ lane: Int, estimatedTokens: Int, usedTokens: Int?) {
        let now = Self.now()
        let sharing = limits.withLock { limits in
            limits.end(lane, estimatedTokens: estimatedTokens, usedTokens: usedTokens, now: now)
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

    /// Sends one attempt; on a retryable failure queues the next one for after its backoff,
    /// otherwise hands over the outcome.
    private func attempt(_ request: HTTPRequest, chat: ChatRequest, model: ModelEntry, lane: Int,
                         attempts: CallAttempts, startedAt: Date,
                         completion: @escaping @Sendable (Execution) -> Void) {
        var started = attempts
        started.start()
        let attemptStarted = Self.now()
        client.send(request) { [started] result in
            self.queue.async {
                var attempts = started
                let outcome = Provider.interpret(result, for: chat, model: model)
                self.noteAttempt(result, error: outcome.failure, lane: lane, model: model, startedAt: attemptStarted)
                if case .failure(let error) = outcome,
                   case .retry(let delay) = attempts.fail(error, jitter: Double.random(in: 0..<1)) {
                    // After the backoff the retry queues for room under the limits (it is a
                    // request too, and the window may have been cut meanwhile).
                    let tokens = Usage.estimated(for: chat, answer: "").inputTokens + chat.maxTokens
                    self.queue.asyncAfter(deadline: .now() + delay) { [attempts] in
                        let retry = CallLimits.Queued(tokens: tokens) {
                            self.attempt(request, chat: chat, model: model, lane: lane, attempts: attempts,
                                         startedAt: startedAt, completion: completion)
                        }
                        self.limits.withLock { $0.enqueueRetry(lane, retry) }
                        self.drain(lane)
                    }
                    return
                }
                let timings = (try? result.get().timings) ?? (result.failure?.timings ?? TransferTimings())
                completion(Execution(outcome: outcome, timings: timings, attempts: attempts, startedAt: startedAt))
            }
        }
    }

    /// Tells the limits how an attempt went: a 429 or overload cuts the lane's concurrency and a
    /// `retry-after` pauses it; rate-limit headers set what is left.
    private func noteAttempt(_ result: Result<HTTPResponse, TransportError>, error: CallError?, lane: Int,
                             model: ModelEntry, startedAt: Double) {
        let response = (try? result.get()) ?? result.failure?.partial
        let headers = response.flatMap { Provider.rateLimits(in: $0.headers, for: model) }
        let throttled = error.map { $0.kind == .rateLimited || $0.kind == .overloaded } ?? false
        let now = Self.now()
        let cut = limits.withLock {
            $0.attemptEnded(lane, startedAt: startedAt, throttled: throttled, retryAfter: error?.retryAfter,
                            headers: headers, now: now)
        }
        if let cut, let error {
            let status = error.httpStatus.map { "HTTP \($0)" } ?? error.kind.rawValue
            note?("\(model.id): \(status) from the provider; at most \(cut) calls in flight until answers come back")
        }
    }
}
