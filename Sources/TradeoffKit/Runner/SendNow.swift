import Dispatch
import Foundation

/// Sends a call now over HTTP in the provider's wire format, and tries again as the retry
/// policy says, each retry queued for room under the lane's limits.
struct SendNow: ExecutionStrategy {
    let client: HTTPClient
    let retryPolicy: RetryPolicy
    /// A PEM file of CA certificates to trust instead of the system's.
    let caBundle: String?

    func execute(_ order: CallExecutor.Order, on executor: CallExecutor,
                 completion: @escaping @Sendable (CallExecutor.Execution) -> Void) {
        let request = Provider.request(for: order.chat, model: order.model, apiKey: order.apiKey, caBundle: caBundle)
        let secrets = [order.apiKey].compactMap { $0 } + order.model.baseURLSecrets
        attempt(request, chat: order.chat, model: order.model, secrets: secrets, lane: order.lane, quick: order.quick,
                attempts: CallAttempts(policy: retryPolicy), startedAt: Date(), on: executor, completion: completion)
    }

    /// Sends one attempt; on a retryable failure queues the next one for after its backoff,
    /// otherwise hands over the outcome.
    ///
    /// A `quick` call's reply is read and handed over on the HTTP client's thread, where it
    /// arrived: handing it to the executor's queue cost a thread hop and a wake-up per call
    /// (measured: 109 µs of CPU per call against 125, over 8 pairs of 20,000-call runs). Others
    /// go to the queue, so that long grading never holds the transfers.
    private func attempt(_ request: HTTPRequest, chat: ChatRequest, model: ModelEntry, secrets: [String], lane: Int,
                         quick: Bool, attempts: CallAttempts, startedAt: Date, on executor: CallExecutor,
                         completion: @escaping @Sendable (CallExecutor.Execution) -> Void) {
        var started = attempts
        started.start()
        let attemptStarted = CallExecutor.now()
        // What the limits counted this attempt for when it started (see `RunStateMachine`, `JudgePool`).
        let tokens = chat.limiterTokens
        client.send(request) { [started] result in
            let handle: @Sendable () -> Void = {
                var attempts = started
                let outcome = Provider.interpret(result, for: chat, model: model, secrets: secrets)
                self.noteAttempt(on: executor, result, error: outcome.failure, lane: lane, model: model,
                                 startedAt: attemptStarted, tokens: tokens)
                if case .failure(let error) = outcome,
                   case .retry(let delay) = attempts.fail(error, jitter: Double.random(in: 0..<1)) {
                    // After the backoff the retry queues for room under the limits (it is a
                    // request too, and the window may have been cut meanwhile).
                    executor.queue.asyncAfter(deadline: .now() + delay) { [attempts] in
                        let retry = CallLimits.Queued(tokens: tokens) {
                            self.attempt(request, chat: chat, model: model, secrets: secrets, lane: lane, quick: quick,
                                         attempts: attempts, startedAt: startedAt, on: executor, completion: completion)
                        }
                        executor.limits.withLock { $0.enqueueRetry(lane, retry) }
                        executor.drain(lane)
                    }
                    return
                }
                let timings = (try? result.get().timings) ?? (result.failure?.timings ?? TransferTimings())
                completion(CallExecutor.Execution(outcome: outcome, timings: timings, attempts: attempts, startedAt: startedAt))
            }
            if quick { handle() } else { executor.queue.async(execute: handle) }
        }
    }

    /// Tells the limits how an attempt went: a 429 or overload cuts the lane's concurrency and a
    /// `retry-after` pauses it; rate-limit headers set what is left.
    private func noteAttempt(on executor: CallExecutor, _ result: Result<HTTPResponse, TransportError>,
                             error: CallError?, lane: Int, model: ModelEntry, startedAt: Double, tokens: Int) {
        let response = (try? result.get()) ?? result.failure?.partial
        let headers = response.flatMap { Provider.rateLimits(in: $0.headers, for: model) }
        let throttled = error.map { $0.kind == .rateLimited || $0.kind == .overloaded } ?? false
        let now = CallExecutor.now()
        let cut = executor.limits.withLock {
            $0.attemptEnded(lane, startedAt: startedAt, tokens: tokens, throttled: throttled, retryAfter: error?.retryAfter,
                            headers: headers, now: now)
        }
        if let cut, let error {
            let status = error.httpStatus.map { "HTTP \($0)" } ?? error.kind.rawValue
            executor.note?("\(model.id): \(status) from the provider; at most \(cut) calls in flight until answers come back")
        }
    }
}
