import Foundation
import Testing
import TradeoffKit

/// Golden request bodies, URLs and headers per provider kind.
struct ProviderRequestTests {
    let chat = ChatRequest(messages: [ChatMessage(role: .system, content: "Be brief."),
                                      ChatMessage(role: .user, content: "Compute: 2 + 3")],
                           temperature: 0, maxTokens: 16)

    private func model(_ provider: ProviderKind, baseURL: String = "", model name: String = "m", stream: Bool = false,
                       preset: ProviderPreset? = nil, extra: [String: JSONValue] = [:], deployment: String? = nil,
                       apiVersion: String? = nil) -> ModelEntry {
        ModelEntry(id: "x", provider: provider, baseURL: baseURL, model: name, modelClass: .open, price: nil,
                   apiKeyEnv: "K", preset: preset, stream: stream, extraBody: extra, apiVersion: apiVersion,
                   deployment: deployment)
    }

    private func body(_ request: HTTPRequest) -> String { String(decoding: request.body, as: UTF8.self) }
    private func header(_ request: HTTPRequest, _ name: String) -> String? {
        request.headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    @Test func openAISendsMaxCompletionTokensAndBearer() {
        let request = Provider.request(for: chat, model: model(.openAI, model: "gpt-4o"), apiKey: "sk-1")
        #expect(request.url == "https://api.openai.com/v1/chat/completions")
        #expect(header(request, "Authorization") == "Bearer sk-1")
        #expect(body(request) == #"{"max_completion_tokens":16,"messages":[{"content":"Be brief.","role":"system"},{"content":"Compute: 2 + 3","role":"user"}],"model":"gpt-4o","temperature":0}"#)
    }

    @Test func streamingAsksForUsageExceptWhereTheHostReportsItAnyway() {
        let vllm = Provider.request(for: chat, model: model(.openAICompatible, stream: true, preset: .vllm), apiKey: nil)
        #expect(vllm.url == "http://localhost:8000/v1/chat/completions")
        #expect(body(vllm).contains(#""stream":true,"stream_options":{"include_usage":true}"#))
        #expect(header(vllm, "Authorization") == nil)
        #expect(header(vllm, "Accept") == "text/event-stream")
        let openRouter = Provider.request(for: chat, model: model(.openAICompatible, stream: true, preset: .openRouter), apiKey: "k")
        #expect(!body(openRouter).contains("stream_options"))
        let groq = Provider.request(for: chat, model: model(.openAICompatible, stream: true, preset: .groq), apiKey: "k")
        #expect(!body(groq).contains("stream_options"))
    }

    @Test func ollamaGetsMaxTokensAndExtraFieldsPassThrough() {
        let extra: [String: JSONValue] = ["seed": .integer(7),
                                          "provider": .object(["order": .array([.string("groq")]), "allow_fallbacks": .bool(false)])]
        let request = Provider.request(for: chat, model: model(.openAICompatible, preset: .ollama, extra: extra), apiKey: nil)
        #expect(request.url == "http://localhost:11434/v1/chat/completions")
        #expect(body(request) == #"{"max_tokens":16,"messages":[{"content":"Be brief.","role":"system"},{"content":"Compute: 2 + 3","role":"user"}],"model":"m","provider":{"allow_fallbacks":false,"order":["groq"]},"seed":7,"temperature":0}"#)
    }

    @Test func azureUsesTheDeploymentURLAndApiKeyHeader() {
        let request = Provider.request(for: chat, model: model(.azureOpenAI, baseURL: "https://acme.openai.azure.com/",
                                                               model: "gpt-4o", deployment: "prod/4o", apiVersion: "2024-10-21"),
                                       apiKey: "az-key")
        #expect(request.url == "https://acme.openai.azure.com/openai/deployments/prod%2F4o/chat/completions?api-version=2024-10-21")
        #expect(header(request, "api-key") == "az-key")
        #expect(header(request, "Authorization") == nil)
        #expect(!body(request).contains(#""model""#))
    }

    @Test func anthropicPutsTheSystemPromptOnTopAndSendsItsHeaders() {
        let request = Provider.request(for: chat, model: model(.anthropic, model: "claude-sonnet-4", stream: true), apiKey: "ak")
        #expect(request.url == "https://api.anthropic.com/v1/messages")
        #expect(header(request, "x-api-key") == "ak")
        #expect(header(request, "anthropic-version") == "2023-06-01")
        #expect(body(request) == #"{"max_tokens":16,"messages":[{"content":"Compute: 2 + 3","role":"user"}],"model":"claude-sonnet-4","stream":true,"system":"Be brief.","temperature":0}"#)
    }

    @Test func geminiUsesGenerateContentOrItsSSEStream() {
        let plain = Provider.request(for: chat, model: model(.gemini, model: "gemini-2.5-flash"), apiKey: "g")
        #expect(plain.url == "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent")
        #expect(header(plain, "x-goog-api-key") == "g")
        #expect(body(plain) == #"{"contents":[{"parts":[{"text":"Compute: 2 + 3"}],"role":"user"}],"generationConfig":{"maxOutputTokens":16,"temperature":0},"systemInstruction":{"parts":[{"text":"Be brief."}]}}"#)
        let streamed = Provider.request(for: chat, model: model(.gemini, model: "models/gemini-2.5-flash", stream: true), apiKey: "g")
        #expect(streamed.url == "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse")
    }
}
