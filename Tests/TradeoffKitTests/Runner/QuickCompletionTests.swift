import Dispatch
import Foundation
import Synchronization
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

/// A call whose grading cannot take long is read, graded and recorded on the HTTP client's
/// thread, where its reply arrived; any other is handed to the executor's queue, so that long
/// grading never holds the transfers in flight.
struct QuickCompletionTests {
    /// Records whether each order was quick, then answers it as its prompt says.
    final class Recording: ExecutionStrategy {
        let quick = Mutex<[String: Bool]>([:])

        func execute(_ order: consuming CallExecutor.Order, on executor: CallExecutor,
                     completion: @escaping @Sendable (CallExecutor.Execution) -> Void) {
            let prompt = order.chat.messages.last?.content ?? ""
            quick.withLock { $0[prompt] = order.quick }
            var attempts = CallAttempts(policy: .standard)
            attempts.start()
            executor.queue.async { [attempts] in
                completion(CallExecutor.Execution(outcome: .success(ProviderReply(text: "4", usage: Usage(inputTokens: 1, outputTokens: 1,
                                                                                                             source: .reported))),
                                                  timings: TransferTimings(), attempts: attempts, startedAt: Date()))
            }
        }
    }

    @Test func aCallIsQuickOnlyWhenEveryGraderOfItsCaseGradesQuickly() throws {
        try withTemporaryDirectory { directory in
            let exact = GraderSpec(.exact(expected: Template("4"), normalize: [.trim]))
            let regex = GraderSpec(.regex(pattern: "^4$", ignoreCase: false))
            let fast = SuiteTask(id: "fast", system: nil, prompt: Template("fast {{n}}"), settings: .defaults, graders: [exact],
                                 cases: [TestCase(id: "1", variables: ["n": "1"]),
                                         TestCase(id: "2", variables: ["n": "2"], graders: [regex])])
            let slow = SuiteTask(id: "slow", system: nil, prompt: Template("slow {{n}}"), settings: .defaults, graders: [regex],
                                 cases: [TestCase(id: "3", variables: ["n": "3"])])
            let suite = Suite(name: "s", description: nil, path: "s.yaml", contentHash: "h", tasks: [fast, slow])
            let strategy = Recording()
            let model = ModelEntry(id: "m", baseURL: "http://127.0.0.1:9", model: "m", modelClass: .open, price: nil, apiKeyEnv: nil)
            let runner = try Runner(plan: RunPlan(suite: suite, models: [model]),
                                    store: try ResultStore(path: directory.file("r.sqlite")), environment: [:],
                                    budgetMicros: nil, cache: .off, resuming: nil, progress: nil, strategy: { _ in strategy })
            #expect(try runner.run(catalogPath: "c").answered == 3)
            #expect(strategy.quick.withLock { $0 } == ["fast 1": true, "fast 2": false, "slow 3": false])
        }
    }

    @Test func theSlowGraderTypesAreThoseThatCanRunLong() {
        let slow = GraderType.allCases.filter { !$0.gradesQuickly }
        #expect(slow == [.regex, .jsonSchema, .similarity, .rougeL, .bleu, .judge, .command, .toolCall, .notRefusal])
    }

    @Test func sendNowHandsAQuickReplyOverOnTheClientsThreadAndAnyOtherToTheQueue() throws {
        try withFakeProvider(models: [.init(name: "sim/a")]) { server in
            let client = try HTTPClient()
            defer { client.shutdown() }
            let done = DispatchSemaphore(value: 0)
            // The client's thread, as a completion of its own sees it.
            let clientThread = Mutex<pthread_t?>(nil)
            client.send(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(server.port)/_fake/stats")) { _ in
                clientThread.withLock { $0 = pthread_self() }
                done.signal()
            }
            done.wait()
            let loop = try #require(clientThread.withLock { $0 })
            let model = ModelEntry(id: "a", baseURL: "http://127.0.0.1:\(server.port)/v1", model: "sim/a", modelClass: .open,
                                   price: nil, apiKeyEnv: "K")
            let executor = CallExecutor(lanes: [CallLimits.LaneSpec(model)],
                                        strategies: [SendNow(client: client, retryPolicy: .standard, caBundle: nil)])
            let chat = ChatRequest(messages: [ChatMessage(role: .user, content: "Compute: 2 + 2")], temperature: 0, maxTokens: 16)
            for quick in [true, false] {
                let seen = Mutex<(thread: pthread_t, answered: Bool)?>(nil)
                executor.whenRoom(0, tokens: chat.limiterTokens) {
                    executor.execute(chat, model: model, apiKey: "test-key", lane: 0, quick: quick) { execution in
                        seen.withLock { $0 = (pthread_self(), (try? execution.outcome.get()) != nil) }
                        executor.end(0)
                        done.signal()
                    }
                }
                done.wait()
                let (thread, answered) = try #require(seen.withLock { $0 })
                #expect(answered)
                #expect((pthread_equal(thread, loop) != 0) == quick, "quick: \(quick)")
            }
        }
    }

    @Test func aShutDownClientAnswersOnAnotherThreadNotWithinSend() throws {
        let client = try HTTPClient()
        client.shutdown()
        let caller = pthread_self()
        let answeredOnCaller = Mutex<Bool?>(nil)
        let done = DispatchSemaphore(value: 0)
        client.send(HTTPRequest(method: "GET", url: "http://127.0.0.1:9/")) { result in
            answeredOnCaller.withLock { $0 = pthread_equal(pthread_self(), caller) != 0 }
            #expect(result.failure?.message == "HTTP client is shut down")
            done.signal()
        }
        done.wait()
        #expect(answeredOnCaller.withLock { $0 } == false)
    }
}
