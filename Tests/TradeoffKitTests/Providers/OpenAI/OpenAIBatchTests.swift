import Foundation
import Testing
@testable import TradeoffKit

/// OpenAI's Batch API as PROVIDERS.md documents it: the JSONL lines, the split by the limits,
/// the requests, and the output and error files read back out of order.
struct OpenAIBatchTests {
    private let model = ModelEntry(id: "gpt", provider: .openAI, baseURL: "https://api.example.com/v1?token=t",
                                   model: "gpt-4o-mini", modelClass: .frontier, price: nil, apiKeyEnv: "K", stream: true)
    private let chat = ChatRequest(messages: [ChatMessage(role: .system, content: "Add."),
                                              ChatMessage(role: .user, content: "Compute: 1 + \"2\"")],
                                   temperature: 0, maxTokens: 16)

    @Test func aLineHasTheDocumentedShapeAndTheBodyOfASingleCallNeverStreamed() throws {
        let line = OpenAIBatch.line(customID: "item-7", chat: chat, model: model)
        #expect(line.last == UInt8(ascii: "\n"))
        #expect(line.dropLast().contains(UInt8(ascii: "\n")) == false)
        let object = try #require(try JSONSerialization.jsonObject(with: line) as? [String: Any])
        #expect(Set(object.keys) == ["custom_id", "method", "url", "body"])
        #expect(object["custom_id"] as? String == "item-7")
        #expect(object["method"] as? String == "POST")
        #expect(object["url"] as? String == "/v1/chat/completions")
        let body = try #require(object["body"] as? [String: Any])
        #expect(body["model"] as? String == "gpt-4o-mini")
        #expect(body["stream"] == nil && body["stream_options"] == nil)
        #expect(body["max_completion_tokens"] as? Int == 16)
        let messages = try #require(body["messages"] as? [[String: String]])
        #expect(messages == [["role": "system", "content": "Add."], ["role": "user", "content": "Compute: 1 + \"2\""]])
        // The same body a single call sends, unstreamed.
        var unstreamed = model
        unstreamed.stream = false
        let single = try JSONSerialization.jsonObject(with: OpenAIChatCompletions.body(for: chat, model: unstreamed))
        #expect(NSDictionary(dictionary: body).isEqual(to: single as! [String: Any]))
    }

    /// Ten lines of 120 bytes; a line bigger than the byte limit goes alone.
    @Test(arguments: [(4, 1_000_000, [4, 4, 2]), (100, 250, [2, 2, 2, 2, 2]), (100, 100, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1])])
    func batchesAreSplitByRequestsAndBytes(maxRequests: Int, maxBytes: Int, sizes: [Int]) {
        let lines = (0..<10).map { "line-\($0)" }
        let limits = OpenAIBatch.Limits(maxRequests: maxRequests, maxBytes: maxBytes)
        let chunks = OpenAIBatch.chunks(lines, size: { _ in 120 }, within: limits)
        #expect(chunks.map(\.count) == sizes)
        #expect(chunks.flatMap { $0 } == lines)
    }

    @Test func requestsGoToTheDocumentedEndpointsWithTheKeyAndTheBaseURLsQuery() throws {
        let api = OpenAIBatch(model: model, apiKey: "sk-1", caBundle: nil)
        let upload = api.upload(Data("{}\n".utf8), boundary: "B")
        #expect(upload.method == "POST" && upload.url == "https://api.example.com/v1/files?token=t")
        #expect(upload.headers.contains(HTTPHeader("Authorization", "Bearer sk-1")))
        #expect(upload.headers.contains(HTTPHeader("Content-Type", "multipart/form-data; boundary=B")))
        let form = String(decoding: upload.body, as: UTF8.self)
        #expect(form.contains("name=\"purpose\"\r\n\r\nbatch\r\n--B\r\n"))
        #expect(form.contains("filename=\"batch.jsonl\"\r\nContent-Type: application/jsonl\r\n\r\n{}\n\r\n--B--\r\n"))

        let create = api.create(inputFileID: "file-1", tag: "tradeoff-1-x")
        #expect(create.url == "https://api.example.com/v1/batches?token=t")
        let body = try #require(try JSONSerialization.jsonObject(with: create.body) as? [String: Any])
        #expect(body["input_file_id"] as? String == "file-1")
        #expect(body["endpoint"] as? String == "/v1/chat/completions")
        #expect(body["completion_window"] as? String == "24h")
        #expect((body["metadata"] as? [String: String]) == ["tradeoff_batch": "tradeoff-1-x"])
        #expect(api.status(of: "batch_1").url == "https://api.example.com/v1/batches/batch_1?token=t")
        #expect(api.list().url == "https://api.example.com/v1/batches?limit=100&token=t")
        #expect(api.content(of: "file-9").url == "https://api.example.com/v1/files/file-9/content?token=t")
    }

    @Test func resultLinesOutOfOrderAreMatchedByCustomIDAndExpiredOnesAreTimeouts() throws {
        let output = """
            {"id":"r2","custom_id":"item-2","response":{"status_code":200,"request_id":"req_2","body":{"id":"c2","object":"chat.completion","model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"two"},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":1,"total_tokens":11}}},"error":null}
            {"id":"r0","custom_id":"item-0","response":{"status_code":200,"request_id":"req_0","body":{"id":"c0","object":"chat.completion","model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"zero"},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":1,"total_tokens":11}}},"error":null}
            {"id":"r1","custom_id":"item-1","response":null,"error":{"code":"batch_expired","message":"This request could not be executed before the completion window expired."}}
            {"id":"r3","custom_id":"item-3","response":{"status_code":500,"request_id":"req_3","body":{"error":{"message":"The server had an error processing your request.","type":"server_error"}}},"error":null}
            not json

            """
        let lines = OpenAIBatch.results(in: Data(output.utf8))
        #expect(lines.map(\.customID) == ["item-2", "item-0", "item-1", "item-3"])
        let byID = Dictionary(uniqueKeysWithValues: lines.map { ($0.customID, $0) })
        let chat = ChatRequest(messages: [ChatMessage(role: .user, content: "hi")], temperature: 0, maxTokens: 16)
        let zero = try OpenAIBatch.outcome(of: try #require(byID["item-0"]), for: chat, model: model, secrets: []).get()
        #expect(zero.text == "zero" && zero.requestID == "req_0" && zero.usage.outputTokens == 1)
        let expired = OpenAIBatch.outcome(of: try #require(byID["item-1"]), for: chat, model: model, secrets: [])
        #expect(expired.failure?.kind == .timeout)
        #expect(expired.failure?.message == "batch_expired in the batch: This request could not be executed before the "
                + "completion window expired.")
        let failed = OpenAIBatch.outcome(of: try #require(byID["item-3"]), for: chat, model: model, secrets: [])
        #expect(failed.failure?.kind == .server && failed.failure?.httpStatus == 500)
    }

    @Test func aBatchObjectTellsItsProgress() throws {
        let json = """
            {"id":"batch_1","object":"batch","status":"in_progress","input_file_id":"file-1","output_file_id":null,
             "request_counts":{"total":500,"completed":100,"failed":20},"metadata":{"tradeoff_batch":"t"}}
            """
        let status = try JSONDecoder().decode(OpenAIBatch.Status.self, from: Data(json.utf8))
        #expect(status.progressText == "in progress 120/500")
        #expect(!status.isOver)
        #expect(status.metadata?[OpenAIBatch.tagKey] == "t")
        var finalizing = status
        finalizing.status = "finalizing"
        #expect(finalizing.progressText == "finalizing")
        finalizing.status = "expired"
        #expect(finalizing.isOver)
    }
}
