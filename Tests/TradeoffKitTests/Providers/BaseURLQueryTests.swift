import Foundation
import Testing
import TradeoffKit
import TradeoffTestSupport

/// A `base_url` with a query (a gateway's `?token=...`) keeps it after the path the wire format
/// appends, beside the format's own query.
struct BaseURLQueryTests {
    private let chat = ChatRequest(messages: [ChatMessage(role: .user, content: "hi")], temperature: 0, maxTokens: 16)

    @Test(arguments: [
        (ProviderKind.openAICompatible, "https://gw.example.com/v1/?team=a&token=t1", false,
         "https://gw.example.com/v1/chat/completions?team=a&token=t1"),
        (.anthropic, "https://gw.example.com?token=t1#frag", false, "https://gw.example.com/v1/messages?token=t1"),
        (.gemini, "https://gw.example.com?token=t1", true,
         "https://gw.example.com/v1beta/models/m:streamGenerateContent?alt=sse&token=t1"),
        (.azureOpenAI, "https://r.openai.azure.com?token=t1", false,
         "https://r.openai.azure.com/openai/deployments/m/chat/completions?api-version=2024-10-21&token=t1"),
        (.openAICompatible, "https://gw.example.com/v1#frag", false, "https://gw.example.com/v1/chat/completions"),
        // A `?` in the fragment is the fragment's: no query.
        (.openAICompatible, "https://gw.example.com/v1#frag?x=1", false, "https://gw.example.com/v1/chat/completions"),
        (.openAICompatible, "https://gw.example.com/v1//?a=b#f", false, "https://gw.example.com/v1/chat/completions?a=b"),
    ])
    func theQueryGoesAfterThePath(_ provider: ProviderKind, _ base: String, _ stream: Bool, _ url: String) {
        let model = ModelEntry(id: "x", provider: provider, baseURL: base, model: "m", modelClass: .open, price: nil,
                               apiKeyEnv: nil, stream: stream)
        #expect(Provider.request(for: chat, model: model, apiKey: nil).url == url)
    }

    @Test func theServerIsAskedAtThePathWithTheQuery() throws {
        let reply = HostileServer.Answer(#"{"choices":[{"message":{"content":"5"},"finish_reason":"stop"}]}"#)
        try withHostileServer({ _ in reply }) { server in
            let model = ModelEntry(id: "x", baseURL: server.rootURL + "/v1?token=t1", model: "m", modelClass: .open,
                                   price: nil, apiKeyEnv: nil)
            let client = try HTTPClient()
            defer { client.shutdown() }
            let result = client.sendAndWait(Provider.request(for: chat, model: model, apiKey: nil))
            #expect((try? Provider.interpret(result, for: chat, model: model).get())?.text == "5")
            #expect(server.requestTargets == ["/v1/chat/completions?token=t1"])
        }
    }
}
