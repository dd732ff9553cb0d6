import Foundation
import Testing
@testable import TradeoffKit

/// Golden request bodies for tools, tool choices and response formats in each provider's
/// documented shape, and the replies' tool calls read back.
struct ToolRequestTests {
    static let tool = ToolSpec(name: "get_weather", description: "Weather in a city.",
                               parameters: .object(["type": .string("object"),
                                                    "properties": .object(["city": .object(["type": .string("string")])])]))
    static let format = ResponseFormat(name: "answer", schema: .object(["type": .string("object")]))

    private func chat(tools: [ToolSpec] = [tool], choice: ToolChoice? = nil, format: ResponseFormat? = nil) -> ChatRequest {
        var chat = ChatRequest(messages: [ChatMessage(role: .user, content: "Weather in Paris?")], temperature: 0,
                               maxTokens: 32)
        chat.tools = tools
        chat.toolChoice = choice
        chat.responseFormat = format
        return chat
    }

    private func model(_ provider: ProviderKind, preset: ProviderPreset? = nil) -> ModelEntry {
        ModelEntry(id: "x", provider: provider, baseURL: "", model: "m", modelClass: .open, price: nil, apiKeyEnv: nil,
                   preset: preset)
    }

    private func body(_ chat: ChatRequest, _ model: ModelEntry) -> String {
        String(decoding: Provider.request(for: chat, model: model, apiKey: nil).body, as: UTF8.self)
    }

    @Test func openAIFunctionsAndToolChoice() {
        let text = body(chat(choice: .tool("get_weather")), model(.openAI))
        #expect(text.contains(#""tool_choice":{"function":{"name":"get_weather"},"type":"function"}"#))
        #expect(text.contains(#""tools":[{"function":{"description":"Weather in a city.","name":"get_weather","parameters":{"properties":{"city":{"type":"string"}},"type":"object"}},"type":"function"}]"#))
        #expect(body(chat(choice: .required), model(.openAI)).contains(#""tool_choice":"required""#))
        #expect(body(chat(choice: .never), model(.azureOpenAI)).contains(#""tool_choice":"none""#))
        #expect(!body(chat(), model(.openAI)).contains("tool_choice"))
    }

    @Test func openAIStrictJSONSchemaAndOllamaFormat() {
        let text = body(chat(tools: [], format: Self.format), model(.openAICompatible, preset: .vllm))
        #expect(text.contains(#""response_format":{"json_schema":{"name":"answer","schema":{"type":"object"},"strict":true},"type":"json_schema"}"#))
        let ollama = body(chat(tools: [], format: Self.format), model(.openAICompatible, preset: .ollama))
        #expect(ollama.contains(#""format":{"type":"object"}"#))
        #expect(!ollama.contains("response_format"))
    }

    @Test func anthropicToolsAndTheForcedToolOfAResponseFormat() {
        let text = body(chat(choice: .required), model(.anthropic))
        #expect(text.contains(#""tool_choice":{"type":"any"}"#))
        #expect(text.contains(#""tools":[{"description":"Weather in a city.","input_schema":{"properties":{"city":{"type":"string"}},"type":"object"},"name":"get_weather"}]"#))
        #expect(body(chat(choice: .never), model(.anthropic)).contains(#""tool_choice":{"type":"none"}"#))
        let forced = body(chat(tools: [], format: Self.format), model(.anthropic))
        #expect(forced.contains(#""tool_choice":{"name":"answer","type":"tool"}"#))
        #expect(forced.contains(#""input_schema":{"type":"object"},"name":"answer""#))
    }

    @Test func geminiFunctionDeclarationsConfigAndResponseSchema() {
        let text = body(chat(choice: .tool("get_weather")), model(.gemini))
        #expect(text.contains(#""toolConfig":{"functionCallingConfig":{"allowedFunctionNames":["get_weather"],"mode":"ANY"}}"#))
        #expect(text.contains(#""tools":[{"functionDeclarations":[{"description":"Weather in a city.","name":"get_weather","parametersJsonSchema":{"properties":{"city":{"type":"string"}},"type":"object"}}]}]"#))
        let structured = body(chat(tools: [], format: Self.format), model(.gemini))
        #expect(structured.contains(#""generationConfig":{"maxOutputTokens":32,"responseJsonSchema":{"type":"object"},"responseMimeType":"application/json","temperature":0}"#))
    }

    @Test func plainRequestsAreUnchanged() {
        let plain = ChatRequest(messages: [ChatMessage(role: .user, content: "Hi")], temperature: 0, maxTokens: 8)
        for kind in ProviderKind.allCases {
            let text = body(plain, model(kind, preset: kind == .openAICompatible ? .vllm : nil))
            #expect(!text.contains("tool") && !text.contains("format") && !text.contains("Schema"), "\(kind)")
        }
    }

    private func reply(_ json: String, _ model: ModelEntry, chat: ChatRequest) throws -> ProviderReply {
        let response = HTTPResponse(status: 200, headers: ["content-type": "application/json"], body: Data(json.utf8),
                                    timings: TransferTimings(total: 0.1))
        return try Provider.interpret(.success(response), for: chat, model: model).get()
    }

    @Test func openAIToolCallsAreReadWithCanonicalArguments() throws {
        let json = #"{"id":"c","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{ \"city\" : \"Paris\", \"days\": 2 }"}}]},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":5,"completion_tokens":7}}"#
        let read = try reply(json, model(.openAI), chat: chat())
        #expect(read.text == "")
        #expect(read.finish == .toolCalls)
        #expect(read.toolCalls == [ToolCall(name: "get_weather", arguments: #"{"city":"Paris","days":2}"#)])
        #expect(read.toolCalls.first?.arguments == #"{"city":"Paris","days":2}"#)
    }

    @Test func anthropicForcedToolInputBecomesTheAnswer() throws {
        let json = #"{"id":"m","type":"message","model":"m","content":[{"type":"tool_use","id":"toolu_1","name":"answer","input":{"b":1,"a":"x"}}],"stop_reason":"tool_use","usage":{"input_tokens":3,"output_tokens":4}}"#
        let read = try reply(json, model(.anthropic), chat: chat(tools: [], format: Self.format))
        #expect(read.text == #"{"a":"x","b":1}"#)
        #expect(read.toolCalls.isEmpty)
        #expect(read.finish == .stop)
    }

    @Test func geminiFunctionCallPartsAreToolCalls() throws {
        let json = #"{"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":2}}"#
        let read = try reply(json, model(.gemini), chat: chat())
        #expect(read.toolCalls == [ToolCall(name: "get_weather", arguments: #"{"city":"Paris"}"#)])
        #expect(read.finish == .toolCalls)
    }

    @Test func toolDefinitionsCountAsPromptTheProviderMayBill() throws {
        var big = chat()
        big.tools[0].description = String(repeating: "Weather in a city. ", count: 600)
        let json = #"{"id":"c","choices":[{"index":0,"message":{"role":"assistant","content":"Sunny."},"finish_reason":"stop"}],"usage":{"prompt_tokens":6000,"completion_tokens":2}}"#
        // 6,000 input tokens could not come of a 17-byte prompt alone; with 11 KB of tool
        // definitions they can.
        let plain = try reply(json, model(.openAI), chat: chat(tools: []))
        #expect(plain.usage.source == .estimated && plain.usage.untrustedReason != nil)
        let read = try reply(json, model(.openAI), chat: big)
        #expect(read.usage.source == .reported && read.usage.inputTokens == 6000)
        #expect(Usage.estimated(for: big, answer: "").inputTokens > 2_800)
    }

    @Test func theKeyCoversToolsChoiceAndFormat() {
        let key = RequestKey(model: model(.openAI))
        let base = key.hash(chat(), repeatIndex: 0)
        var described = chat()
        described.tools[0].description = "Weather in a city, in Celsius."
        #expect(key.hash(described, repeatIndex: 0) != base)
        #expect(key.hash(chat(choice: .required), repeatIndex: 0) != base)
        #expect(key.hash(chat(format: Self.format), repeatIndex: 0) != base)
        #expect(key.hash(chat(tools: []), repeatIndex: 0) != base)
        #expect(key.hash(chat(), repeatIndex: 0) == base)
    }
}
