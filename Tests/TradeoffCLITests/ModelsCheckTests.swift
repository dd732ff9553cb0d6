import FakeProvider
import Foundation
import Testing
import TradeoffTestSupport

/// `tradeoff models check` and the connection options, end to end.
struct ModelsCheckTests {
    let tradeoff = builtProduct("tradeoff")

    private func catalog(_ server: FakeProviderServer) -> String {
        """
        models:
          - {id: gpt, provider: openai, base_url: "\(server.baseURL)", model: sim/a, class: frontier, api_key_env: CHECK_KEY}
          - {id: claude, provider: anthropic, base_url: "\(server.rootURL)", model: sim/a, class: frontier, api_key_env: CHECK_KEY}
          - {id: local, provider: openai-compatible, preset: vllm, base_url: "\(server.baseURL)", model: sim/b, class: open,
             stream: true}
          - {id: typo, base_url: "\(server.baseURL)", model: sim/nope, class: open, api_key_env: CHECK_KEY}
          - {id: nokey, base_url: "\(server.baseURL)", model: sim/a, class: open, api_key_env: UNSET_CHECK_KEY}
        """
    }

    @Test func reportsWhatAnsweredAndWhyTheOthersDidNot() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: nil, models: [.init(name: "sim/a"), .init(name: "sim/b", flavor: .vllm)]) { server in
                try directory.write("models.yaml", catalog(server))
                let result = try runProcess(tradeoff, ["models", "check", "models.yaml"],
                                            environment: ["CHECK_KEY": "sk-check-123456"], directory: directory.path)
                #expect(result.status == 3)
                let lines = result.stdout.split(separator: "\n").map(String.init)
                #expect(lines.first?.hasPrefix("MODEL") == true)
                func row(_ id: String) -> String { lines.first { $0.hasPrefix(id + " ") } ?? "" }
                #expect(row("gpt").contains(" ok ") && row("gpt").contains("reported"))
                #expect(row("claude").contains(" ok "))
                #expect(row("local").contains(" ok ") && row("local").contains("openai-compatible/vllm"))
                // How each host takes a response format; a generic OpenAI-compatible server cannot say.
                #expect(row("local").contains(" json_schema ") && row("gpt").contains(" json_schema "))
                #expect(row("typo").contains(" none "))
                #expect(row("typo").contains("not_found") && row("typo").contains("404"))
                #expect(row("nokey").contains("auth") && row("nokey").contains("environment variable 'UNSET_CHECK_KEY' is not set"))
                #expect(result.stderr.contains("2 of 5 models did not answer"))
                #expect(!result.stdout.contains("sk-check-123456"))
                #expect(server.requestCount(model: "sim/a") == 2)
            }
        }
    }

    @Test func allAnsweringExitsZero() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: nil, models: [.init(name: "sim/a")]) { server in
                try directory.write("models.yaml", "models:\n  - {id: a, base_url: \"\(server.baseURL)\", model: sim/a, class: open}\n")
                let result = try runProcess(tradeoff, ["models", "check", "models.yaml"], directory: directory.path)
                #expect(result.status == 0, "stderr: \(result.stderr)")
            }
        }
    }

    @Test func unreadableCABundleIsBadInput() throws {
        try withTemporaryDirectory { directory in
            try directory.write("models.yaml", "models:\n  - {id: a, base_url: \"http://127.0.0.1:1/v1\", model: m, class: open}\n")
            let result = try runProcess(tradeoff, ["models", "check", "models.yaml", "--ca-bundle", "missing.pem"],
                                        directory: directory.path)
            #expect(result.status == 2)
            #expect(result.stderr.contains("error: --ca-bundle 'missing.pem' is not a readable file"))
        }
    }

    @Test func negativeRetriesIsBadInput() throws {
        let result = try runProcess(tradeoff, ["run", "suite.yaml", "--retries=-1"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--retries must be 0 or more, got -1"))
    }
}

struct BudgetFlagTests {
    @Test func aBudgetThatIsNotAnAmountIsBadInput() throws {
        let result = try runProcess(builtProduct("tradeoff"), ["run", "suite.yaml", "--budget-usd", "lots"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--budget-usd must be an amount in USD like 25 or 0.50, got 'lots'"))
    }
}
