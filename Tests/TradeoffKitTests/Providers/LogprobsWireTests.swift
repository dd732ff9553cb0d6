import Foundation
import Testing
@testable import TradeoffKit

/// Token logprobs on the wire: asked for in each provider's documented field only when a
/// `confidence` grader reads them, and read back from documented replies (plain and streamed),
/// hostile values becoming a reason, never a crash, a lost answer or a probability above 1.
struct LogprobsWireTests {
    static let asking: ChatRequest = {
        var chat = WireFixture.chat
        chat.logprobs = true
        return chat
    }()

    private func body(_ chat: ChatRequest, _ provider: ProviderKind, stream: Bool = false,
                      preset: ProviderPreset? = nil) -> String {
        String(decoding: Provider.request(for: chat, model: WireFixture.model(provider, stream: stream, preset: preset),
                                          apiKey: nil).body, as: UTF8.self)
    }

    @Test func openAIAndAzureAskWithLogprobsTrueOnlyWhenNeeded() {
        for (provider, preset) in [(ProviderKind.openAI, nil), (.azureOpenAI, nil), (.openAICompatible, ProviderPreset.vllm)] {
            for stream in [false, true] {
                let asked = body(Self.asking, provider, stream: stream, preset: preset)
                #expect(asked.contains(#""logprobs":true"#), "\(provider) stream \(stream)")
                #expect(!body(WireFixture.chat, provider, stream: stream, preset: preset).contains("logprobs"),
                        "\(provider) stream \(stream)")
            }
        }
        // The body is otherwise the one the fast writer makes.
        #expect(body(WireFixture.chat, .openAI)
                == #"{"max_completion_tokens":16,"messages":[{"content":"hi","role":"user"}],"model":"m","temperature":0}"#)
        #expect(body(Self.asking, .openAI)
                == #"{"logprobs":true,"max_completion_tokens":16,"messages":[{"content":"hi","role":"user"}],"model":"m","temperature":0}"#)
    }

    @Test func geminiAsksWithResponseLogprobsInTheGenerationConfig() {
        #expect(body(Self.asking, .gemini).contains(
            #""generationConfig":{"maxOutputTokens":16,"responseLogprobs":true,"temperature":0}"#))
        #expect(!body(WireFixture.chat, .gemini).contains("ogprobs"))
    }

    @Test func anthropicIsNeverAskedForLogprobs() {
        #expect(!body(Self.asking, .anthropic).contains("logprob"))
    }

    @Test func theCacheKeyTellsARequestForLogprobsApart() {
        let key = RequestKey(model: WireFixture.model(.openAI))
        #expect(key.hash(Self.asking, repeatIndex: 0) != key.hash(WireFixture.chat, repeatIndex: 0))
        #expect(key.hash(Self.asking, repeatIndex: 0) == key.hash(Self.asking, repeatIndex: 0))
    }

    // MARK: OpenAI replies

    /// A chat completion as documented, its `logprobs.content` listing `values` as written.
    static func completion(_ values: [String], logprobs: String? = nil) -> String {
        let content = values.enumerated().map { index, value in
            #"{"token":"t\#(index)","logprob":\#(value),"bytes":[116],"top_logprobs":[]}"#
        }.joined(separator: ",")
        let block = logprobs ?? #"{"content":[\#(content)],"refusal":null}"#
        return #"{"id":"chatcmpl-1","object":"chat.completion","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Paris"},"logprobs":\#(block),"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}"#
    }

    @Test func openAIMeanLogprobIsTheMeanOfTheContentTokens() throws {
        let reply = try WireFixture.reply(Self.completion(["-0.1", "-0.3"]), .openAI, chat: Self.asking).get()
        #expect(reply.text == "Paris")
        let mean = try #require(reply.logprobs?.mean)
        #expect(abs(mean - -0.2) < 1e-12)
        #expect(reply.logprobs?.tokens == 2)
        #expect(abs((reply.logprobs?.meanProbability ?? 0) - exp(-0.2)) < 1e-12)
        // Not asked for: not read, even when a host sends them anyway.
        #expect(try WireFixture.reply(Self.completion(["-0.1"]), .openAI).get().logprobs == nil)
        // Asked for but absent (a host without logprobs support): nothing recorded.
        #expect(try WireFixture.reply(Self.completion([], logprobs: "null"), .openAI, chat: Self.asking).get().logprobs == nil)
    }

    @Test func openAIStreamedChunksCarryTheirTokensLogprobs() throws {
        func chunk(_ delta: String, _ logprobs: String, finish: String = "null") -> String {
            #"data: {"id":"c","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":\#(delta),"logprobs":\#(logprobs),"finish_reason":\#(finish)}]}"# + "\n\n"
        }
        let body = chunk(#"{"role":"assistant","content":""}"#, #"{"content":[],"refusal":null}"#)
            + chunk(#"{"content":"Par"}"#, #"{"content":[{"token":"Par","logprob":-0.5,"bytes":[80,97,114],"top_logprobs":[]}],"refusal":null}"#)
            + chunk(#"{"content":"is"}"#, #"{"content":[{"token":"is","logprob":-0.1,"bytes":[105,115],"top_logprobs":[]}],"refusal":null}"#)
            + chunk("{}", "null", finish: #""stop""#)
            + "data: [DONE]\n\n"
        let reply = try WireFixture.reply(body, .openAI, stream: true, chat: Self.asking).get()
        #expect(reply.text == "Paris")
        #expect(abs((reply.logprobs?.mean ?? 0) - -0.3) < 1e-12)
        #expect(reply.logprobs?.tokens == 2)
    }

    /// Hostile logprobs: the answer is kept, its logprobs unusable with a reason.
    @Test(arguments: [
        (["0.5"], "is 0.5, but a log probability is a finite number at most 0"),
        (["-0.1", "\"NaN\""], "content[1].logprob is the string 'NaN', not a number"),
        (["true"], "content[0].logprob is true, not a number"),
        (["null"], "content[0].logprob is null, not a number"),
        (["{}"], "content[0].logprob is an object, not a number"),
        (["-1e400"], "choices[0].logprobs could not be read"),
    ])
    func openAIHostileLogprobsAreNotRecorded(values: [String], reason: String) throws {
        let reply = try WireFixture.reply(Self.completion(values), .openAI, chat: Self.asking).get()
        #expect(reply.text == "Paris")
        let problem = try #require(reply.logprobs?.reason)
        #expect(problem.contains(reason), "\(problem)")
        #expect(reply.logprobs?.mean == nil)
    }

    @Test func openAIMisshapenLogprobsAreNotRecorded() throws {
        for (block, reason) in [(#""high""#, "choices[0].logprobs is not an object"),
                                (#"{"content":7}"#, "choices[0].logprobs.content is not a list"),
                                (#"{"content":[3]}"#, "choices[0].logprobs.content[0] is not an object"),
                                (#"{"content":[{"token":"x"}]}"#, "content[0].logprob is missing")] {
            let reply = try WireFixture.reply(Self.completion([], logprobs: block), .openAI, chat: Self.asking).get()
            #expect(reply.text == "Paris")
            #expect(reply.logprobs?.reason?.contains(reason) == true, "\(block): \(String(describing: reply.logprobs))")
        }
    }

    // MARK: Gemini replies

    static func generateContent(_ candidateExtras: String) -> String {
        #"{"candidates":[{"content":{"parts":[{"text":"Paris"}],"role":"model"},"finishReason":"STOP","index":0\#(candidateExtras)}],"usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":2,"totalTokenCount":7},"modelVersion":"m"}"#
    }

    @Test func geminiMeanIsOverTheChosenCandidates() throws {
        let body = Self.generateContent(#","avgLogprobs":-0.9,"logprobsResult":{"topCandidates":[],"chosenCandidates":[{"token":"Par","logProbability":-0.4},{"token":"is","logProbability":-0.2}],"logProbabilitySum":-0.6}"#)
        let reply = try WireFixture.reply(body, .gemini, chat: Self.asking).get()
        #expect(abs((reply.logprobs?.mean ?? 0) - -0.3) < 1e-12)
        #expect(reply.logprobs?.tokens == 2)
    }

    @Test func geminiAvgLogprobsAloneIsUsed() throws {
        let reply = try WireFixture.reply(Self.generateContent(#","avgLogprobs":-0.25"#), .gemini, chat: Self.asking).get()
        #expect(reply.logprobs == .recorded(mean: -0.25, tokens: nil))
        #expect(try WireFixture.reply(Self.generateContent(""), .gemini, chat: Self.asking).get().logprobs == nil)
    }

    @Test func geminiHostileLogprobsAreNotRecorded() throws {
        for (extras, reason) in [(#","avgLogprobs":3"#, "candidates[0].avgLogprobs is 3.0, but a log probability"),
                                 (#","avgLogprobs":"low""#, "avgLogprobs is the string 'low'"),
                                 (#","logprobsResult":{"chosenCandidates":[{"token":"a","logProbability":0.2}]}"#,
                                  "chosenCandidates[0].logProbability is 0.2"),
                                 (#","logprobsResult":{"chosenCandidates":"all"}"#, "chosenCandidates is not a list"),
                                 (#","logprobsResult":[1]"#, "logprobsResult is not an object")] {
            let reply = try WireFixture.reply(Self.generateContent(extras), .gemini, chat: Self.asking).get()
            #expect(reply.text == "Paris")
            #expect(reply.logprobs?.reason?.contains(reason) == true, "\(extras): \(String(describing: reply.logprobs))")
        }
    }

    @Test func geminiStreamedChunksAddUp() throws {
        func chunk(_ text: String, _ logprob: Double, finish: Bool = false) -> String {
            "data: " + #"{"candidates":[{"content":{"parts":[{"text":"\#(text)"}],"role":"model"},"#
                + (finish ? #""finishReason":"STOP","# : "")
                + #""avgLogprobs":\#(logprob),"logprobsResult":{"chosenCandidates":[{"token":"\#(text)","logProbability":\#(logprob)}]},"index":0}],"modelVersion":"m"}"#
                + "\r\n\r\n"
        }
        let body = chunk("Par", -0.6) + chunk("is", -0.2, finish: true)
        let reply = try WireFixture.reply(body, .gemini, stream: true, chat: Self.asking).get()
        #expect(reply.text == "Paris")
        #expect(abs((reply.logprobs?.mean ?? 0) - -0.4) < 1e-12)
        #expect(reply.logprobs?.tokens == 2)
    }
}
