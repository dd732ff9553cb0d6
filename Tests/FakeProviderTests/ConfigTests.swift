import Testing
@testable import FakeProvider

@Suite("Fake provider config")
struct ConfigTests {
    @Test("The demo config loads")
    func demoConfig() throws {
        let config = try FakeProviderConfig(contentsOf: suiteFile("demo.fake-provider.yaml"))
        #expect(config.apiKey == "demo-key")
        #expect(config.models.map(\.name).prefix(5) == ["sim/gpt-4o", "sim/claude-sonnet-4.5", "sim/gemini-2.5-flash",
                                                          "sim/llama-3.3-70b-instruct", "sim/qwen-2.5-7b-instruct"])
        #expect(config.models[0] == .init(name: "sim/gpt-4o", accuracy: 0.95, latencyMs: 60, jitterMs: 30, chunkIntervalMs: 8))
    }

    @Test("The routing demo config loads: the demo catalog's models, answering routing.yaml per task")
    func routingDemoConfig() throws {
        let config = try FakeProviderConfig(contentsOf: suiteFile("routing.fake-provider.yaml"))
        #expect(config.apiKey == "demo-key")
        #expect(config.answerKey?.taskIDs == ["triage", "order-number", "refund-decision"])
        #expect(config.answerKey?.count == 162)
        let demo = try FakeProviderConfig(contentsOf: suiteFile("demo.fake-provider.yaml"))
        #expect(Set(config.models.map(\.name)).isSubset(of: demo.models.map(\.name)), "served under the catalog's names")
        #expect(config.models.allSatisfy { $0.simulated != nil })
        let qwen = try #require(config.models.first { $0.name == "sim/qwen-2.5-7b-instruct" }?.simulated)
        #expect(qwen.accuracy(onTask: "triage") == 0.95 && qwen.accuracy(onTask: "order-number") == 0.70)
    }

    @Test("Only a name is required; accuracy defaults to 1 and delays to 0")
    func defaults() throws {
        let config = try FakeProviderConfig(yaml: "models:\n  - name: sim/a\n")
        #expect(config == FakeProviderConfig(apiKey: nil, models: [.init(name: "sim/a", accuracy: 1, latencyMs: 0, jitterMs: 0)]))
    }

    @Test("Config errors point at the line and column", arguments: [
        ("", "x.yaml: error: the config is empty; expected a mapping with 'models'"),
        ("api_key: k\n", "x.yaml:1:1: error: missing 'models': list at least one model"),
        ("models: []\n", "x.yaml:1:9: error: 'models' must be a non-empty list of models"),
        ("models:\n  - name: a\n    acuracy: 0.5\n",
         "x.yaml:3:5: error: unknown key 'acuracy' in a model (did you mean 'accuracy'?)"),
        ("modles:\n  - name: a\n", "x.yaml:1:1: error: unknown key 'modles' in the config (did you mean 'models'?)"),
        ("models:\n  - name: a\n    colour: red\n",
         "x.yaml:3:5: error: unknown key 'colour' in a model; expected one of: name, accuracy, latency_ms, jitter_ms, "
             + "flavor, cached_tokens, cache_write_tokens, cache_write_1h_tokens, reasoning_tokens, cost_per_million, chunk_interval_ms, faults, "
             + "unparseable_verdicts, limits, structured_output, simulated"),
        ("models:\n  - name: a\n    limits: {requests: 0}\n",
         "x.yaml:3:24: error: requests must be a whole number of at least 1, got '0'"),
        ("models:\n  - name: a\n    accuracy: 1.5\n",
         "x.yaml:3:15: error: accuracy must be a number between 0 and 1, got '1.5'"),
        ("models:\n  - name: a\n    latency_ms: -5\n",
         "x.yaml:3:17: error: latency_ms must be a whole number of milliseconds from 0 to 600000, got '-5'"),
        ("models:\n  - name: a\n    jitter_ms: 2.5\n",
         "x.yaml:3:16: error: jitter_ms must be a whole number of milliseconds from 0 to 600000, got '2.5'"),
        ("models:\n  - accuracy: 1\n", "x.yaml:2:5: error: a model needs a 'name'"),
        ("models:\n  - name: a\n  - name: a\n", "x.yaml:3:11: error: duplicate model name 'a' (first defined on line 2)"),
        ("api_key: \"\"\nmodels:\n  - name: a\n",
         "x.yaml:1:10: error: api_key must be a non-empty string; remove it to accept any key"),
        ("models: [\n", "x.yaml:2:1: error: invalid YAML: did not find expected node content"),
        ("- name: a\n", "x.yaml:1:1: error: the config must be a mapping of keys to values"),
    ])
    func errors(_ yaml: String, _ expected: String) throws {
        let error = try #require(throws: FakeProviderError.self) { try FakeProviderConfig(yaml: yaml, file: "x.yaml") }
        #expect(error.description == expected)
        #expect(error.isBadInput)
    }

    @Test("Limits load")
    func limits() throws {
        let config = try FakeProviderConfig(yaml: """
            models:
              - name: sim/a
                limits: {max_concurrency: 3, requests: 20, tokens: 5000, window_ms: 1000}
              - name: sim/b
                limits: {requests: 500}
            """)
        #expect(config.models[0].limits == .init(maxConcurrency: 3, requests: 20, tokens: 5_000, windowMs: 1_000))
        #expect(config.models[1].limits == .init(requests: 500, windowMs: 60_000))
    }

    @Test("A missing file is named in the error")
    func missingFile() {
        #expect {
            try FakeProviderConfig(contentsOf: "/nonexistent/fp.yaml")
        } throws: { error in
            (error as? FakeProviderError)?.description
                == "error: cannot read fake provider config '/nonexistent/fp.yaml': no such file"
        }
    }
}
