import Dispatch
import Foundation
import Synchronization

/// Calls judge models for verdicts, through the same HTTP client, providers and retry policy
/// as the candidates' calls.
///
/// Each judge model has its own lane of at most its catalog `max_concurrency` calls in flight;
/// a verdict waiting for a slot waits in line. The lane is apart from the model's lane as a
/// candidate: a judge that is also a candidate would otherwise wait for slots its own answers
/// hold while they wait to be judged. A reply without a verdict is asked again once, with the
/// reply and the reason; both calls are recorded.
public final class JudgePool: Sendable {
    private struct Lane {
        var inFlight = 0
        var waiting: [@Sendable () -> Void] = []
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
        acquire(request.judge) {
            let messages = [ChatMessage(role: .user, content: request.prompt)]
            self.ask(request, messages: messages, verdictAttempt: 1, records: []) { result in
                self.release(request.judge)
                completion(result)
            }
        }
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
        client.send(http) { [started] result in
            self.queue.async {
                var attempts = started
                let outcome = Provider.interpret(result, for: chat, model: judge)
                if case .failure(let error) = outcome,
                   case .retry(let delay) = attempts.fail(error, jitter: Double.random(in: 0..<1)) {
                    self.queue.asyncAfter(deadline: .now() + delay) { [attempts] in
                        self.send(http, chat: chat, judge: judge, attempts: attempts, startedAt: startedAt, finished: finished)
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
        record.settleCost(usage: usage, attempts: attempts, lastAttemptFailed: outcome.failure != nil, price: judge.price)
        return record
    }

    private func acquire(_ judge: ModelEntry, _ work: @escaping @Sendable () -> Void) {
        let limit = max(1, judge.maxConcurrency)
        let startNow = lanes.withLock { lanes in
            var lane = lanes[judge.id, default: Lane()]
            defer { lanes[judge.id] = lane }
            guard lane.inFlight < limit else {
                lane.waiting.append(work)
                return false
            }
            lane.inFlight += 1
            return true
        }
        if startNow { queue.async(execute: work) }
    }

    /// Frees a slot, or hands it straight to the next verdict waiting in line.
    private func release(_ judge: ModelEntry) {
        let next = lanes.withLock { lanes -> (@Sendable () -> Void)? in
            var lane = lanes[judge.id, default: Lane()]
            defer { lanes[judge.id] = lane }
            guard !lane.waiting.isEmpty else {
                lane.inFlight -= 1
                return nil
            }
            return lane.waiting.removeFirst()
        }
        if let next { queue.async(execute: next) }
    }
}
