import Foundation
import Testing
@testable import FakeProvider

@Suite("Fake provider config: flavors, usage options and faults")
struct ExtendedConfigTests {
    static let fullExample = """
        api_key: demo-key
        faults:
          rate_limit: 0.10
          retry_after_ms: 50
          server_error: 0.05
          malformed: 0.02
          cut_stream: 0.02
          slow_first_byte: 0.25
          slow_first_byte_ms: 400
        models:
          - name: sim/router
            flavor: openrouter
            cost_per_million: {input: 2.50, output: 10}
            cached_tokens: 8
            reasoning_tokens: 12
          - name: sim/claude
            cache_write_tokens: 16
            chunk_interval_ms: 5
            faults:
              overloaded: 0.5
              mid_stream_error: 0.1
              reset: 0.01
              hang: 0.01
        """

    @Test("Every option loads; a model's own faults replace the top-level ones")
    func fullExample() throws {
        let config = try FakeProviderConfig(yaml: Self.fullExample)
        let global = FakeProviderConfig.Faults(rateLimit: 0.1, retryAfterMs: 50, serverError: 0.05, malformed: 0.02,
                                               cutStream: 0.02, slowFirstByte: 0.25, slowFirstByteMs: 400)
        #expect(config.faults == global)
        #expect(config.models[0] == .init(name: "sim/router", flavor: .openrouter, cachedTokens: 8, reasoningTokens: 12,
                                          costPerMillion: .init(input: Decimal(string: "2.5")!, output: 10)))
        let own = FakeProviderConfig.Faults(overloaded: 0.5, midStreamError: 0.1, reset: 0.01, hang: 0.01)
        #expect(config.models[1] == .init(name: "sim/claude", cacheWriteTokens: 16, chunkIntervalMs: 5, faults: own))
        #expect(config.faults(for: config.models[0]) == global)
        #expect(config.faults(for: config.models[1]) == own)
    }

    @Test("Prices are read as exact decimals")
    func exactPrices() throws {
        let config = try FakeProviderConfig(yaml: "models:\n  - name: a\n    cost_per_million: {input: 0.15, output: 0.6}\n")
        #expect(config.models[0].costPerMillion == .init(input: Decimal(string: "0.15")!, output: Decimal(string: "0.6")!))
    }

    @Test("Errors in the new options point at the line and column", arguments: [
        ("models:\n  - name: a\n    flavor: openroutr\n",
         "x.yaml:3:13: error: unknown flavor 'openroutr' (did you mean 'openrouter'?)"),
        ("models:\n  - name: a\n    flavor: bedrock\n",
         "x.yaml:3:13: error: unknown flavor 'bedrock'; expected one of: openai, openrouter, groq, vllm, ollama, together"),
        ("models:\n  - name: a\n    cached_tokens: -1\n",
         "x.yaml:3:20: error: cached_tokens must be a whole number of tokens from 0 to 10000000, got '-1'"),
        ("models:\n  - name: a\n    cost_per_million: {input: 1}\n",
         "x.yaml:3:23: error: cost_per_million needs 'output' (USD per million tokens)"),
        ("models:\n  - name: a\n    cost_per_million: {input: 1, output: 1e-3}\n",
         "x.yaml:3:42: error: output must be a price in USD per million tokens, like 2.50, got '1e-3'"),
        ("models:\n  - name: a\n    cost_per_million: {input: 1, output: 2, cache: 1}\n",
         "x.yaml:3:45: error: unknown key 'cache' in cost_per_million; expected one of: input, output"),
        ("faults:\n  rate_limt: 0.1\nmodels:\n  - name: a\n",
         "x.yaml:2:3: error: unknown key 'rate_limt' in faults (did you mean 'rate_limit'?)"),
        ("faults:\n  hang: 1.5\nmodels:\n  - name: a\n",
         "x.yaml:2:9: error: hang must be a fraction of requests between 0 and 1, got '1.5'"),
        ("faults:\n  rate_limit: 0.7\n  reset: 0.5\nmodels:\n  - name: a\n",
         "x.yaml:2:3: error: the failing faults take reset + rate_limit = 1.2 of requests; "
             + "their sum must be at most 1 (a request fails at most one way)"),
        ("models:\n  - name: a\n    faults: {retry_after_ms: 2.5}\n",
         "x.yaml:3:30: error: retry_after_ms must be a whole number of milliseconds from 0 to 600000, got '2.5'"),
        ("models:\n  - name: a\n    faults: []\n", "x.yaml:3:13: error: faults must be a mapping of keys to values"),
    ])
    func errors(_ yaml: String, _ expected: String) throws {
        let error = try #require(throws: FakeProviderError.self) { try FakeProviderConfig(yaml: yaml, file: "x.yaml") }
        #expect(error.description == expected)
        #expect(error.isBadInput)
    }

    @Test("A slow first byte may come with a failing fault: it is not part of their sum")
    func slowFirstByteIsIndependent() throws {
        let config = try FakeProviderConfig(yaml: "faults:\n  rate_limit: 1\n  slow_first_byte: 1\nmodels:\n  - name: a\n")
        #expect(config.faults.rateLimit == 1 && config.faults.slowFirstByte == 1)
    }
}
