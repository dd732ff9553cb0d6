import Foundation
import Testing
@testable import TradeoffKit

/// Gemini's batch mode as its API reference documents it: the inlined requests of
/// `batchGenerateContent`, the operation's state, and the inlined responses matched by key.
struct GeminiBatchTests {
    private let model = ModelEntry(id: "g", provider: .gemini, baseURL: "https://gl.example.com", model: "gemini-x",
                                   modelClass: .frontier, price: nil, apiKeyEnv: "K", stream: true)
    private let chat = ChatRequest(messages: [ChatMessage(role: .system, content: "Add."),
                                              ChatMessage(role: .user, content: "Compute: 1 + 2")],
                                   temperature: 0, maxTokens: 16)
    private var api: GeminiBatch { GeminiBatch(model: model, apiKey: "goog-1", caBundle: nil) }

    @Test func theBatchInlinesTheRequestsOfSingleCallsWithTheirKeys() throws {
        let create = api.create([api.entry(customID: "item-0", chat: chat), api.entry(customID: "item-1", chat: chat)],
                                tag: "tradeoff-1-x")
        #expect(create.method == "POST" && create.url == "https://gl.example.com/v1beta/models/gemini-x:batchGenerateContent")
        #expect(create.headers.contains(HTTPHeader("x-goog-api-key", "goog-1")))
        let body = try #require(try JSONSerialization.jsonObject(with: create.body) as? [String: Any])
        let batch = try #require(body["batch"] as? [String: Any])
        #expect(batch["displayName"] as? String == "tradeoff-1-x")
        let requests = try #require(((batch["inputConfig"] as? [String: Any])?["requests"] as? [String: Any])?["requests"]
            as? [[String: Any]])
        #expect(requests.map { ($0["metadata"] as? [String: String])?["key"] } == ["item-0", "item-1"])
        let request = try #require(requests.first?["request"] as? [String: Any])
        var unstreamed = model
        unstreamed.stream = false
        let single = try JSONSerialization.jsonObject(with: encodeJSON(GeminiGenerateContent.body(for: chat, model: unstreamed)))
        #expect(NSDictionary(dictionary: request).isEqual(to: single as! [String: Any]))
        #expect(api.status(of: "batches/b1").url == "https://gl.example.com/v1beta/batches/b1")
        #expect(api.cancel("batches/b1").url == "https://gl.example.com/v1beta/batches/b1:cancel")
    }

    @Test func aDoneOperationsInlinedResponsesAreMatchedByKey() throws {
        let operation = """
            {"name":"batches/b1","done":true,"metadata":{"displayName":"t","state":"BATCH_STATE_SUCCEEDED",
             "batchStats":{"requestCount":"2","pendingRequestCount":"0"},
             "output":{"inlinedResponses":{"inlinedResponses":[
               {"response":{"candidates":[{"content":{"role":"model","parts":[{"text":"3"}]},"finishReason":"STOP"}],
                 "usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":1,"totalTokenCount":10}},"metadata":{"key":"item-1"}},
               {"error":{"code":429,"message":"Resource exhausted"},"metadata":{"key":"item-0"}}]}}}}
            """
        let decoded = try JSONDecoder().decode(GeminiBatch.Operation.self, from: Data(operation.utf8))
        #expect(decoded.state.isOver && decoded.state.status == "succeeded" && decoded.tag == "t")
        let inlined = GeminiBatch.inlinedResponses(in: Data(operation.utf8))
        #expect(inlined.map(\.key) == ["item-1", "item-0"])
        let reply = try GeminiBatch.outcome(of: inlined[0], for: chat, model: model, secrets: []).get()
        #expect(reply.text == "3" && reply.usage.outputTokens == 1)
        #expect(GeminiBatch.outcome(of: inlined[1], for: chat, model: model, secrets: []).failure?.kind == .rateLimited)
        let running = try JSONDecoder().decode(GeminiBatch.Operation.self, from: Data("""
            {"name":"batches/b2","metadata":{"state":"BATCH_STATE_RUNNING","batchStats":{"requestCount":"10","pendingRequestCount":"4"}}}
            """.utf8))
        #expect(!running.state.isOver && running.state.progressText == "in progress 6/10")
    }
}
