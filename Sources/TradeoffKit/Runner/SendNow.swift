import Dispatch
import Foundation

/// Sends a call now over HTTP in the provider's wire format, and tries again as the retry
/// policy says, each retry queued for room under the lane's limits.
struct SendNow: ExecutionStrategy {
    let client: HTTPClient
    let retryPolicy: RetryPolicy
    /// A PEM file of CA certificates to trust instead of the system's.
    let caBundle: String?

    func execute(_ order: consuming CallExecutor.Order, on executor: CallExecutor,
                 completion: @escaping @Sendable (CallExecutor.Execution) -> Void) {
        Call(order, strategy: self, executor: executor, completion: completion).attempt(CallAttempts(policy: retryPolicy))
    }

    /// One call through its attempts, holding what every attempt needs.
    ///
    /// Each closure of an attempt captures the call alone: capturing the order, the request and
    /// the completion one by one copied the model's entry and the chat into every closure
    /// (each copy retains their texts), and made the closures' contexts that much bigger.
    private final class Call: Sendable {
        let order: CallExecutor.Order
        let request: HTTPRequest
        /// What to redact from what the provider sends back: the key, and what `base_url` expanded.
        let secrets: [String]
        /// What the limits counted each attempt for when it started (see `RunStateMachine`, `JudgePool`).
        let tokens: Int
        let startedAt = Date()
        let strategy: SendNow
        let executor: CallExecutor
        let completion: @Sendable (CallExecutor.Execution) -> Void

        init(_ order: consuming CallExecutor.Order, strategy: SendNow, executor: CallExecutor,
             completion: @escaping @Sendable (CallExecutor.Execution) -> Void) {
            request = Provider.request(for: order.chat, model: order.model, apiKey: order.apiKey, caBundle: strategy.caBundle)
            secrets = [order.apiKey].compactMap { $0 } + order.model.baseURLSecrets
            tokens = order.chat.limiterTokens
            self.order = order
            self.strategy = strategy
            self.executor = executor
            self.completion = completion
        }

        /// Sends one attempt; on a retryable failure queues the next one for after its backoff,
        /// otherwise hands over the outcome.
        ///
        /// A `quick` call's reply is read and handed over on the HTTP client's thread, where it
        /// arrived: handing it to the executor's queue cost a thread hop and a wake-up per call
        /// (measured: 109 µs of CPU per call against 125, over 8 pairs of 20,000-call runs).
        /// Others go to the queue, so that long grading never holds the transfers.
        func attempt(_ attempts: CallAttempts) {
            var started = attempts
            started.start()
            let attemptStarted = CallExecutor.now()
            strategy.client.send(request) { [self, started] result in
                if order.quick {
                    ended(result, attempts: started, attemptStarted: attemptStarted)
                } else {
                    executor.queue.async { self.ended(result, attempts: started, attemptStarted: attemptStarted) }
                }
            }
        }

        /// An attempt's answer (or failure) arrived: tells the limits, then tries again or hands
        /// over the outcome.
        private func ended(_ result: Result<HTTPResponse, TransportError>, attempts: CallAttempts, attemptStarted: Double) {
            var attempts = attempts
            let outcome = Provider.interpret(result, for: order.chat, model: order.model, secrets: secrets)
            noteAttempt(result, error: outcome.failure, startedAt: attemptStarted)
            if case .failure(let error) = outcome,
               case .retry(let delay) = attempts.fail(error, jitter: Double.random(in: 0..<1)) {
                // After the backoff the retry queues for room under the limits (it is a request
                // too, and the window may have been cut meanwhile).
                executor.queue.asyncAfter(deadline: .now() + delay) { [self, attempts] in
                    let retry = CallLimits.Queued(tokens: tokens) { self.attempt(attempts) }
                    executor.limits.withLock { $0.enqueueRetry(order.lane, retry) }
                    executor.drain(order.lane)
                }
                return
            }
            let timings = (try? result.get().timings) ?? (result.failure?.timings ?? TransferTimings())
            completion(CallExecutor.Execution(outcome: outcome, timings: timings, attempts: attempts, startedAt: startedAt))
        }

        /// Tells the limits how an attempt went: a 429 or overload cuts the lane's concurrency
        /// and a `retry-after` pauses it; rate-limit headers set what is left.
        private func noteAttempt(_ result: Result<HTTPResponse, TransportError>, error: CallError?, startedAt: Double) {
            let response = (try? result.get()) ?? result.failure?.partial
            let headers = response.flatMap { Provider.rateLimits(in: $0.headers, for: order.model) }
            let throttled = error.map { $0.kind == .rateLimited || $0.kind == .overloaded } ?? false
            let now = CallExecutor.now()
            let cut = executor.limits.withLock {
                $0.attemptEnded(order.lane, startedAt: startedAt, tokens: tokens, throttled: throttled,
                                retryAfter: error?.retryAfter, headers: headers, now: now)
            }
            if let cut, let error {
                let status = error.httpStatus.map { "HTTP \($0)" } ?? error.kind.rawValue
                executor.note?("\(order.model.id): \(status) from the provider; at most \(cut) calls in flight until answers come back")
            }
        }
    }
}
