import Foundation
import Testing
@testable import TradeoffKit

/// The OpenAI body written straight from the chat is the dictionary `encodeJSON` would write.
struct OpenAIRequestBodyTests {
    static let chats = [
        ChatRequest(messages: [ChatMessage(role: .system, content: "Be brief."),
                               ChatMessage(role: .user, content: "Compute: 2 + 3")], temperature: 0, maxTokens: 16),
        ChatRequest(messages: [ChatMessage(role: .user, content: "a/b \"q\"\n\t\u{1} é 😀 </script>")],
                    temperature: 0.7, maxTokens: 4096),
        ChatRequest(messages: [], temperature: 1e-7, maxTokens: 0),
    ]

    static let extras: [[String: JSONValue]] = [
        [:],
        ["seed": .integer(7), "provider": .object(["order": .array([.string("Together")]), "allow_fallbacks": .bool(false)])],
        ["temperature": .number(0.2), "messages": .null, "stream": .bool(false), "model": .string("override"),
         "max_tokens": .integer(3), "stream_options": .object([:]), "a": .string(""), "zz": .number(-1.5)],
        ["reasoning_effort": .string("low"), "é": .bool(true), "A": .null, "": .integer(1)],
    ]

    static let models: [ModelEntry] = {
        var models: [ModelEntry] = []
        for extra in extras {
            for (provider, preset) in [(ProviderKind.openAI, nil), (.azureOpenAI, nil), (.openAICompatible, ProviderPreset.openRouter),
                                       (.openAICompatible, .groq), (.openAICompatible, nil)] as [(ProviderKind, ProviderPreset?)] {
                for stream in [false, true] {
                    models.append(ModelEntry(id: "x", provider: provider, baseURL: "http://h/v1", model: "org/m", modelClass: .open,
                                             price: nil, apiKeyEnv: nil, preset: preset, stream: stream, extraBody: extra))
                }
            }
        }
        return models
    }()

    @Test func bodyIsTheEncodedDictionary() {
        for chat in Self.chats {
            for model in Self.models {
                let expected = encodeJSON(OpenAIChatCompletions.bodyObject(for: chat, model: model))
                #expect(OpenAIChatCompletions.body(for: chat, model: model) == expected,
                        "\(String(decoding: expected, as: UTF8.self))")
            }
        }
    }
}
