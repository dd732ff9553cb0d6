import FakeProvider
import Foundation
import Testing
import TradeoffKit
import TradeoffTestSupport

/// Conversations and per-model wording end to end, against the fake provider over HTTP.
struct ConversationRunTests {
    /// One task: the case's turns (an earlier exchange ending with `earlierAnswer`), then the
    /// prompt `Compute: 5 + 5`.
    private func suite(earlierAnswer: String) -> Suite {
        let turns = [MessageTemplate(role: .user, content: Template("Compute: 1 + 1")),
                     MessageTemplate(role: .assistant, content: Template(earlierAnswer))]
        let task = SuiteTask(id: "follow-up", system: Template("Answer with the number only."),
                             prompt: Template("Compute: {{a}} + {{a}}"), settings: TaskSettings(temperature: 0, maxTokens: 16),
                             graders: [GraderSpec(.exact(expected: Template("10"), normalize: [.trim]))],
                             cases: [TestCase(id: "c1", variables: ["a": "5"], messages: turns)])
        return Suite(name: "chat", description: nil, path: "chat.yaml", contentHash: "h", tasks: [task])
    }

    private func run(_ suite: Suite, models: [ModelEntry], store: ResultStore) throws -> [CallRecord] {
        let client = try HTTPClient()
        defer { client.shutdown() }
        let runner = try Runner(plan: RunPlan(suite: suite, models: models), store: store, client: client,
                                environment: ["TRADEOFF_TEST_KEY": "test-key"], cache: .on)
        let outcome = try runner.run(catalogPath: "models.yaml")
        return try store.calls(ofRun: outcome.runID)
    }

    @Test func theModelAnswersTheLastUserTurnAndAnEarlierTurnIsPartOfTheCacheKey() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(models: [.init(name: "sim/good", latencyMs: 1)]) { server in
                let store = try ResultStore(path: directory.file("r.sqlite"))
                let model = fakeModelEntry(id: "good", served: "sim/good", server: server)
                let first = try run(suite(earlierAnswer: "2"), models: [model], store: store)
                #expect(first.map(\.output) == ["10"], "the answer is to the last user turn")
                #expect(first.first?.passed == true)
                // The same conversation again is replayed...
                let again = try run(suite(earlierAnswer: "2"), models: [model], store: store)
                #expect(again.first?.cachedFrom == first.first?.id)
                #expect(server.requestCount(model: "sim/good") == 1)
                // ...but one differing only in an earlier turn is asked anew.
                let other = try run(suite(earlierAnswer: "3"), models: [model], store: store)
                #expect(other.first?.cachedFrom == nil)
                #expect(other.first?.requestHash != first.first?.requestHash)
                #expect(server.requestCount(model: "sim/good") == 2)
            }
        }
    }

    @Test func aModelWithItsOwnWordingIsAskedInItsWords() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(models: [.init(name: "sim/a", latencyMs: 1), .init(name: "sim/b", latencyMs: 1)]) { server in
                let store = try ResultStore(path: directory.file("r.sqlite"))
                // The task's own prompt is not a question the fake knows; model b's wording is.
                let task = SuiteTask(id: "sum", system: nil, prompt: Template("What is {{a}} plus {{b}}?"),
                                     overrides: ["b": PromptOverride(prompt: Template("Compute: {{a}} + {{b}}"))],
                                     settings: TaskSettings(temperature: 0, maxTokens: 16),
                                     graders: [GraderSpec(.exact(expected: Template("{{sum}}"), normalize: [.trim]))],
                                     cases: [TestCase(id: "c1", variables: ["a": "2", "b": "3", "sum": "5"])])
                let suite = Suite(name: "own", description: nil, path: "own.yaml", contentHash: "h", tasks: [task])
                let models = [fakeModelEntry(id: "a", served: "sim/a", server: server),
                              fakeModelEntry(id: "b", served: "sim/b", server: server)]
                let calls = try run(suite, models: models, store: store)
                let byModel = Dictionary(uniqueKeysWithValues: calls.map { ($0.modelId, $0) })
                #expect(byModel["a"]?.output == "I'm not sure.")
                #expect(byModel["b"]?.output == "5")
                #expect(byModel["b"]?.passed == true)
                #expect(byModel["a"]?.requestHash != byModel["b"]?.requestHash)
            }
        }
    }
}
