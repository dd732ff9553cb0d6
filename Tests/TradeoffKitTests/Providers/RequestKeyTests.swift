import Foundation
import Testing
@testable import TradeoffKit

/// The response cache's key: what makes two calls the same question.
struct RequestKeyTests {
    private let chat = ChatRequest(messages: [ChatMessage(role: .system, content: "Be brief."),
                                              ChatMessage(role: .user, content: "2 + 2?")],
                                   temperature: 0, maxTokens: 16)
    private let model = ModelEntry(id: "a", baseURL: "http://127.0.0.1:9/v1", model: "sim/a", modelClass: .open,
                                   price: nil, apiKeyEnv: "KEY_A")

    @Test func theSameRequestHasTheSameKey() {
        let key = RequestKey(model: model).hash(chat, repeatIndex: 0)
        #expect(key.count == 64)
        #expect(key == RequestKey(model: model).hash(chat, repeatIndex: 0))
        // Neither the key's variable, the catalog id, the price, streaming nor limits change the answer.
        var other = model
        other.id = "b"
        other.apiKeyEnv = "KEY_B"
        other.price = Price(inputPerMillion: 1, outputPerMillion: 2)
        other.stream = !model.stream
        other.maxConcurrency = 32
        other.timeoutSeconds = 5
        #expect(RequestKey(model: other).hash(chat, repeatIndex: 0) == key)
    }

    @Test func everythingThatChangesTheAnswerChangesTheKey() {
        let key = RequestKey(model: model).hash(chat, repeatIndex: 0)
        var keys: Set<String> = [key]
        func add(_ label: String, _ value: String) {
            #expect(!keys.contains(value), "\(label) should change the key")
            keys.insert(value)
        }
        add("repeat index", RequestKey(model: model).hash(chat, repeatIndex: 1))
        var changed = chat
        changed.messages[1].content = "2 + 3?"
        add("prompt", RequestKey(model: model).hash(changed, repeatIndex: 0))
        changed = chat
        changed.messages[0].content = "Be verbose."
        add("system prompt", RequestKey(model: model).hash(changed, repeatIndex: 0))
        changed = chat
        changed.temperature = 0.7
        add("temperature", RequestKey(model: model).hash(changed, repeatIndex: 0))
        changed = chat
        changed.maxTokens = 17
        add("max tokens", RequestKey(model: model).hash(changed, repeatIndex: 0))
        var other = model
        other.model = "sim/b"
        add("model", RequestKey(model: other).hash(chat, repeatIndex: 0))
        other = model
        other.baseURL = "http://127.0.0.1:10/v1"
        add("endpoint", RequestKey(model: other).hash(chat, repeatIndex: 0))
        other = model
        other.provider = .anthropic
        add("wire format", RequestKey(model: other).hash(chat, repeatIndex: 0))
        other = model
        other.extraBody = ["seed": .integer(7)]
        add("extra body", RequestKey(model: other).hash(chat, repeatIndex: 0))
        other = model
        other.extraHeaders = ["X-Route": "eu"]
        add("extra headers", RequestKey(model: other).hash(chat, repeatIndex: 0))
    }
}
