import Foundation

/// The response cache in a run: which calls it answers, and answering them.
extension Runner {
    /// The calls of `plan` whose request has an answer recorded in `store`, looked up a few
    /// thousand items at a time so that only the hits are held.
    static func cacheHits(of plan: RunPlan, keys: [RequestKey], in store: ResultStore) throws -> [Int: Int64] {
        var hits: [Int: Int64] = [:]
        for first in stride(from: 0, to: plan.items.count, by: 2_000) {
            var calls: [String: [Int]] = [:]
            for itemIndex in first..<min(first + 2_000, plan.items.count) {
                let item = plan.items[itemIndex]
                let task = plan.suite.tasks[item.taskIndex]
                let testCase = task.cases[item.caseIndex]
                let shared = plan.chatRequest(for: item, testCase: testCase)
                for (modelIndex, key) in keys.enumerated() {
                    // A model with its own wording asks its own question.
                    let modelID = plan.models[modelIndex].id
                    let chat = task.overrides[modelID] == nil
                        ? shared : plan.chatRequest(for: item, testCase: testCase, modelID: modelID)
                    calls[key.hash(chat, repeatIndex: item.repeatIndex), default: []]
                        .append(modelIndex * plan.items.count + itemIndex)
                }
            }
            for (hash, origin) in try store.cachedCallIDs(for: calls.keys) {
                for index in calls[hash] ?? [] { hits[index] = origin }
            }
        }
        return hits
    }

    /// Answers a call from the response cache: the answer recorded as call `origin` for the same
    /// request, graded again by today's graders (reusing the origin's judge verdicts where the
    /// judge and its prompt are the same). Its usage and cost are the origin's (what the
    /// answer costs), but nothing is spent and its timings stay out of latency. When the origin
    /// is gone (deleted since the run began), the call is made after all.
    func replay(_ itemIndex: Int, lane: Int, origin: Int64, runID: Int64, writer: BatchWriter) {
        let item = plan.items[itemIndex]
        let model = plan.models[lane]
        let testCase = plan.suite.tasks[item.taskIndex].cases[item.caseIndex]
        let chat = plan.chatRequest(for: item, testCase: testCase, modelID: model.id)
        guard let cached = try? store.call(id: origin), let answer = cached.output else {
            let ticket = RunStateMachine.Ticket(lane: lane, itemIndex: itemIndex, tokens: chat.limiterTokens,
                                                worstCaseMicros: 0)
            return startAfterAll(ticket, testCase: testCase, chat: chat, runID: runID, writer: writer)
        }
        let task = plan.suite.tasks[item.taskIndex]
        var call = cached
        call.id = nil
        call.runId = runID
        call.modelId = model.id
        call.taskId = task.id
        call.caseId = testCase.id
        call.repeatIndex = item.repeatIndex
        call.promptVariant = plan.variant(of: item)
        (call.score, call.passed, call.grades, call.graderErrors, call.judgeCostMicros) = (nil, nil, nil, 0, nil)
        call.attempts = 0
        call.backoffMs = 0
        call.cachedFrom = origin
        call.startedAt = Date()
        call.finishedAt = call.startedAt
        // A judge asked the same about the same answer before is not asked (nor paid) again.
        let verdicts = (try? store.judgeCalls(ofCall: origin)) ?? []
        let ticket = RunStateMachine.Ticket(lane: lane, itemIndex: itemIndex, tokens: 0, worstCaseMicros: 0,
                                            replayed: true)
        grade(call, answer: answer, item: item, testCase: testCase, chat: chat, reusable: verdicts) { graded in
            self.finish(graded, ticket: ticket, runID: runID, writer: writer)
        }
    }
}
