import Foundation

/// Grading an answer in a run: its task's graders (made once), the case's own, and judges
/// through the run's pool.
extension Runner {
    /// Grades an answer, then hands the graded row to `done`. Judges answer on the pool's queue;
    /// the candidate's slot is held until they have.
    ///
    /// - Parameter logprobs: The answer's logprobs as read off the reply (with the reason when
    ///   unusable); nil reads the ones the row recorded.
    func grade(_ call: CallRecord, answer: String, logprobs: Logprobs? = nil, item: RunPlan.Item, testCase: TestCase,
               chat: ChatRequest, reusable: [JudgeCallRecord] = [], done: @escaping @Sendable (GradedCall) -> Void) {
        let task = plan.suite.tasks[item.taskIndex]
        let context = GradingContext(taskID: task.id, caseID: testCase.id, modelID: call.modelId,
                                     system: chat.messages.first { $0.role == .system }?.content,
                                     prompt: chat.messages.last { $0.role == .user }?.content ?? "",
                                     logprobs: logprobs ?? Logprobs.stored(mean: call.meanLogprob, tokens: call.logprobTokens),
                                     finishReason: call.finish, finishReasonRaw: call.finishReasonRaw)
        let grader: CaseGrader
        do {
            grader = try CaseGrader(taskGraders: taskGraders[item.taskIndex], task: task, testCase: testCase)
        } catch {
            // Loading compiles every case's regexes first, so this cannot happen; if it does, the
            // answer is kept, ungraded, with the reason.
            var call = call
            call.graderErrors = 1
            call.grades = GraderOutcome.encoded([GraderOutcome(type: "grader", score: 0, passed: false, weight: 1,
                                                     reason: "a grader of this case could not be built: \(error)")])
            return done(GradedCall(call))
        }
        // A function, not a closure, for the common case of grading here: forming the closure
        // copied the row into its context once more.
        @Sendable func grade() {
            grader.grade(answer, toolCalls: call.answeredToolCalls, variables: testCase.variables, context: context,
                         runID: call.runId, pool: self.judges,
                         reusable: reusable) {
                var call = call
                call.apply($0)
                done(GradedCall(call, judgeCalls: $0.judgeCalls))
            }
        }
        if grader.usesCommands { Thread.detachNewThread { grade() } } else { grade() }
    }
}
