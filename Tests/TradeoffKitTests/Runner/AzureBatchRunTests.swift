import FakeProvider
import Foundation
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

/// Azure OpenAI's global batch, as Microsoft documents it: files and batches under
/// `{endpoint}/openai/...?api-version=`, the key in `api-key`, each line's `url` and the batch's
/// `endpoint` `/chat/completions`, the deployment's name in each body's `model`. End to end
/// against the fake provider, which checks those shapes, and request by request.
struct AzureBatchRunTests: BatchRunScenario {
    let apiKey = "azure-batch"

    func entry(on server: FakeProviderServer) -> ModelEntry {
        ModelEntry(id: "a", provider: .azureOpenAI, baseURL: server.rootURL, model: "sim/a", modelClass: .open,
                   price: price, apiKeyEnv: "TRADEOFF_TEST_KEY", timeoutSeconds: 10, apiVersion: "2024-10-21",
                   simulated: true)
    }

    @Test func aBatchRunGradesAsTheUsualRunAtHalfTheCost() throws {
        try withTemporaryDirectory { directory in
            try withServer { server in
                let store = try ResultStore(path: directory.file("r.sqlite"))
                let usual = try run(RunPlan(suite: suite(), models: [model(server, batch: false)]), in: store)
                let batched = try run(RunPlan(suite: suite(), models: [model(server, batch: true)]), in: store)
                #expect(usual.status == .completed && batched.status == .completed)
                #expect(batched.batched == 12 && usual.batched == 0)
                #expect(server.batchesCreated() == 1)
                let before = try store.calls(ofRun: usual.runID), after = try store.calls(ofRun: batched.runID)
                func grades(_ calls: [CallRecord]) -> [String: Bool?] {
                    Dictionary(uniqueKeysWithValues: calls.map { ($0.caseId, $0.passed) })
                }
                #expect(grades(before) == grades(after))
                #expect(usual.costMicros > 0 && batched.costMicros * 2 == usual.costMicros)
                #expect(after.allSatisfy { $0.batched && $0.latencyMs == nil })
                // Each request reached the deployment once, in one batch.
                #expect(server.requestCount(model: "sim/a") == 24)
                #expect(server.batchSubmissions().count == 12 && server.batchSubmissions().values.allSatisfy { $0 == 1 })
            }
        }
    }

    @Test func aBatchWhoseCreationReplyWasLostIsFoundNotSubmittedAgain() throws {
        try withTemporaryDirectory { directory in
            try withServer(.init(loseCreateReplies: 1)) { server in
                let store = try ResultStore(path: directory.file("r.sqlite"))
                let outcome = try run(RunPlan(suite: suite(), models: [model(server, batch: true)]), in: store)
                #expect(outcome.status == .completed && outcome.answered == 12)
                #expect(server.batchesCreated() == 1)
            }
        }
    }

    @Test func requestsGoUnderTheEndpointsOpenAIRootWithTheAPIVersionAndKey() throws {
        var model = ModelEntry(id: "a", provider: .azureOpenAI, baseURL: "https://res.openai.azure.com/", model: "gpt-4o",
                               modelClass: .frontier, price: nil, apiKeyEnv: nil, timeoutSeconds: 10)
        model.deployment = "gpt-4o-batch"
        let api = OpenAIBatch(model: model, apiKey: "k-1", caBundle: nil)
        let upload = api.upload(Data("{}\n".utf8), boundary: "B")
        #expect(upload.method == "POST" && upload.url == "https://res.openai.azure.com/openai/files?api-version=2024-10-21")
        #expect(upload.headers.contains(HTTPHeader("api-key", "k-1")))
        #expect(!upload.headers.contains { $0.name == "Authorization" })
        let create = api.create(inputFileID: "file-1", tag: "t")
        #expect(create.url == "https://res.openai.azure.com/openai/batches?api-version=2024-10-21")
        let body = try #require(try JSONSerialization.jsonObject(with: create.body) as? [String: Any])
        #expect(body["endpoint"] as? String == "/chat/completions" && body["completion_window"] as? String == "24h")
        #expect(api.list(after: "batch_9").url
                == "https://res.openai.azure.com/openai/batches?limit=100&after=batch_9&api-version=2024-10-21")
        #expect(api.status(of: "batch_1").url == "https://res.openai.azure.com/openai/batches/batch_1?api-version=2024-10-21")
        #expect(api.content(of: "file-9").url
                == "https://res.openai.azure.com/openai/files/file-9/content?api-version=2024-10-21")

        let chat = ChatRequest(messages: [ChatMessage(role: .user, content: "hi")], temperature: 0, maxTokens: 16)
        let line = try #require(try JSONSerialization.jsonObject(with: api.entry(customID: "item-0", chat: chat))
            as? [String: Any])
        #expect(line["url"] as? String == "/chat/completions" && line["method"] as? String == "POST")
        let request = try #require(line["body"] as? [String: Any])
        #expect(request["model"] as? String == "gpt-4o-batch")
        #expect(request["stream"] == nil)
    }

    @Test func runBatchLeavesAnAzureDeploymentAloneUnlessTheCatalogSaysItIsAGlobalBatchOne() {
        var model = ModelEntry(id: "a", provider: .azureOpenAI, baseURL: "https://res.openai.azure.com", model: "gpt-4o",
                               modelClass: .frontier, price: nil, apiKeyEnv: nil)
        #expect(BatchSettings.reasonNotBatched(model) == "an Azure OpenAI deployment takes batches only if it is a Global "
                + "Batch one (set 'batch: true' and its 'deployment' in the catalog if it is)")
        model.batch = true
        #expect(BatchSettings.reasonNotBatched(model) == nil)
    }
}
