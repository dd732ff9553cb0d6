import Foundation
import Testing
import TradeoffTestSupport
@testable import TradeoffKit

/// Seeded fuzzing of the readers that take input from outside: suite files (YAML, with their
/// catalogs and datasets), server-sent events and JSON replies. Inputs are valid seeds mutated —
/// cut short, bytes flipped, invalid UTF-8, deep nesting, huge numbers, pieces repeated or
/// dropped — and each must give a value or an error at a position in the file, never a crash or
/// a hang. Seeds are fixed, so a failure names the input that caused it and repeats; a found
/// crash stays below as a regression case. Bounded to a few seconds in all.
struct FuzzTests {
    // MARK: - JSON

    static let jsonSeeds = [
        #"{"id":"chatcmpl-1","model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"42"},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":2,"total_tokens":12}}"#,
        #"{"id":"c","choices":[{"index":0,"delta":{"content":"Hel\u00e9\ud83d\ude00"}}],"usage":null,"x_groq":{"usage":{"prompt_tokens":1}}}"#,
        #"{"type":"message","content":[{"type":"text","text":"hi"}],"usage":{"input_tokens":9,"output_tokens":1},"stop_reason":"end_turn"}"#,
        #"{"candidates":[{"content":{"parts":[{"text":"ok"}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":3}}"#,
        #"[1, -0.5e-3, 1E+400, true, false, null, "a\"\\\/\b\f\n\r\t", {"": []}]"#,
        "{\"reasoning\": \"fine\",\n \"score\": 4}\n",
        #"{"error":{"message":"bad key","type":"invalid_request_error","code":"invalid_api_key"}}"#,
    ]

    @Test func jsonReadersGiveAValueOrALocatedError() throws {
        for seed in 0..<400 { try checkJSON(seed: seed) }
    }

    /// Seeds that once crashed, found by longer runs of the loops here.
    @Test(arguments: [
        // `\ud83d\u1e40`: a high surrogate escaped before an escape that is not a low one
        // trapped on an overflow in JSONTree (every JSON answer, verdict and dataset row).
        2108,
    ])
    func jsonSeedsThatCrashedOnce(_ seed: Int) throws {
        try checkJSON(seed: seed)
    }

    private func checkJSON(seed: Int) throws {
        var mutator = Mutator(seed: UInt64(seed))
        let input = mutator.mutate(Array(Self.jsonSeeds[seed % Self.jsonSeeds.count].utf8), tokens: Mutator.jsonTokens)
        try checkJSON(input, seed: seed)
    }

    @Test(arguments: [
        // Nesting far past every reader's limit, and numbers past every type's range.
        String(repeating: "[", count: 100_000),
        String(repeating: "{\"a\":", count: 50_000) + "1" + String(repeating: "}", count: 50_000),
        "[" + String(repeating: "9", count: 100_000) + "]",
        #"{"usage":{"prompt_tokens":99999999999999999999999999,"completion_tokens":-1e999}}"#,
        "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"\\ud83d\\u0041\"", "\"\\ud83d\\ud83d\\ude00\"", "\"\\u00\"", "-", "01", "1.", "1e", "\u{FEFF}{}",
    ])
    func jsonEdgeCases(_ text: String) throws {
        try checkJSON(Array(text.utf8), seed: -1)
    }

    @Test func invalidUTF8IsAnErrorInEveryJSONReader() throws {
        for bytes: [UInt8] in [[0x22, 0xFF, 0x22], [0x22, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x7B, 0x22, 0xC0, 0xAF]] {
            try checkJSON(bytes, seed: -1)
            #expect(bytes.withUnsafeBytes { JSONReader.isPlain($0) } == false)
        }
    }

    private func checkJSON(_ input: [UInt8], seed: Int, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let data = Data(input)
        let tree = JSONTree.parse(data, file: "fuzz.json")
        if case .failure(let error) = tree {
            let lines = Self.lineCount(input)
            for diagnostic in error.diagnostics {
                // Only "is not UTF-8 text" concerns the whole file; every other error has its place.
                if diagnostic.message != "is not UTF-8 text" {
                    #expect(Self.isLocated(diagnostic, lines: lines), "seed \(seed): \(diagnostic)",
                            sourceLocation: sourceLocation)
                }
            }
        }
        // The fast reader accepts only strict JSON: what it vouches for, the tree reads too.
        if input.withUnsafeBytes({ JSONReader.isPlain($0) }) {
            #expect(tree.isSuccess, "seed \(seed): isPlain accepted what the tree rejects", sourceLocation: sourceLocation)
        }
        if OpenAIChatCompletions.Completion.fastDecoded(from: data) != nil {
            #expect(tree.isSuccess, "seed \(seed): fastDecoded accepted what the tree rejects", sourceLocation: sourceLocation)
        }
        for provider in [ProviderKind.openAI, .anthropic, .gemini] {
            Self.expectReplyOrError(WireFixture.reply(bytes: data, provider, stream: false,
                                                      headers: ["content-type": "application/json"]),
                                    seed: seed, sourceLocation: sourceLocation)
        }
    }

    // MARK: - Server-sent events

    static let sseSeeds = [
        "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n"
            + "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}}\n\ndata: [DONE]\n\n",
        "event: message_start\r\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"c\",\"content\":[],"
            + "\"usage\":{\"input_tokens\":9,\"output_tokens\":1}}}\r\n\r\n: keep-alive\r\n\r\nevent: content_block_delta\r\n"
            + "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"par\"}}\r\n\r\n"
            + "event: message_delta\r\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
            + "\"usage\":{\"output_tokens\":3}}\r\n\r\nevent: message_stop\r\ndata: {\"type\":\"message_stop\"}\r\n\r\n",
        "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"o\"}]}}]}\r\r"
            + "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"k\"}]},\"finishReason\":\"STOP\"}],"
            + "\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":2}}\r\r",
        ": OPENROUTER PROCESSING\n\ndata:{\"choices\":[]}\nid: 7\nretry: 10\nevent:\ndata\ndata: é\n\n",
    ]

    @Test func eventStreamsGiveEventsAndEachFormatAReplyOrAnError() {
        for seed in 0..<600 {
            var mutator = Mutator(seed: UInt64(seed))
            let input = mutator.mutate(Array(Self.sseSeeds[seed % Self.sseSeeds.count].utf8), tokens: Mutator.sseTokens)
            checkEvents(input, seed: seed)
        }
    }

    @Test(arguments: [
        String(repeating: "data: x\n", count: 50_000) + "\n",
        String(repeating: "\r", count: 100_000),
        "data: " + String(repeating: "[", count: 100_000) + "\n\n",
        String(repeating: ":", count: 100_000),
    ])
    func eventStreamEdgeCases(_ text: String) {
        checkEvents(Array(text.utf8), seed: -1)
    }

    private func checkEvents(_ input: [UInt8], seed: Int, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let events = ServerSentEvents.parse(input)
        // Each event ends past the one before, inside the body.
        let offsets = events.map(\.endOffset)
        #expect(zip(offsets, offsets.dropFirst()).allSatisfy { $0 < $1 } && offsets.allSatisfy { $0 <= input.count },
                "seed \(seed): offsets \(offsets) in \(input.count) bytes", sourceLocation: sourceLocation)
        // Read alike whatever the collection holding the bytes.
        #expect(ServerSentEvents.parse(input.lazy.map { $0 }) == events, "seed \(seed)", sourceLocation: sourceLocation)
        for provider in [ProviderKind.openAI, .anthropic, .gemini] {
            Self.expectReplyOrError(WireFixture.reply(bytes: Data(input), provider, stream: true,
                                                      headers: ["content-type": "text/event-stream"]),
                                    seed: seed, sourceLocation: sourceLocation)
        }
    }

    private static func expectReplyOrError(_ result: Result<ProviderReply, CallError>, seed: Int,
                                           sourceLocation: Testing.SourceLocation) {
        if case .failure(let error) = result {
            #expect(!error.message.isEmpty, "seed \(seed): an error without a message", sourceLocation: sourceLocation)
        }
    }

    // MARK: - Suites

    static let suiteSeed = """
        suite: fuzz
        description: "Suites as a user might write them, then broken"
        models: {catalog: models.yaml, only: [small, big]}
        defaults: {temperature: 0.2, max_tokens: 64, threshold: 1.0}
        tasks:
          - id: classify
            system: You are a support triage assistant.
            prompt: |
              Classify the ticket. Ticket: {{ticket}}
            dataset: data/tickets.jsonl
            graders:
              - {type: exact, expected: "{{label}}", normalize: [trim, lowercase]}
              - {type: regex, pattern: 'Total: (?<total>[\\d,.]+)', flags: m}
              - {type: numeric, on: total, expected: "12", tolerance: 0.01}
          - id: csv
            prompt: "Ticket: {{ticket}}"
            dataset: data/tickets.csv
            graders:
              - {type: contains-any, values: [a, "{{label}}"], ignore_case: true, weight: 2}
              - {type: json-schema, schema: {type: object, required: [a], properties: {a: {type: integer, minimum: 1}}}}
              - {type: json-path, path: "$.items[0].sku", equals: "A-1", extract: json}
          - id: judged
            prompt: "Say {{word}}"
            cases:
              - id: one
                vars: {word: "yes", n: 1}
                graders:
                  - type: judge
                    model: big
                    rubric: Says {{word}}.
                    scale: [1, 5]
              - vars: {word: &w "no"}
                graders: [{type: one-of, labels: [*w, maybe], expected: "{{word}}"}, {type: length, max: 3}]

        """

    static let catalogSeed = """
        models:
          - id: small
            base_url: http://127.0.0.1:9/v1
            model: small-1
            class: open
            price: {input: 0.1, output: 0.2}
          - id: big
            provider: anthropic
            base_url: https://api.anthropic.com
            model: big-2
            class: frontier
            api_key_env: FUZZ_KEY
            max_concurrency: 2
            timeout: 30

        """

    static let jsonlSeed = """
        {"id": "t1", "ticket": "I was charged twice", "label": "billing"}
        {"ticket": "The app crashes", "label": "bug", "n": 3}

        """

    static let csvSeed = "id,ticket,label\nt1,\"I was charged, twice\",billing\nt2,\"A \"\"quoted\"\" crash\nover lines\",bug\n"

    @Test func suiteFilesGiveASuiteOrLocatedErrors() throws {
        let directory = try TemporaryDirectory("tradeoff-fuzz")
        defer { directory.remove() }
        let files = [("x.yaml", Self.suiteSeed), ("models.yaml", Self.catalogSeed),
                     ("data/tickets.jsonl", Self.jsonlSeed), ("data/tickets.csv", Self.csvSeed)]
        let loader = SuiteLoader(environment: ["FUZZ_KEY": "k"])
        // The seeds themselves load.
        for (name, text) in files { try directory.write(name, text) }
        #expect(loader.validate(path: directory.file("x.yaml")).filter { $0.severity == .error }.isEmpty)

        for seed in 0..<120 {
            var mutator = Mutator(seed: UInt64(seed))
            // Suite files most often; the others in turn.
            let (name, text) = seed % 2 == 0 ? files[0] : files[1 + (seed / 2) % 3]
            let input = mutator.mutate(Array(text.utf8), tokens: Mutator.yamlTokens)
            try Data(input).write(to: URL(fileURLWithPath: directory.file(name)))
            for diagnostic in loader.validate(path: directory.file("x.yaml")) {
                let file = diagnostic.file.hasPrefix("/") ? diagnostic.file : directory.file(diagnostic.file)
                let lines = (try? Data(contentsOf: URL(fileURLWithPath: file)))
                    .map { Self.lineCount(Array($0)) }
                #expect(lines == nil || Self.isLocated(diagnostic, lines: lines!, wholeFileAllowed: true),
                        "seed \(seed) (\(name)): \(diagnostic)")
            }
            try directory.write(name, text)
        }
    }

    @Test(arguments: [
        String(repeating: "[", count: 100_000),
        String(repeating: "- ", count: 20_000) + "x",
        "suite: " + String(repeating: "{a: ", count: 5_000),
        "a: &a [" + String(repeating: "*a, ", count: 10_000) + "]",
        "suite: x\ntasks: [{id: t, prompt: p, max_tokens: 99999999999999999999999999999, cases: [{vars: {a: 1e99999}}]}]",
        "\u{FEFF}suite: x\r\ntasks:\r\n  - id: t\r\n    prompt: \"\\ud800\"\r\n",
    ])
    func suiteEdgeCases(_ text: String) throws {
        let directory = try TemporaryDirectory("tradeoff-fuzz")
        defer { directory.remove() }
        try directory.write("models.yaml", Self.catalogSeed)
        let path = try directory.write("x.yaml", text)
        let lines = Self.lineCount(Array(text.utf8))
        let diagnostics = SuiteLoader(environment: [:]).validate(path: path)
        #expect(!diagnostics.isEmpty)
        for diagnostic in diagnostics where diagnostic.file == path {
            #expect(Self.isLocated(diagnostic, lines: lines, wholeFileAllowed: true), "\(diagnostic)")
        }
    }

    // MARK: - Support

    /// Lines as readers count them: LF, CRLF or a lone CR ends one (so counting CRs too can only
    /// overcount, which keeps the check loose where it must be).
    static func lineCount(_ bytes: [UInt8]) -> Int {
        1 + bytes.count { $0 == 0x0A || $0 == 0x0D }
    }

    /// Whether `diagnostic` points into a file of `lines` lines (the line after the last one is
    /// where an unexpected end is reported).
    static func isLocated(_ diagnostic: Diagnostic, lines: Int, wholeFileAllowed: Bool = false) -> Bool {
        guard let line = diagnostic.line else { return wholeFileAllowed }
        return (1...lines + 1).contains(line) && (diagnostic.column ?? 1) >= 1
    }
}

private extension Result {
    var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}

/// Deterministic mutations of a seed input.
struct Mutator {
    private var random: Xoshiro256

    init(seed: UInt64) { random = Xoshiro256(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ 1) }

    static let jsonTokens = ["{", "}", "[", "]", "\"", "\\", ",", ":", "\\u", "\\ud83d", "\\udc00", "null", "-", ".", "e+",
                             "1e400", "-0", "184467440737095516160", String(repeating: "9", count: 400), "0.0000001e-400",
                             "\"usage\":", "\"choices\":", "\"content\":"]
    static let sseTokens = ["\n", "\r", "\r\n", "\n\n", "data:", "data: ", "event: ", ":", "id: ", "retry: x",
                            "data: [DONE]\n\n", "{", "\"", "\u{0301}", "\u{FEFF}", "event: error\n", "é"]
    static let yamlTokens = ["\n", "  ", "- ", ": ", "{", "}", "[", "]", "&a ", "*a", "!!binary ", "!!python/object ", "? ",
                             "|", ">-", "'", "\"", "\\", "\t", "#", "---\n", "...\n", "<<: *a", "{{", "}}", "1e99999",
                             "99999999999999999999999", "-1", ".inf", "~", ",", "\"", "\r\n", "\u{FEFF}",
                             "type: ", "graders: ", "dataset: ", "vars: ", "judge", "regex", "pattern: '(a+)+'"]

    private mutating func below(_ bound: Int) -> Int { bound <= 0 ? 0 : Int(random.next() % UInt64(bound)) }

    /// `seed` changed one to four times.
    mutating func mutate(_ seed: [UInt8], tokens: [String]) -> [UInt8] {
        var bytes = seed
        for _ in 0...below(4) {
            let at = below(bytes.count + 1)
            switch below(9) {
            case 0: bytes.removeSubrange(at...)
            case 1 where at < bytes.count: bytes[at] ^= UInt8(1) << below(8)
            case 2 where at < bytes.count:
                // Bytes no UTF-8 text holds, and starts of sequences left unfinished.
                bytes[at] = [0x00, 0xFF, 0xC0, 0xC3, 0x80, 0xED, 0xF4, 0xF8, 0x7F, 0x1B][below(10)]
            case 3: bytes.insert(contentsOf: [0xED, 0xA0, 0x80], at: at)
            case 4, 5: bytes.insert(contentsOf: Array(tokens[below(tokens.count)].utf8), at: at)
            case 6:
                let end = min(bytes.count, at + below(40))
                bytes.removeSubrange(at..<end)
            case 7:
                let end = min(bytes.count, at + below(60))
                bytes.insert(contentsOf: Array(bytes[at..<end]), at: below(bytes.count + 1))
            default:
                // Deep nesting.
                let opener = [UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: "-"), UInt8(ascii: "\"")][below(4)]
                bytes.insert(contentsOf: [UInt8](repeating: opener, count: 1 + below(3000)), at: at)
            }
        }
        return bytes
    }
}
