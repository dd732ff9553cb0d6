import Dispatch
import Foundation
import Synchronization

/// Calls judge models for verdicts, through the same HTTP client, providers and retry policy
/// as the candidates' calls.
///
/// Each judge model has its own lane, held to its catalog limits as a candidate's is
/// (`RateGate`: `max_concurrency` adapting to 429s, requests and tokens per minute, the
/// provider's rate-limit headers); a verdict waiting for a slot waits in line. The lane is apart
/// from the model's lane as a candidate — a judge that is also a candidate would otherwise wait
/// for slots its own answers hold while they wait to be judged — and from the limits shared by
/// its provider's models. A reply without a verdict is asked again once, with the reply and the
/// reason; both calls are recorded.
public final class JudgePool: Sendable {
    private struct Lane {
        var gate: RateGate
        /// Verdicts waiting for room, with the tokens each is counted for.
        var waiting: [(tokens: Int, work: @Sendable () -> Void)] = []
        /// Attempts of verdicts in flight whose backoff is over, waiting for room on the wire;
        /// they go first.
        var retries: [(tokens: Int, work: @Sendable () -> Void)] = []
        /// When a drain is scheduled for, while the first in line waits on a limit.
        var wakeAt: Double?
    }

    private let client: HTTPClient
    private let apiKeys: [String: String]
    private let retryPolicy: RetryPolicy
    private let caBundle: String?
    private let queue: DispatchQueue
    private let lanes = Mutex<[String: Lane]>([:])

    /// Creates a pool.
    ///
    /// - Parameters:
    ///   - client: The HTTP client the run uses.
    ///   - judges: The judge models, whose key variables are read from `environment`.
    ///   - environment: Where API keys are read (by each judge's `api_key_env`).
    ///   - retryPolicy: When failed judge calls are tried again.
    ///   - caBundle: A PEM file of CA certificates to trust instead of the system's.
    public init(client: HTTPClient, judges: [ModelEntry], environment: [String: String] = ProcessInfo.processInfo.environment,
                retryPolicy: RetryPolicy = .standard, caBundle: String? = nil) {
        self.client = client
        var keys: [String: String] = [:]
        for judge in judges {
            if let name = judge.apiKeyEnv, let key = environment[name] { keys[judge.id] = key }
        }
        apiKeys = keys
        self.retryPolicy = retryPolicy
        self.caBundle = caBundle
        queue = DispatchQueue(label: "tradeoff.judges", attributes: .concurrent)
    }

    /// What to ask one judge about one answer.
    struct Request: Sendable {
        var judge: ModelEntry
        var scale: JudgeScale
        var maxTokens: Int
        var prompt: String
        var promptHash: String
        var runID: Int64
        var graderIndex: Int
    }

    /// A judge's verdict, or why there is none, and the calls it took.
    struct Result: Sendable {
        var verdict: JudgeVerdict?
        var problem: String?
        var records: [JudgeCallRecord]
    }

    /// Asks one judge for its verdict; `completion` runs on the pool's queue.
    func verdict(_ request: Request, completion: @escaping @Sendable (Result) -> Void) {
        let tokens = Self.tokens(request, messages: [ChatMessage(role: .user, content: request.prompt)])
        acquire(request.judge, tokens: tokens) {
            let messages = [ChatMessage(role: .user, content: request.prompt)]
            self.ask(request, messages: messages, verdictAttempt: 1, records: []) { result in
                let used = result.records.reduce(0) { $0 + ($1.inputTokens ?? 0) + ($1.outputTokens ?? 0) }
                self.release(request.judge, tokens: tokens, used: result.records.isEmpty ? nil : used)
                completion(result)
            }
        }
    }

    /// What a judge call is counted for against tokens per minute: its prompt and `max_tokens`.
    private static func tokens(_ request: Request, messages: [ChatMessage]) -> Int {
        let chat = ChatRequest(messages: messages, temperature: 0, maxTokens: request.maxTokens)
        return Usage.estimated(for: chat, answer: "").inputTokens + request.maxTokens
    }

    /// One verdict attempt: the HTTP call with its retries, then the reply read.
    private func ask(_ request: Request, messages: [ChatMessage], verdictAttempt: Int, records: [JudgeCallRecord],
                     completion: @escaping @Sendable (Result) -> Void) {
        let chat = ChatRequest(messages: messages, temperature: 0, maxTokens: request.maxTokens)
        let http = Provider.request(for: chat, model: request.judge, apiKey: apiKeys[request.judge.id], caBundle: caBundle)
        send(http, chat: chat, judge: request.judge, attempts: CallAttempts(policy: retryPolicy), startedAt: Date()) {
            outcome, timings, attempts, startedAt in
            var record = self.record(request, outcome: outcome, timings: timings, attempts: attempts, startedAt: startedAt)
            record.verdictAttempt = verdictAttempt
            var records = records
            switch outcome {
            case .failure(let error):
                records.append(record)
                let message = Secrets.redact(error.message, self.apiKeys[request.judge.id].map { [$0] } ?? [])
                completion(Result(verdict: nil, problem: "judge call failed (\(error.kind.rawValue)): \(message)",
                                  records: records))
            case .success(let reply):
                switch JudgeVerdict.parse(reply.text, scale: request.scale) {
                case .success(let verdict):
                    record.score = verdict.score
                    record.verdict = verdict.given
                    record.reasoning = verdict.reasoning
                    records.append(record)
                    completion(Result(verdict: verdict, problem: nil, records: records))
                case .failure(let problem):
                    record.parseError = problem.message
                    records.append(record)
                    guard verdictAttempt == 1 else {
                        completion(Result(verdict: nil, problem: "no verdict after a retry: \(problem.message)",
                                          records: records))
                        return
                    }
                    let retry = messages + [ChatMessage(role: .assistant, content: reply.text),
                                            ChatMessage(role: .user, content: JudgePrompt.retry(problem.message,
                                                                                                scale: request.scale))]
                    // Asked again in the same slot: one more request against the limits.
                    self.noteRetry(request.judge, tokens: Self.tokens(request, messages: retry))
                    self.ask(request, messages: retry, verdictAttempt: 2, records: records, completion: completion)
                }
            }
        }
    }

    private typealias Finished = @Sendable (Swift.Result<ProviderReply, CallError>, TransferTimings, CallAttempts, Date) -> Void

    /// Sends `http`, retrying as the policy says, and hands over the final outcome.
    private func send(_ http: HTTPRequest, chat: ChatRequest, judge: ModelEntry, attempts: CallAttempts,
                      startedAt: Date, finished: @escaping Finished) {
        var started = attempts
        started.start()
        let attemptStarted = Self.now()
        client.send(http) { [started] result in
            self.queue.async {
                var attempts = started
                let outcome = Provider.interpret(result, for: chat, model: judge)
                self.noteAttempt(judge, result: result, error: outcome.failure, startedAt: attemptStarted)
                if case .failure(let error) = outcome,
                   case .retry(let delay) = attempts.fail(error, jitter: Double.random(in: 0..<1)) {
                    // After the backoff the retry queues for room under the (perhaps cut) window.
                    let tokens = Usage.estimated(for: chat, answer: "").inputTokens + chat.maxTokens
                    self.queue.asyncAfter(deadline: .now() + delay) { [attempts] in
                        self.lanes.withLock {
                            $0[judge.id]?.retries.append((tokens, {
                                self.send(http, chat: chat, judge: judge, attempts: attempts, startedAt: startedAt,
                                          finished: finished)
                            }))
                        }
                        self.drain(judge)
                    }
                    return
                }
                let timings = (try? result.get().timings) ?? (result.failure?.timings ?? TransferTimings())
                finished(outcome, timings, attempts, startedAt)
            }
        }
    }

    /// The row for one judge call: tokens, cost (failed attempts that reported usage included),
    /// latency, and the reply or the error.
    private func record(_ request: Request, outcome: Swift.Result<ProviderReply, CallError>, timings: TransferTimings,
                        attempts: CallAttempts, startedAt: Date) -> JudgeCallRecord {
        let judge = request.judge
        var record = JudgeCallRecord(runId: request.runID, graderIndex: request.graderIndex, judge: judge,
                                     promptSha256: request.promptHash, startedAt: startedAt, finishedAt: Date())
        record.attempts = attempts.count
        record.backoffMs = attempts.backoff * 1000
        record.latencyMs = timings.total * 1000
        var usage: Usage?
        switch outcome {
        case .success(let reply):
            record.output = reply.text
            record.httpStatus = 200
            record.servedModel = reply.servedModel
            record.requestId = reply.requestID
            record.reportedCostMicros = reply.reportedCostMicros
            usage = reply.usage
        case .failure(let error):
            record.errorClass = error.kind
            record.errorMessage = Secrets.redact(error.message, apiKeys[judge.id].map { [$0] } ?? [])
            record.httpStatus = error.httpStatus
            record.requestId = error.requestID
            usage = error.billedUsage
        }
        record.settleCost(usage: usage, billedUsage: attempts.billedUsage, lastAttemptFailed: outcome.failure != nil, price: judge.price)
        return record
    }

    /// Monotonic seconds, for the limits.
    private static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// Runs `work` once the judge's limits have room for a call of `tokens`, in arrival order.
    private func acquire(_ judge: ModelEntry, tokens: Int, _ work: @escaping @Sendable () -> Void) {
        lanes.withLock { lanes in
            if lanes[judge.id] == nil { lanes[judge.id] = Lane(gate: Self.gate(for: judge)) }
            lanes[judge.id]!.waiting.append((tokens, work))
        }
        drain(judge)
    }

    private static func gate(for judge: ModelEntry) -> RateGate {
        var limits = judge.rateLimits
        limits.maxConcurrency = judge.maxConcurrency
        return RateGate(limits, adaptive: true, now: now())
    }

    /// Starts what the judge's limits have room for — retries first, then verdicts in line;
    /// when a limit holds the next back, comes back when it may go.
    private func drain(_ judge: ModelEntry) {
        let now = Self.now()
        let (ready, wake) = lanes.withLock { lanes -> ([@Sendable () -> Void], Double?) in
            guard var lane = lanes[judge.id] else { return ([], nil) }
            defer { lanes[judge.id] = lane }
            var ready: [@Sendable () -> Void] = []
            for retry in [true, false] {
                while let first = retry ? lane.retries.first : lane.waiting.first {
                    switch lane.gate.decision(tokens: first.tokens, now: now, retry: retry).0 {
                    case .start:
                        if retry {
                            lane.gate.retry(tokens: first.tokens, now: now)
                            lane.retries.removeFirst()
                        } else {
                            lane.gate.begin(tokens: first.tokens, now: now)
                            lane.waiting.removeFirst()
                        }
                        ready.append(first.work)
                    case .full:
                        return (ready, nil)
                    case .wait(let seconds):
                        if let wakeAt = lane.wakeAt, wakeAt <= now + seconds { return (ready, nil) }
                        lane.wakeAt = now + seconds
                        return (ready, seconds)
                    }
                }
            }
            return (ready, nil)
        }
        for work in ready { queue.async(execute: work) }
        if let wake {
            queue.asyncAfter(deadline: .now() + wake) {
                self.lanes.withLock { $0[judge.id]?.wakeAt = nil }
                self.drain(judge)
            }
        }
    }

    /// A verdict is done: its slot is free, the tokens it was counted for beyond what it used
    /// are given back, and the next in line may start.
    private func release(_ judge: ModelEntry, tokens: Int, used: Int?) {
        let now = Self.now()
        lanes.withLock { $0[judge.id]?.gate.end(estimatedTokens: tokens, usedTokens: used, now: now) }
        drain(judge)
    }

    /// Another request in a held slot: the verdict asked again.
    private func noteRetry(_ judge: ModelEntry, tokens: Int) {
        let now = Self.now()
        lanes.withLock { $0[judge.id]?.gate.retry(tokens: tokens, now: now) }
    }

    /// Tells the judge's limits how an attempt went: 429s cut its concurrency and pause it, and
    /// rate-limit headers say what is left.
    private func noteAttempt(_ judge: ModelEntry, result: Swift.Result<HTTPResponse, TransportError>, error: CallError?,
                             startedAt: Double) {
        let response = (try? result.get()) ?? result.failure?.partial
        let headers = response.flatMap { RateLimitHeaders($0.headers) }
        let throttled = error.map { $0.kind == .rateLimited || $0.kind == .overloaded } ?? false
        let now = Self.now()
        lanes.withLock { lanes in
            _ = lanes[judge.id]?.gate.attemptEnded(startedAt: startedAt, throttled: throttled,
                                                   retryAfter: throttled ? error?.retryAfter : nil, headers: headers,
                                                   now: now)
        }
    }
}
