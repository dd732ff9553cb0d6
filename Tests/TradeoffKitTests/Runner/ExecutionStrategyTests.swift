import Dispatch
import Foundation
import Synchronization
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

/// The runner executes calls through each model's strategy and records whatever it hands back,
/// without knowing how the call was made: the seam a batch strategy plugs into.
struct ExecutionStrategyTests {
    /// Answers every call itself, later and on the executor's queue as a real strategy would,
    /// and counts what it was given.
    final class Scripted: ExecutionStrategy {
        let answer: @Sendable (CallExecutor.Order) -> Result<ProviderReply, CallError>
        let orders = Mutex<[String]>([])

        init(_ answer: @escaping @Sendable (CallExecutor.Order) -> Result<ProviderReply, CallError>) {
            self.answer = answer
        }

        func execute(_ order: consuming CallExecutor.Order, on executor: CallExecutor,
                     completion: @escaping @Sendable (CallExecutor.Execution) -> Void) {
            orders.withLock { $0.append("\(order.model.id) lane \(order.lane): \(order.chat.messages.last?.content ?? "")") }
            var attempts = CallAttempts(policy: .standard)
            attempts.start()
            let outcome = answer(order)
            if case .failure(let error) = outcome { _ = attempts.fail(error, jitter: 0) }
            executor.queue.async { [attempts] in
                completion(CallExecutor.Execution(outcome: outcome, timings: TransferTimings(), attempts: attempts,
                                                  startedAt: Date()))
            }
        }
    }

    private static func model(_ id: String) -> ModelEntry {
        ModelEntry(id: id, baseURL: "http://127.0.0.1:9", model: id, modelClass: .open, price: nil, apiKeyEnv: nil)
    }

    @Test func everyCallGoesThroughItsModelsStrategyAndIsRecordedAsItAnswered() throws {
        try withTemporaryDirectory { directory in
            let cases = (1...3).map { TestCase(id: "\($0)", variables: ["n": "\($0)"]) }
            let task = SuiteTask(id: "t", system: nil, prompt: Template("say {{n}}"), settings: .defaults,
                                 graders: [GraderSpec(.exact(expected: Template("{{n}}"), normalize: [.trim]))],
                                 cases: cases)
            let suite = Suite(name: "s", description: nil, path: "s.yaml", contentHash: "h", tasks: [task])
            let echo = Scripted { order in
                let asked = order.chat.messages.last?.content ?? ""
                return .success(ProviderReply(text: String(asked.dropFirst(4)),
                                              usage: Usage(inputTokens: 5, outputTokens: 1, source: .reported)))
            }
            let down = Scripted { _ in .failure(CallError(.server, "scripted outage", httpStatus: 503)) }
            let store = try ResultStore(path: directory.file("r.sqlite"))
            let runner = try Runner(plan: RunPlan(suite: suite, models: [Self.model("echo"), Self.model("down")]),
                                    store: store, environment: [:], budgetMicros: nil, cache: .off, resuming: nil,
                                    progress: nil, strategy: { $0.id == "echo" ? echo : down })
            let outcome = try runner.run(catalogPath: "c")

            #expect(echo.orders.withLock { $0.sorted() } == ["echo lane 0: say 1", "echo lane 0: say 2", "echo lane 0: say 3"])
            #expect(down.orders.withLock { $0.count } >= 1)
            #expect(outcome.answered == 3)
            let calls = try store.calls(ofRun: outcome.runID)
            let echoed = calls.filter { $0.modelId == "echo" }
            #expect(echoed.map(\.passed) == [true, true, true])
            #expect(echoed.allSatisfy { $0.inputTokens == 5 && $0.outputTokens == 1 && $0.attempts == 1 })
            let failed = calls.filter { $0.modelId == "down" }
            #expect(!failed.isEmpty && failed.allSatisfy { $0.errorClass == .server && $0.output == nil })
        }
    }
}
