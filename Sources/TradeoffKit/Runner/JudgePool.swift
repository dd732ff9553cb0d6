import Foundation

/// Asks judge models for verdicts: the prompt, the verdict read from the reply, one more ask
/// when a reply has none, and the rows. The calls go through the run's `CallExecutor`, like
/// the candidates' calls: same providers, retry policy and limits.
///
/// Each judge model has its own lane, held to its catalog limits as a candidate's is; a verdict
/// waiting for a slot waits in line. The lane is apart from the model's lane as a candidate — a
/// judge that is also a candidate would otherwise wait for slots its own answers hold while
/// they wait to be judged — and counts against the limits its provider's models share without
/// taking a shared slot (`CallLimits`). A reply without a verdict is asked again once, with the
/// reply and the reason; both calls are recorded.
final class JudgePool: JudgeAsking {
    private let executor: CallExecutor
    /// Each judge's lane in the executor, by model id.
    private let lanes: [String: Int]
    private let apiKeys: [String: String]

    /// - Parameters:
    ///   - judges: the judge models and their lanes in `executor`.
    ///   - environment: where API keys are read (by each judge's `api_key_env`).
    init(executor: CallExecutor, judges: [(model: ModelEntry, lane: Int)], environment: [String: String]) {
        self.executor = executor
        var lanes: [String: Int] = [:]
        var keys: [String: String] = [:]
        for (judge, lane) in judges {
            lanes[judge.id] = lane
            if let name = judge.apiKeyEnv, let key = environment[name] { keys[judge.id] = key }
        }
        self.lanes = lanes
        apiKeys = keys
    }

    /// The lanes for `judges` after `first` lanes of other calls: one per judge model.
    static func lanes(for judges: [ModelEntry], after first: Int) -> [(model: ModelEntry, lane: Int)] {
        judges.enumerated().map { ($1, first + $0) }
    }

    func verdict(_ request: JudgeRequest, completion: @escaping @Sendable (JudgeResult) -> Void) {
        guard let lane = lanes[request.judge.id] else {
            return completion(JudgeResult(verdict: nil, problem: "judge model '\(request.judge.id)' has no lane",
                                          records: []))
        }
        let messages = [ChatMessage(role: .user, content: request.prompt)]
        let tokens = Self.tokens(request, messages: messages)
        executor.whenRoom(lane, tokens: tokens) {
            self.ask(request, lane: lane, messages: messages, verdictAttempt: 1, records: []) { result in
                self.executor.end(lane)
                completion(result)
            }
        }
    }

    /// What a judge call is counted for against tokens per minute: its prompt and `max_tokens`.
    private static func tokens(_ request: JudgeRequest, messages: [ChatMessage]) -> Int {
        let chat = ChatRequest(messages: messages, temperature: 0, maxTokens: request.maxTokens)
        return chat.limiterTokens
    }

    /// One verdict attempt: the call with its retries, then the reply read.
    private func ask(_ request: JudgeRequest, lane: Int, messages: [ChatMessage], verdictAttempt: Int,
                     records: [JudgeCallRecord], completion: @escaping @Sendable (JudgeResult) -> Void) {
        let chat = ChatRequest(messages: messages, temperature: 0, maxTokens: request.maxTokens)
        let apiKey = apiKeys[request.judge.id]
        executor.execute(chat, model: request.judge, apiKey: apiKey, lane: lane) { execution in
            var record = JudgeCallRecord(request, execution, apiKey: apiKey)
            record.verdictAttempt = verdictAttempt
            var records = records
            switch execution.outcome {
            case .failure(let error):
                records.append(record)
                let message = Secrets.redact(error.message, apiKey.map { [$0] } ?? [])
                completion(JudgeResult(verdict: nil, problem: "judge call failed (\(error.kind.rawValue)): \(message)",
                                       records: records))
            case .success(let reply):
                switch JudgeVerdict.parse(reply.text, scale: request.scale) {
                case .success(let verdict):
                    record.score = verdict.score
                    record.verdict = verdict.given
                    record.reasoning = verdict.reasoning
                    records.append(record)
                    completion(JudgeResult(verdict: verdict, problem: nil, records: records))
                case .failure(let problem):
                    record.parseError = problem.message
                    records.append(record)
                    guard verdictAttempt == 1 else {
                        return completion(JudgeResult(verdict: nil, problem: "no verdict after a retry: \(problem.message)",
                                                      records: records))
                    }
                    let retry = messages + [ChatMessage(role: .assistant, content: reply.text),
                                            ChatMessage(role: .user, content: JudgePrompt.retry(problem.message,
                                                                                                scale: request.scale))]
                    // Asked again in the same slot: one more request against the limits.
                    self.executor.noteExtraRequest(lane, tokens: Self.tokens(request, messages: retry))
                    self.ask(request, lane: lane, messages: retry, verdictAttempt: 2, records: records,
                             completion: completion)
                }
            }
        }
    }
}

extension JudgeCallRecord {
    /// The row for one judge call: tokens, cost (failed attempts that reported usage included),
    /// latency, and the reply or the error (with `apiKey` redacted).
    init(_ request: JudgeRequest, _ execution: CallExecutor.Execution, apiKey: String?) {
        let judge = request.judge
        self.init(runId: request.runID, graderIndex: request.graderIndex, judge: judge,
                  promptSha256: request.promptHash, startedAt: execution.startedAt, finishedAt: Date())
        attempts = execution.attempts.count
        backoffMs = execution.attempts.backoff * 1000
        latencyMs = execution.timings.total * 1000
        var usage: Usage?
        switch execution.outcome {
        case .success(let reply):
            output = reply.text
            httpStatus = 200
            servedModel = reply.servedModel
            requestId = reply.requestID
            reportedCostMicros = reply.reportedCostMicros
            usage = reply.usage
        case .failure(let error):
            errorClass = error.kind
            errorMessage = Secrets.redact(error.message, apiKey.map { [$0] } ?? [])
            httpStatus = error.httpStatus
            requestId = error.requestID
            usage = error.billedUsage
        }
        settleCost(usage: usage, billedUsage: execution.attempts.billedUsage,
                   lastAttemptFailed: execution.outcome.failure != nil, price: judge.price)
        usageUntrusted = execution.untrustedUsage
    }
}
