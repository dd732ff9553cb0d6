import Foundation
import Testing
import TradeoffKit

/// A whole conversation in each wire format, as each provider documents it: OpenAI (and Azure
/// and OpenAI-compatible hosts) take the turns as a `messages` list; Anthropic takes the system
/// prompt as a top-level `system` and alternating user/assistant turns; Gemini takes a
/// `systemInstruction` and `contents` with roles `user` and `model`.
struct ConversationRequestTests {
    let chat = ChatRequest(messages: [ChatMessage(role: .system, content: "Be brief."),
                                      ChatMessage(role: .user, content: "Compute: 1 + 1"),
                                      ChatMessage(role: .assistant, content: "2"),
                                      ChatMessage(role: .user, content: "Now double it."),
                                      ChatMessage(role: .user, content: "Compute: 2 * 2")],
                           temperature: 0, maxTokens: 16)

    private func model(_ provider: ProviderKind, preset: ProviderPreset? = nil) -> ModelEntry {
        ModelEntry(id: "x", provider: provider, baseURL: "", model: "m", modelClass: .open, price: nil,
                   apiKeyEnv: "K", preset: preset, deployment: provider == .azureOpenAI ? "d" : nil)
    }

    private func body(_ provider: ProviderKind, preset: ProviderPreset? = nil) throws -> [String: Any] {
        let request = Provider.request(for: chat, model: model(provider, preset: preset), apiKey: "k")
        return try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: Any])
    }

    @Test(arguments: [(ProviderKind.openAI, ProviderPreset?.none), (.azureOpenAI, nil), (.openAICompatible, .vllm)])
    func openAIStyleHostsGetEveryTurnInOrder(provider: ProviderKind, preset: ProviderPreset?) throws {
        let messages = try #require(try body(provider, preset: preset)["messages"] as? [[String: String]])
        #expect(messages == [["role": "system", "content": "Be brief."], ["role": "user", "content": "Compute: 1 + 1"],
                             ["role": "assistant", "content": "2"], ["role": "user", "content": "Now double it."],
                             ["role": "user", "content": "Compute: 2 * 2"]])
    }

    @Test func anthropicGetsTheSystemOnTopAndAlternatingTurns() throws {
        let body = try body(.anthropic)
        #expect(body["system"] as? String == "Be brief.")
        let messages = try #require(body["messages"] as? [[String: String]])
        #expect(messages == [["role": "user", "content": "Compute: 1 + 1"], ["role": "assistant", "content": "2"],
                             ["role": "user", "content": "Now double it.\n\nCompute: 2 * 2"]])
    }

    @Test func geminiGetsASystemInstructionAndModelTurns() throws {
        let body = try body(.gemini)
        let system = try #require(body["systemInstruction"] as? [String: Any])
        #expect((system["parts"] as? [[String: String]]) == [["text": "Be brief."]])
        let contents = try #require(body["contents"] as? [[String: Any]])
        #expect(contents.map { $0["role"] as? String } == ["user", "model", "user"])
        #expect(contents.map { ($0["parts"] as? [[String: String]])?.first?["text"] }
                == ["Compute: 1 + 1", "2", "Now double it.\n\nCompute: 2 * 2"])
    }

    @Test func theRequestKeyCoversEveryTurn() {
        let key = RequestKey(model: model(.openAI))
        var other = chat
        other.messages[2].content = "3"  // only an earlier turn differs
        #expect(key.hash(chat, repeatIndex: 0) != key.hash(other, repeatIndex: 0))
        #expect(key.hash(chat, repeatIndex: 0) == key.hash(chat, repeatIndex: 0))
    }
}
