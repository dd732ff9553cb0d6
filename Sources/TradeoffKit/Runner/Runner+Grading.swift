import Foundation
import Synchronization

/// Grading an answer in a run: its task's graders (made once), the case's own, and judges
/// through the run's pool.
extension Runner {
    /// Grades an answer, then hands the graded row to `done`. Judges answer on the pool's queue;
    /// the candidate's slot is held until they have.
    ///
    /// - Parameter logprobs: The answer's logprobs as read off the reply (with the reason when
    ///   unusable); nil reads the ones the row recorded.
    func grade(_ call: consuming CallRecord, answer: String, logprobs: Logprobs? = nil, item: RunPlan.Item, testCase: TestCase,
               chat: ChatRequest, reusable: [JudgeCallRecord] = [], done: @escaping @Sendable (GradedCall) -> Void) {
        // The two fields grading needs, read in place: a copy of the task retained its fourteen.
        let (taskID, threshold) = plan.suite.tasks.withUnsafeBufferPointer { tasks in
            (tasks[item.taskIndex].id, tasks[item.taskIndex].settings.threshold)
        }
        let context = GradingContext(taskID: taskID, caseID: testCase.id, modelID: call.modelId,
                                     system: chat.messages.first { $0.role == .system }?.content,
                                     prompt: chat.messages.last { $0.role == .user }?.content ?? "",
                                     logprobs: logprobs ?? Logprobs.stored(mean: call.meanLogprob, tokens: call.logprobTokens),
                                     finishReason: call.finish, finishReasonRaw: call.finishReasonRaw)
        let grader: CaseGrader
        do {
            grader = try CaseGrader(taskGraders: taskGraders[item.taskIndex], caseGraders: testCase.graders,
                                    threshold: threshold)
        } catch {
            // Loading compiles every case's regexes first, so this cannot happen; if it does, the
            // answer is kept, ungraded, with the reason.
            var call = call
            call.graderErrors = 1
            call.grades = GraderOutcome.encoded([GraderOutcome(type: "grader", score: 0, passed: false, weight: 1,
                                                     reason: "a grader of this case could not be built: \(error)")])
            return done(GradedCall(call))
        }
        let (toolCalls, runID) = (call.answeredToolCalls, call.runId)
        let row = RowInGrading(call)
        // A function, not a closure, for the common case of grading here: forming the closure
        // allocated its context for nothing.
        @Sendable func grade() {
            grader.grade(answer, toolCalls: toolCalls, variables: testCase.variables, context: context, runID: runID,
                         pool: self.judges, reusable: reusable) { graded in
                done(GradedCall(row.take(applying: graded), judgeCalls: graded.judgeCalls))
            }
        }
        if grader.usesCommands { Thread.detachNewThread { grade() } } else { grade() }
    }
}

/// A call's row while its answer is graded, held in one place: each closure on the way
/// captures this reference, and the graded row is taken out of it once.
///
/// Captured by value, the row was copied into every closure's context and out again: six
/// copies a call, each retaining the row's twenty-odd texts (callgrind).
private final class RowInGrading: Sendable {
    private let row: Mutex<CallRecord?>

    init(_ row: consuming CallRecord) {
        self.row = Mutex(row)
    }

    /// The row with `graded` applied; this holds it no more.
    func take(applying graded: CaseGrader.Graded) -> CallRecord {
        row.withLock { row in
            guard var call = row.take() else { preconditionFailure("a call's row is graded once") }
            call.apply(graded)
            return call
        }
    }
}
