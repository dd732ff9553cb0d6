import Foundation
import Testing
@testable import FakeProvider

/// "Compute: 2 + 3" with an 8-character system prompt: ceil(22 / 4) = 6, plus 3 per message.
let smallPromptTokens = 12
let personPrompt = familyCases[4].prompt
let personAnswer = familyCases[4].correct

@Suite("OpenAI Chat Completions and its hosts")
struct OpenAIFormatTests {
    static let config = FakeProviderConfig(models: [
        .init(name: "sim/plain"),
        .init(name: "sim/details", cachedTokens: 4, reasoningTokens: 5),
        .init(name: "sim/all-cached", cachedTokens: 1000),
        .init(name: "sim/router", flavor: .openrouter, costPerMillion: .init(input: Decimal(string: "2.5")!, output: 10)),
        .init(name: "sim/groq", flavor: .groq),
        .init(name: "sim/vllm", flavor: .vllm),
        .init(name: "sim/ollama", flavor: .ollama),
        .init(name: "sim/together", flavor: .together),
    ])

    @Test("Usage details report cache reads and reasoning only for models that have them")
    func usageDetails() throws {
        try withServer(Self.config) { server in
            let detailed = try chat(server, model: "sim/details", user: "Compute: 2 + 3", system: "abcdefgh")
            let usage = try #require(detailed.json["usage"] as? [String: Any])
            #expect(usage["prompt_tokens"] as? Int == smallPromptTokens)
            #expect(usage["completion_tokens"] as? Int == 6)  // the answer "5" and 5 reasoning tokens
            #expect(usage["total_tokens"] as? Int == 18)
            #expect(object(usage, "prompt_tokens_details")?["cached_tokens"] as? Int == 4)
            #expect(object(usage, "completion_tokens_details")?["reasoning_tokens"] as? Int == 5)

            let plain = try chat(server, model: "sim/plain", user: "Compute: 2 + 3", system: "abcdefgh")
            let plainUsage = try #require(plain.json["usage"] as? [String: Any])
            #expect(Set(plainUsage.keys) == ["prompt_tokens", "completion_tokens", "total_tokens"])

            // Cache reads never exceed the prompt.
            let cached = try chat(server, model: "sim/all-cached", user: "Compute: 2 + 3", system: "abcdefgh")
            #expect(object(object(cached.json, "usage"), "prompt_tokens_details")?["cached_tokens"] as? Int
                == smallPromptTokens)
        }
    }

    @Test("A stream sends a role chunk, one chunk per word, a finish chunk and [DONE]")
    func streamFraming() throws {
        try withServer(Self.config) { server in
            let response = try chat(server, model: "sim/plain", user: personPrompt, extra: ["stream": true])
            #expect(response.status == 200)
            #expect(response.headers["content-type"] == "text/event-stream; charset=utf-8")
            #expect(response.headers["transfer-encoding"] == "chunked")
            #expect(response.isComplete)
            let events = response.events
            #expect(events.allSatisfy { $0.name == nil && $0.comment == nil && $0.unparsed.isEmpty })
            #expect(events.last?.data == "[DONE]")
            let chunks = response.dataObjects
            #expect(chunks.count == events.count - 1)
            #expect(Set(chunks.compactMap { $0["id"] as? String }).count == 1)
            #expect(chunks.allSatisfy { $0["object"] as? String == "chat.completion.chunk" && $0["model"] as? String == "sim/plain" })
            #expect(chunks.allSatisfy { $0["usage"] == nil })

            let choices = chunks.map { ($0["choices"] as? [[String: Any]])?.first ?? [:] }
            #expect(object(choices.first, "delta")?["role"] as? String == "assistant")
            #expect(streamedText(response) == personAnswer)
            // {"name": "Grace O'Neill", "age": 46} is five words.
            #expect(choices.filter { (object($0, "delta")?["content"] as? String ?? "").isEmpty == false }.count == 5)
            #expect(choices.dropLast().allSatisfy { $0["finish_reason"] is NSNull })
            #expect(choices.last?["finish_reason"] as? String == "stop")
            #expect(object(choices.last, "delta")?.isEmpty == true)
        }
    }

    @Test("include_usage adds a chunk with choices [] and the usage just before [DONE], and usage null before")
    func includeUsage() throws {
        try withServer(Self.config) { server in
            for model in ["sim/details", "sim/vllm", "sim/ollama"] {
                let response = try chat(server, model: model, user: "Compute: 2 + 3", system: "abcdefgh",
                                        extra: ["stream": true, "stream_options": ["include_usage": true]])
                let chunks = response.dataObjects
                let last = try #require(chunks.last)
                #expect((last["choices"] as? [Any])?.isEmpty == true, "\(model)")
                let usage = try #require(last["usage"] as? [String: Any])
                #expect(usage["prompt_tokens"] as? Int == smallPromptTokens)
                #expect(response.events.last?.data == "[DONE]")
                // Only the last chunk carries numbers; OpenAI itself sends explicit nulls before it.
                #expect(chunks.dropLast().allSatisfy { ($0["usage"] ?? NSNull()) is NSNull })
                if model == "sim/details" {
                    #expect(chunks.dropLast().allSatisfy { $0["usage"] is NSNull })
                    #expect(object(usage, "completion_tokens_details")?["reasoning_tokens"] as? Int == 5)
                }
            }
        }
    }

    @Test("vLLM and Ollama stream no usage without include_usage")
    func noUsageWithoutIncludeUsage() throws {
        try withServer(Self.config) { server in
            for model in ["sim/vllm", "sim/ollama", "sim/plain"] {
                let response = try chat(server, model: model, user: "Compute: 2 + 3", extra: ["stream": true])
                #expect(!response.body.contains("usage"), "\(model)")
                #expect(!response.body.contains("prompt_tokens"), "\(model)")
            }
        }
    }

    @Test("OpenRouter: comment lines first, provider in every chunk, usage with cost on the finish chunk")
    func openRouter() throws {
        try withServer(Self.config) { server in
            let response = try chat(server, model: "sim/router", user: "Compute: 2 + 3", system: "abcdefgh",
                                    extra: ["stream": true])
            let events = response.events
            #expect(events.prefix(2).allSatisfy { $0.comment == "OPENROUTER PROCESSING" && $0.data == nil })
            #expect(response.body.hasPrefix(": OPENROUTER PROCESSING\n\n"))
            let chunks = response.dataObjects
            #expect(chunks.allSatisfy { $0["provider"] as? String == "SimCloud" })
            let last = try #require(chunks.last)
            let choice = try #require((last["choices"] as? [[String: Any]])?.first)
            #expect(choice["finish_reason"] as? String == "stop")
            let usage = try #require(last["usage"] as? [String: Any])
            #expect(usage["prompt_tokens"] as? Int == 12 && usage["completion_tokens"] as? Int == 1)
            // 12 x 2.50 + 1 x 10 = 40 USD per million tokens: written exactly, as a number.
            #expect(response.body.contains(#""cost":0.00004,"#))
            #expect(chunks.dropLast().allSatisfy { $0["usage"] == nil })
            #expect(events.last?.data == "[DONE]")

            let plain = try chat(server, model: "sim/router", user: "Compute: 2 + 3", system: "abcdefgh")
            #expect(plain.json["provider"] as? String == "SimCloud")
            #expect(plain.body.contains(#""cost":0.00004,"#))
        }
    }

    @Test("Groq: streamed usage only at x_groq.usage on the final chunk; plain usage has timings")
    func groq() throws {
        try withServer(Self.config) { server in
            let response = try chat(server, model: "sim/groq", user: "Compute: 2 + 3", system: "abcdefgh",
                                    extra: ["stream": true, "stream_options": ["include_usage": true]])
            let chunks = response.dataObjects
            #expect(chunks.allSatisfy { $0["usage"] == nil })
            let last = try #require(chunks.last)
            #expect(((last["choices"] as? [[String: Any]])?.first)?["finish_reason"] as? String == "stop")
            let usage = try #require(object(object(last, "x_groq"), "usage"))
            #expect(usage["total_tokens"] as? Int == 13)
            #expect(chunks.dropLast().allSatisfy { object($0, "x_groq")?["usage"] == nil })

            let plain = try chat(server, model: "sim/groq", user: "Compute: 2 + 3", system: "abcdefgh")
            let plainUsage = try #require(plain.json["usage"] as? [String: Any])
            let times = ["queue_time", "prompt_time", "completion_time", "total_time"].compactMap { plainUsage[$0] as? Double }
            #expect(times.count == 4)
            #expect(abs(times[0] + times[1] + times[2] - times[3]) < 0.000_01)
        }
    }

    @Test("Together: usage on the last chunk, which still has choices")
    func together() throws {
        try withServer(Self.config) { server in
            let response = try chat(server, model: "sim/together", user: "Compute: 2 + 3", extra: ["stream": true])
            let last = try #require(response.dataObjects.last)
            #expect((last["choices"] as? [Any])?.count == 1)
            #expect(object(last, "usage")?["completion_tokens"] as? Int == 1)
        }
    }

    @Test("Ollama honours only max_tokens; the others prefer max_completion_tokens")
    func outputLimits() throws {
        try withServer(Self.config) { server in
            let ignored = try chat(server, model: "sim/ollama", user: personPrompt, extra: ["max_completion_tokens": 2])
            #expect(ignored.content == personAnswer)
            let honoured = try chat(server, model: "sim/ollama", user: personPrompt, extra: ["max_tokens": 2])
            #expect(honoured.content == #"{"name":"#)
            let openAI = try chat(server, model: "sim/plain", user: personPrompt, extra: ["max_completion_tokens": 2])
            #expect(openAI.content == #"{"name":"#)
        }
    }

    @Test("A stream cut by max_tokens finishes with length")
    func streamLength() throws {
        try withServer(Self.config) { server in
            let response = try chat(server, model: "sim/plain", user: personPrompt, extra: ["stream": true, "max_tokens": 3])
            #expect(streamedText(response) == #"{"name": "Gr"#)
            let last = response.dataObjects.last.flatMap { ($0["choices"] as? [[String: Any]])?.first }
            #expect(last?["finish_reason"] as? String == "length")
        }
    }

    @Test("chunk_interval_ms spaces a stream's events")
    func chunkInterval() throws {
        let config = FakeProviderConfig(models: [.init(name: "sim/slow-stream", chunkIntervalMs: 20)])
        try withServer(config) { server in
            let clock = ContinuousClock()
            let start = clock.now
            let response = try chat(server, model: "sim/slow-stream", user: personPrompt, extra: ["stream": true])
            // Role, five words, finish and [DONE]: eight events, seven gaps.
            #expect(response.events.count == 8)
            #expect(clock.now - start >= .milliseconds(7 * 20))
            #expect(streamedText(response) == personAnswer)
        }
    }
}
