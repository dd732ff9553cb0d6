import FakeProvider
import Foundation
import Testing
import TradeoffKit
import TradeoffTestSupport

/// A vision task through the runner, against the fake provider speaking each wire format,
/// streamed and not: each image arrives (the fake reads the label written in its PNG `tEXt`
/// chunk), is billed 85 prompt tokens, and a changed picture is a new cache entry.
@Suite(.serialized)
struct ImageEndToEndTests {
    private static let formats: [(ProviderKind, String)] = [
        (.openAI, "sim/openai"), (.anthropic, "sim/anthropic"), (.gemini, "sim/gemini"), (.azureOpenAI, "sim/azure"),
    ]
    static let question = "What does the label in the image say?"

    private func suite(labels: [String]) -> Suite {
        let turn = MessageTemplate(role: .user, content: Template(Self.question))
        let cases = labels.enumerated().map { index, label in
            var testCase = TestCase(id: "c\(index)", variables: ["label": label])
            var own = turn
            own.images = [ChatImage(data: TinyImage.png(label: label))!]
            testCase.messages = [own]
            return testCase
        }
        let task = SuiteTask(id: "labels", system: nil, prompt: nil,
                             settings: TaskSettings(temperature: 0, maxTokens: 32),
                             graders: [GraderSpec(.exact(expected: Template("{{label}}"), normalize: []))],
                             cases: cases)
        return Suite(name: "vision", description: nil, path: "vision.yaml", contentHash: "h", tasks: [task])
    }

    private func models(on server: FakeProviderServer, stream: Bool) -> [ModelEntry] {
        Self.formats.map { kind, name in
            ModelEntry(id: kind.rawValue, provider: kind, baseURL: kind == .openAI ? server.baseURL : server.rootURL,
                       model: name, modelClass: .frontier, price: nil, apiKeyEnv: "KEY", timeoutSeconds: 10,
                       stream: stream, deployment: kind == .azureOpenAI ? name : nil)
        }
    }

    @Test(arguments: [true, false])
    func everyFormatCarriesTheImageAndBillsIt(stream: Bool) throws {
        let served = Self.formats.map { _, name in FakeProviderConfig.Model(name: name, accuracy: 1, chunkIntervalMs: 1) }
        let calls = try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: "sk-vision", models: served) { server in
                let store = try ResultStore(path: directory.file("r.sqlite"))
                let client = try HTTPClient()
                defer { client.shutdown() }
                let runner = try Runner(plan: RunPlan(suite: suite(labels: ["TOTAL 12.50", "Gate 7"]),
                                                      models: models(on: server, stream: stream)),
                                        store: store, client: client, environment: ["KEY": "sk-vision"])
                return try store.calls(ofRun: try runner.run(catalogPath: "models.yaml").runID)
            }
        }
        #expect(calls.count == 8)
        // The fake bills ceil(characters / 4) + 3 per message + 85 per image.
        let textTokens = (Self.question.count + 3) / 4 + 3
        for call in calls {
            #expect(call.errorClass == nil, "\(call.modelId): \(call.errorMessage ?? "")")
            #expect(call.passed == true, "\(call.modelId): \(call.output ?? "")")
            #expect(call.inputTokens == textTokens + 85, "\(call.modelId)")
        }
    }

    @Test func aChangedPictureIsANewCacheEntry() throws {
        let served = [FakeProviderConfig.Model(name: "sim/openai", accuracy: 1)]
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: "sk-vision", models: served) { server in
                let store = try ResultStore(path: directory.file("r.sqlite"))
                let client = try HTTPClient()
                defer { client.shutdown() }
                let model = [models(on: server, stream: false)[0]]
                func run(_ labels: [String]) throws -> [CallRecord] {
                    let outcome = try Runner(plan: RunPlan(suite: suite(labels: labels), models: model), store: store,
                                             client: client, environment: ["KEY": "sk-vision"], cache: .on)
                        .run(catalogPath: "models.yaml")
                    return try store.calls(ofRun: outcome.runID)
                }
                _ = try run(["A-1"])
                #expect(server.requestCount(model: "sim/openai") == 1)
                // Same text, same case id, same picture: answered from the cache.
                #expect(try run(["A-1"]).first?.output == "A-1")
                #expect(server.requestCount(model: "sim/openai") == 1)
                // Same text and case, another picture: asked again, and answered from the new one.
                #expect(try run(["B-2"]).first?.output == "B-2")
                #expect(server.requestCount(model: "sim/openai") == 2)
            }
        }
    }
}
