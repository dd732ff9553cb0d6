import Foundation
import Testing
@testable import FakeProvider

/// Logprobs as the fake returns them when asked: each format's documented shape, the same
/// mean probability in every format, about 0.9 for a right answer and 0.55 for a wrong one.
struct LogprobsTests {
    static let config = FakeProviderConfig(models: [.init(name: "sim/coin", accuracy: 0.5)])

    /// Every `logprob` of OpenAI's `logprobs.content` lists, plain or streamed.
    private func openAILogprobs(_ response: RawHTTPResponse) -> [Double] {
        let choices = ((response.json["choices"] as? [[String: Any]]) ?? [])
            + response.dataObjects.flatMap { $0["choices"] as? [[String: Any]] ?? [] }
        return choices.flatMap { choice -> [Double] in
            let content = (choice["logprobs"] as? [String: Any])?["content"] as? [[String: Any]] ?? []
            return content.compactMap { token in
                #expect(token["token"] is String && token["bytes"] is [Int] && token["top_logprobs"] is [Any])
                return token["logprob"] as? Double
            }
        }
    }

    /// Every `logProbability` of Gemini's `chosenCandidates`, plain or streamed.
    private func geminiLogprobs(_ response: RawHTTPResponse) -> [Double] {
        let chunks = response.dataObjects.isEmpty ? [response.json] : response.dataObjects
        return chunks.flatMap { chunk -> [Double] in
            let candidate = (chunk["candidates"] as? [[String: Any]])?.first
            let result = candidate?["logprobsResult"] as? [String: Any]
            let chosen = result?["chosenCandidates"] as? [[String: Any]] ?? []
            return chosen.compactMap { $0["logProbability"] as? Double }
        }
    }

    private func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(1, values.count)) }

    @Test func everyFormatReturnsTheSameConfidenceWhenAsked() throws {
        try withServer(Self.config) { server in
            var seen: Set<Bool> = []
            for index in 1...12 {
                let prompt = "Compute: \(index * 13) + 4"
                let plain = try chat(server, model: "sim/coin", user: prompt)
                #expect(openAILogprobs(plain).isEmpty, "not asked: null")
                let asked = openAILogprobs(try chat(server, model: "sim/coin", user: prompt, extra: ["logprobs": true]))
                let streamed = openAILogprobs(try chat(server, model: "sim/coin", user: prompt,
                                                       extra: ["logprobs": true, "stream": true]))
                let azured = openAILogprobs(try azure(server, model: "sim/coin", user: prompt, extra: ["logprobs": true]))
                let google = geminiLogprobs(try gemini(server, model: "sim/coin", user: prompt,
                                                       generationConfig: ["responseLogprobs": true]))
                let googleStreamed = geminiLogprobs(try gemini(server, model: "sim/coin", user: prompt, stream: true,
                                                               generationConfig: ["responseLogprobs": true]))
                #expect(geminiLogprobs(try gemini(server, model: "sim/coin", user: prompt)).isEmpty)
                let probability = exp(mean(asked))
                for other in [streamed, azured, google, googleStreamed] {
                    #expect(!other.isEmpty && abs(exp(mean(other)) - probability) < 1e-9, "\(prompt)")
                }
                #expect(asked.allSatisfy { $0 <= 0 })
                // Right answers at 0.84–0.96, wrong ones at 0.49–0.61.
                let right = probability > 0.8
                #expect(right ? probability <= 0.96 : (0.49...0.61).contains(probability), "\(probability)")
                let meant = Simulator.outcome(model: Self.config.models[0],
                                              messages: [ChatMessage(role: "user", content: prompt)])
                #expect(meant.isCorrect == right, "\(prompt): \(probability)")
                seen.insert(right)
            }
            #expect(seen == [true, false], "both kinds of answer among the prompts")
        }
    }

    @Test func aLogprobsFlagThatIsNotABooleanIsRefused() throws {
        try withServer(Self.config) { server in
            let response = try chat(server, model: "sim/coin", user: "hi", extra: ["logprobs": "yes"])
            #expect(response.status == 400)
            #expect(response.body.contains("Invalid type for 'logprobs': expected a boolean."))
        }
    }
}
