import Foundation
import Testing
@testable import FakeProvider

/// What one format said: the answer text and the billed input and output totals.
struct Said: Equatable, CustomStringConvertible {
    var text: String
    var input: Int
    var output: Int
    var description: String { "\(text) (\(input) in, \(output) out)" }
}

@Suite("The same request gets the same answer in every format")
struct CrossFormatTests {
    static let config = FakeProviderConfig(apiKey: "k", models: [
        .init(name: "sim/coin", accuracy: 0.5, cachedTokens: 2, cacheWriteTokens: 1, reasoningTokens: 3),
    ])

    static func readOpenAI(_ response: RawHTTPResponse) -> Said {
        let usage = response.dataObjects.last { $0["usage"] is [String: Any] }.flatMap { $0["usage"] as? [String: Any] }
            ?? response.json["usage"] as? [String: Any]
        let text = response.content ?? streamedText(response)
        return Said(text: text, input: usage?["prompt_tokens"] as? Int ?? -1, output: usage?["completion_tokens"] as? Int ?? -1)
    }

    static func readAnthropic(_ response: RawHTTPResponse) -> Said {
        if response.headers["content-type"]?.hasPrefix("text/event-stream") == true {
            let events = response.events.compactMap(\.object)
            let start = object(object(events.first, "message"), "usage") ?? [:]
            let delta = object(events.last { $0["type"] as? String == "message_delta" }, "usage") ?? [:]
            let text = events.compactMap { object($0, "delta")?["text"] as? String }.joined()
            let input = ["input_tokens", "cache_read_input_tokens", "cache_creation_input_tokens"]
                .reduce(0) { $0 + (start[$1] as? Int ?? 0) }
            return Said(text: text, input: input, output: delta["output_tokens"] as? Int ?? -1)
        }
        let usage = response.json["usage"] as? [String: Any] ?? [:]
        let text = (response.json["content"] as? [[String: Any]])?.compactMap { $0["text"] as? String }.joined() ?? ""
        let input = ["input_tokens", "cache_read_input_tokens", "cache_creation_input_tokens"]
            .reduce(0) { $0 + (usage[$1] as? Int ?? 0) }
        return Said(text: text, input: input, output: usage["output_tokens"] as? Int ?? -1)
    }

    static func readGemini(_ response: RawHTTPResponse) -> Said {
        let chunks = response.headers["content-type"]?.hasPrefix("text/event-stream") == true
            ? response.dataObjects : [response.json]
        let usage = chunks.last.flatMap { object($0, "usageMetadata") } ?? [:]
        return Said(text: GeminiFormatTests.answerText(chunks), input: usage["promptTokenCount"] as? Int ?? -1,
                    output: (usage["candidatesTokenCount"] as? Int ?? 0) + (usage["thoughtsTokenCount"] as? Int ?? 0))
    }

    @Test("Answers and token totals agree across OpenAI, Azure, Anthropic and Gemini, streamed or not")
    func agreement() throws {
        let prompts = (1...8).map { "Compute: \($0 * 91) - \($0 * 17)" }
        try withServer(Self.config) { server in
            var correct = 0
            for prompt in prompts {
                let reference = Self.readOpenAI(try chat(server, model: "sim/coin", user: prompt, system: "Be brief.", key: "k"))
                let others = [
                    Self.readOpenAI(try chat(server, model: "sim/coin", user: prompt, system: "Be brief.", key: "k",
                                         extra: ["stream": true, "stream_options": ["include_usage": true]])),
                    Self.readOpenAI(try azure(server, model: "sim/coin", user: prompt, system: "Be brief.", key: "k")),
                    Self.readAnthropic(try anthropic(server, model: "sim/coin", user: prompt, system: "Be brief.", key: "k")),
                    Self.readAnthropic(try anthropic(server, model: "sim/coin", user: prompt, system: "Be brief.", key: "k",
                                                 extra: ["stream": true])),
                    Self.readGemini(try gemini(server, model: "sim/coin", user: prompt, system: "Be brief.", key: "k")),
                    Self.readGemini(try gemini(server, model: "sim/coin", user: prompt, system: "Be brief.", key: "k",
                                           stream: true)),
                ]
                #expect(reference.input > 0 && reference.output > 3)
                for said in others { #expect(said == reference, "\(prompt)") }
                if reference.text == TaskFamily(prompt: prompt).correctAnswer { correct += 1 }
            }
            // Accuracy 0.5: the answers really depend on the request.
            #expect(correct > 0 && correct < prompts.count)
        }
    }
}
