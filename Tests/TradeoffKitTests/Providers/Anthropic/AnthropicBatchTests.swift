import Foundation
import Testing
@testable import TradeoffKit

/// Anthropic's Message Batches as PROVIDERS.md documents them: the `requests` body of
/// `{custom_id, params}`, the endpoints and headers, the batch object, and the results read
/// back out of order (`succeeded | errored | canceled | expired`).
struct AnthropicBatchTests {
    private let model = ModelEntry(id: "claude", provider: .anthropic, baseURL: "https://api.example.com", model: "claude-x",
                                   modelClass: .frontier, price: nil, apiKeyEnv: "K", stream: true)
    private let chat = ChatRequest(messages: [ChatMessage(role: .system, content: "Add."),
                                              ChatMessage(role: .user, content: "Compute: 1 + 2")],
                                   temperature: 0, maxTokens: 16)
    private var api: AnthropicBatch { AnthropicBatch(model: model, apiKey: "sk-ant-1", caBundle: nil) }

    @Test func theBatchIsARequestsListOfCustomIDsAndTheParamsOfASingleCallNeverStreamed() throws {
        let create = api.create([api.entry(customID: "item-0", chat: chat), api.entry(customID: "item-1", chat: chat)])
        #expect(create.method == "POST" && create.url == "https://api.example.com/v1/messages/batches")
        #expect(create.headers.contains(HTTPHeader("x-api-key", "sk-ant-1")))
        #expect(create.headers.contains(HTTPHeader("anthropic-version", "2023-06-01")))
        #expect(create.headers.contains(HTTPHeader("Content-Type", "application/json")))
        let body = try #require(try JSONSerialization.jsonObject(with: create.body) as? [String: Any])
        #expect(Array(body.keys) == ["requests"])
        let requests = try #require(body["requests"] as? [[String: Any]])
        #expect(requests.count == 2 && requests.allSatisfy { Set($0.keys) == ["custom_id", "params"] })
        #expect(requests.map { $0["custom_id"] as? String } == [api.modelMark + "item-0", api.modelMark + "item-1"])
        #expect(api.modelMark.range(of: "^m[0-9a-f]{8}-$", options: .regularExpression) != nil)
        let params = try #require(requests[0]["params"] as? [String: Any])
        #expect(params["stream"] == nil)
        var unstreamed = model
        unstreamed.stream = false
        let single = try JSONSerialization.jsonObject(with: encodeJSON(AnthropicMessages.body(for: chat, model: unstreamed)))
        #expect(NSDictionary(dictionary: params).isEqual(to: single as! [String: Any]))
    }

    @Test func requestsGoToTheDocumentedEndpoints() {
        #expect(api.status(of: "msgbatch_1").url == "https://api.example.com/v1/messages/batches/msgbatch_1")
        #expect(api.cancel("msgbatch_1").method == "POST")
        #expect(api.cancel("msgbatch_1").url == "https://api.example.com/v1/messages/batches/msgbatch_1/cancel")
        #expect(api.list().url == "https://api.example.com/v1/messages/batches?limit=100")
        #expect(api.results(of: "msgbatch_1", at: "https://api.example.com/v1/messages/batches/msgbatch_1/results").url
                == "https://api.example.com/v1/messages/batches/msgbatch_1/results")
        // The key is never sent to another host: the documented path on the model's base URL instead.
        #expect(api.results(of: "msgbatch_1", at: "https://elsewhere.example/r").url
                == "https://api.example.com/v1/messages/batches/msgbatch_1/results")
    }

    @Test func aBatchObjectTellsItsProgressAndWhenItWasMade() throws {
        let json = """
            {"id":"msgbatch_1","type":"message_batch","processing_status":"in_progress",
             "request_counts":{"processing":70,"succeeded":25,"errored":3,"canceled":0,"expired":2},
             "created_at":"2024-09-24T18:37:24.100435Z","results_url":null}
            """
        let batch = try JSONDecoder().decode(AnthropicBatch.MessageBatch.self, from: Data(json.utf8))
        #expect(batch.state.progressText == "in progress 30/100")
        #expect(!batch.state.isOver && batch.state.resultSources.isEmpty)
        let created = try #require(batch.createdDate)
        #expect(abs(created.timeIntervalSince1970 - 1_727_203_044.100435) < 0.001)
    }

    @Test func resultsOutOfOrderAreMatchedByCustomIDAndEachTypeHasItsOutcome() throws {
        let mark = api.modelMark
        let message = #"{"id":"msg_1","type":"message","role":"assistant","model":"claude-x","#
            + #""content":[{"type":"text","text":"3"}],"stop_reason":"end_turn","usage":{"input_tokens":12,"output_tokens":1}}"#
        let results = """
            {"custom_id":"\(mark)item-2","result":{"type":"expired"}}
            {"custom_id":"\(mark)item-0","result":{"type":"succeeded","message":\(message)}}
            {"custom_id":"\(mark)item-1","result":{"type":"errored","error":{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: too large"}}}}
            {"custom_id":"\(mark)item-3","result":{"type":"canceled"}}
            not json
            """
        let lines = AnthropicBatch.results(in: Data(results.utf8))
        #expect(lines.map(\.type) == ["expired", "succeeded", "errored", "canceled"])
        let byKey = Dictionary(uniqueKeysWithValues: lines.map { (String($0.customID.dropFirst(mark.count)), $0) })
        func outcome(_ key: String) throws -> Result<ProviderReply, CallError> {
            AnthropicBatch.outcome(of: try #require(byKey[key]), for: chat, model: model, secrets: [])
        }
        let reply = try outcome("item-0").get()
        #expect(reply.text == "3" && reply.usage.inputTokens == 12 && reply.usage.outputTokens == 1)
        let errored = try #require(try outcome("item-1").failure)
        #expect(errored.kind == .badRequest)
        #expect(errored.message == "errored in the batch: invalid_request_error: max_tokens: too large")
        let expired = try #require(try outcome("item-2").failure)
        #expect(expired.kind == .timeout && RetryPolicy.isRetryable(expired))
        let canceled = try #require(try outcome("item-3").failure)
        #expect(canceled.kind == .timeout && !RetryPolicy.isRetryable(canceled))
    }
}
