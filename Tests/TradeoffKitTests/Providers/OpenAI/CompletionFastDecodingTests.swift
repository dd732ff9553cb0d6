import Foundation
import Testing
@testable import TradeoffKit

/// The fast path for OpenAI completions and chunks must read exactly what `JSONDecoder` reads,
/// or step aside.
struct CompletionFastDecodingTests {
    typealias Completion = OpenAIChatCompletions.Completion

    private static func decoded(_ json: String) -> String? {
        (try? JSONDecoder().decode(Completion.self, from: Data(json.utf8))).map { String(reflecting: $0) }
    }

    private static func fast(_ json: String) -> String? {
        Completion.fastDecoded(from: json).map { String(reflecting: $0) }
    }

    static let readable: [String] = [
        // The fake provider's four chunks, as OpenAI sends them.
        #"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1795577785,"model":"sim/bench","system_fingerprint":"fp_1","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"usage":null}"#,
        #"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1795577785,"model":"sim/bench","choices":[{"index":0,"delta":{"content":"10"},"logprobs":null,"finish_reason":null}],"usage":null}"#,
        #"{"id":"chatcmpl-1","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}"#,
        #"{"id":"chatcmpl-1","choices":[],"usage":{"prompt_tokens":23,"completion_tokens":1,"total_tokens":24}}"#,
        // A whole completion, with details, pretty-printed.
        """
        {
          "id": "chatcmpl-2", "model": "gpt-4o-mini-2024-07-18",
          "choices": [ { "index": 0, "message": { "role": "assistant", "content": "Paris", "refusal": null },
                         "finish_reason": "length" } ],
          "usage": { "prompt_tokens": 1200, "completion_tokens": 300,
                     "prompt_tokens_details": { "cached_tokens": 1024, "audio_tokens": 0 },
                     "completion_tokens_details": { "reasoning_tokens": 256, "accepted_prediction_tokens": 0 } }
        }\r\n
        """,
        // OpenRouter's provider, Groq's x_groq usage, a refusal, nulls everywhere.
        #"{"id":"gen-1","provider":"Together","model":"meta/llama","choices":[{"delta":{"content":null,"refusal":"I can't"},"finish_reason":null}]}"#,
        #"{"id":"c","x_groq":{"id":"req_1","usage":{"prompt_tokens":5,"completion_tokens":7}},"choices":[]}"#,
        #"{"id":null,"model":null,"provider":null,"choices":null,"usage":null,"x_groq":null,"error":null}"#,
        #"{"usage":{"prompt_tokens":-0,"completion_tokens":0,"prompt_tokens_details":null,"completion_tokens_details":{},"cost":null}}"#,
        // Text with escapes, surrogate pairs, raw UTF-8 and unknown values of every kind.
        #"{"choices":[{"delta":{"content":"a\"b\\c\/d\b\f\n\r\t\u0000\u00e9\uD83D\uDE00 caf\u00E9 日本 😀"}}],"x":[1,-2.5e+3,0.0,true,false,null,{"y":[[]]},"\u2028"]}"#,
        #"{}"#,
        " \t\n{\"choices\":[]}\n ",
    ]

    /// JSONDecoder is lenient or particular here; the fast path leaves all of it to the decoder.
    static let leftToTheDecoder: [String] = [
        #"{"error":{"message":"overloaded","code":529}}"#,
        #"{"usage":{"prompt_tokens":1,"completion_tokens":2,"cost":0.0012}}"#,
        #"{"usage":{"prompt_tokens":1.0,"completion_tokens":2}}"#,
        #"{"usage":{"prompt_tokens":1e2,"completion_tokens":2}}"#,
        #"{"usage":{"prompt_tokens":"1"}}"#,
        #"{"\u0069d":"escaped key"}"#,
        #"{"x":1.}"#,
        #"{"x":-}"#,
        #"{"x":"\x"}"#,
        #"{"id":"\ud83d"}"#,
        "{\"id\":\"a\u{1}\"}",
        #"{"id":"a"} x"#,
        #"[{"id":"a"}]"#,
        "\u{FEFF}{\"id\":\"a\"}",
        #"{"usage":{"prompt_tokens":123456789012345678901}}"#,
        #"{"choices":[{"delta":{"content":"a"},}]}"#,
        "",
        String(repeating: #"{"x":"#, count: 100) + "1" + String(repeating: "}", count: 100),
    ]

    @Test(arguments: readable)
    func readsWhatJSONDecoderReads(_ json: String) throws {
        let fast = try #require(Self.fast(json))
        #expect(fast == Self.decoded(json))
        #expect(Completion.fastDecoded(from: Data(json.utf8)).map { String(reflecting: $0) } == fast)
    }

    /// A repeated key keeps its last value, as in JavaScript and Python — and in the tolerant
    /// reading the fast path steps aside for (`JSONDecoder` alone would keep the first).
    @Test(arguments: [#"{"id":"a","id":"b"}"#, #"{"id":"a","choices":[],"id":"b"}"#])
    func aRepeatedKeyKeepsItsLastValue(_ json: String) throws {
        #expect(Completion.fastDecoded(from: json)?.id == "b")
        let tolerant = try #require(ReplyJSON.decode(Completion.self, from: Data(json.utf8), usageKeys: ["usage"]))
        #expect(tolerant.value.id == "b")
    }

    @Test(arguments: leftToTheDecoder)
    func stepsAsideWhereTheDecoderHasItsOwnRules(_ json: String) {
        #expect(Self.fast(json) == nil)
    }

    /// Random edits of real chunks: whatever the fast path still reads, the decoder reads the same.
    @Test func neverDisagreesWithJSONDecoderOnDamagedInput() {
        let alphabet: [UInt8] = Array(#"{}[]:,"\ u0123456789.eE+-tfnl aé"#.utf8) + [0x00, 0x0A, 0xFF, 0xC3]
        var generator = Xoshiro256(seed: 11)
        var accepted = 0
        for _ in 0..<20_000 {
            var bytes = Array(Self.readable.randomElement(using: &generator)!.utf8)
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let position = Int.random(in: 0...bytes.count, using: &generator)
                let byte = alphabet.randomElement(using: &generator)!
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes.insert(byte, at: position)
                case 1 where position < bytes.count: bytes.remove(at: position)
                default: if position < bytes.count { bytes[position] = byte }
                }
            }
            let data = Data(bytes)
            guard let fast = Completion.fastDecoded(from: data) else { continue }
            accepted += 1
            let decoded = try? JSONDecoder().decode(Completion.self, from: data)
            #expect(decoded.map { String(reflecting: $0) } == String(reflecting: fast), "\(bytes)")
        }
        // Most single edits still leave valid JSON (inside strings, unknown values).
        #expect(accepted > 1_000)
    }
}
