import Foundation
import Testing
import TradeoffKit
import TradeoffTestSupport

/// An image in each wire format, as each provider documents it: OpenAI (and Azure and
/// OpenAI-compatible hosts) a `content` list of a `text` part and an `image_url` part holding a
/// base64 `data:` URL; Anthropic a `content` list of a `text` block and an `image` block with a
/// `base64` source; Gemini `parts` of a `text` and an `inlineData {mimeType, data}`.
struct ImageRequestTests {
    static let png = TinyImage.png(label: "TOTAL 12.50")
    let image = ChatImage(data: ImageRequestTests.png)!
    var chat: ChatRequest {
        ChatRequest(messages: [ChatMessage(role: .system, content: "Be brief."),
                               ChatMessage(role: .user, content: "What does the label in the image say?", images: [image])],
                    temperature: 0, maxTokens: 16)
    }

    private func model(_ provider: ProviderKind, preset: ProviderPreset? = nil, stream: Bool = false) -> ModelEntry {
        ModelEntry(id: "x", provider: provider, baseURL: "", model: "m", modelClass: .open, price: nil,
                   apiKeyEnv: "K", preset: preset, stream: stream, deployment: provider == .azureOpenAI ? "d" : nil)
    }

    private func body(_ chat: ChatRequest, _ provider: ProviderKind, preset: ProviderPreset? = nil,
                      stream: Bool = false) throws -> [String: Any] {
        let request = Provider.request(for: chat, model: model(provider, preset: preset, stream: stream), apiKey: "k")
        return try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: Any])
    }

    @Test func theFormatIsReadFromTheBytesNotTheName() {
        #expect(ChatImage(data: Self.png)?.format == .png)
        #expect(ChatImage(data: TinyImage.jpeg)?.format == .jpeg)
        #expect(ChatImage(data: TinyImage.gif)?.format == .gif)
        #expect(ChatImage(data: TinyImage.webp)?.format == .webp)
        #expect(ChatImage(data: Data("not an image".utf8)) == nil)
        #expect(ChatImage(data: Data()) == nil)
        #expect(image.dataURL == "data:image/png;base64," + Self.png.base64EncodedString())
    }

    @Test(arguments: [(ProviderKind.openAI, ProviderPreset?.none, false), (.azureOpenAI, nil, true),
                      (.openAICompatible, .vllm, false), (.openAICompatible, .openRouter, true)])
    func openAIStyleHostsGetATextPartAndAnImageURLPart(provider: ProviderKind, preset: ProviderPreset?,
                                                       stream: Bool) throws {
        let messages = try #require(try body(chat, provider, preset: preset, stream: stream)["messages"] as? [[String: Any]])
        #expect(messages.count == 2)
        #expect(messages[0]["content"] as? String == "Be brief.")
        let parts = try #require(messages[1]["content"] as? [[String: Any]])
        #expect(parts.count == 2)
        #expect(parts[0]["type"] as? String == "text")
        #expect(parts[0]["text"] as? String == "What does the label in the image say?")
        #expect(parts[1]["type"] as? String == "image_url")
        #expect((parts[1]["image_url"] as? [String: String]) == ["url": "data:image/png;base64," + Self.png.base64EncodedString()])
    }

    @Test func anthropicGetsAnImageBlockWithABase64Source() throws {
        let body = try body(chat, .anthropic)
        #expect(body["system"] as? String == "Be brief.")
        let messages = try #require(body["messages"] as? [[String: Any]])
        let blocks = try #require(messages.first?["content"] as? [[String: Any]])
        #expect(blocks.count == 2)
        #expect((blocks[0] as? [String: String]) == ["type": "text", "text": "What does the label in the image say?"])
        #expect(blocks[1]["type"] as? String == "image")
        #expect((blocks[1]["source"] as? [String: String])
                == ["type": "base64", "media_type": "image/png", "data": Self.png.base64EncodedString()])
    }

    @Test func geminiGetsAnInlineDataPart() throws {
        let body = try body(chat, .gemini)
        let contents = try #require(body["contents"] as? [[String: Any]])
        let parts = try #require(contents.first?["parts"] as? [[String: Any]])
        #expect(parts.count == 2)
        #expect((parts[0] as? [String: String]) == ["text": "What does the label in the image say?"])
        #expect((parts[1]["inlineData"] as? [String: String])
                == ["mimeType": "image/png", "data": Self.png.base64EncodedString()])
    }

    @Test func aTurnOfImagesAloneHasNoEmptyTextPart() throws {
        let jpeg = try #require(ChatImage(data: TinyImage.jpeg))
        let only = ChatRequest(messages: [ChatMessage(role: .user, content: "", images: [jpeg, image])],
                               temperature: 0, maxTokens: 8)
        let openAI = try #require((try body(only, .openAI)["messages"] as? [[String: Any]])?.first?["content"] as? [[String: Any]])
        #expect(openAI.map { $0["type"] as? String } == ["image_url", "image_url"])
        let anthropic = try #require((try body(only, .anthropic)["messages"] as? [[String: Any]])?.first?["content"]
                                     as? [[String: Any]])
        #expect(anthropic.map { ($0["source"] as? [String: String])?["media_type"] } == ["image/jpeg", "image/png"])
        let gemini = try #require((try body(only, .gemini)["contents"] as? [[String: Any]])?.first?["parts"] as? [[String: Any]])
        #expect(gemini.map { ($0["inlineData"] as? [String: String])?["mimeType"] } == ["image/jpeg", "image/png"])
    }

    @Test func theCacheKeyFollowsTheImageBytesNotTheText() throws {
        let key = RequestKey(model: model(.openAI))
        var other = chat
        other.messages[1].images = [try #require(ChatImage(data: TinyImage.png(label: "TOTAL 12.50", shade: 0x81)))]
        #expect(key.hash(chat, repeatIndex: 0) != key.hash(other, repeatIndex: 0))
        #expect(key.hash(chat, repeatIndex: 0) == key.hash(self.chat, repeatIndex: 0))
        var none = chat
        none.messages[1].images = []
        #expect(key.hash(none, repeatIndex: 0) != key.hash(chat, repeatIndex: 0))
    }

    @Test func imagesCountInTheEstimateAndTheUsageBound() {
        var plain = chat
        plain.messages[1].images = []
        let estimate = Usage.estimated(for: chat, answer: "x").inputTokens
        #expect(estimate == Usage.estimated(for: plain, answer: "x").inputTokens + ChatImage.estimatedTokens)
    }
}
