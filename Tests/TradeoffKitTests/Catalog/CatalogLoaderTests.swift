import Foundation
import Testing
@testable import TradeoffKit

/// Catalog problems, pinned with their exact rendering.
struct CatalogLoaderTests {
    private func errors(_ catalog: String, environment: [String: String] = [:]) throws -> String {
        let fixture = try SuiteFixture([:], environment: environment, catalog: catalog)
        do {
            _ = try fixture.loader.loadCatalog(path: fixture.path("suites/models.yaml"))
            Issue.record("expected the catalog to fail to load")
            return ""
        } catch let error as DiagnosticsError {
            return fixture.render(error.diagnostics)
        }
    }

    @Test func fieldProblems() throws {
        let catalog = """
            models:
              - id: a
                provider: openia
                base_url: https://example.com/v1
                model: m
                class: frontiers
                price: {input: 2.50, output: -1, cached: 1}
                max_concurrency: 0
                timeout: 0
                simulated: maybe
              - id: a
                base_url: ftp://example.com
                model: m
                class: open
                price: {input: abc}
            """
        let actual = try errors(catalog)
        #expect(actual == """
            suites/models.yaml:3:15: error: unknown provider 'openia' (did you mean 'openai'?)
                provider: openia
                          ^
            suites/models.yaml:6:12: error: unknown model class 'frontiers' (did you mean 'frontier'?)
                class: frontiers
                       ^
            suites/models.yaml:7:34: error: 'output' must not be negative, got -1
                price: {input: 2.50, output: -1, cached: 1}
                                             ^
            suites/models.yaml:7:38: error: unknown key 'cached' in 'price' (expected from, input, output, cached_input, cache_write, cache_write_1h, per_request, tiers, batch, per_hour_usd, replicas, utilization, throughput, as_of or source)
                price: {input: 2.50, output: -1, cached: 1}
                                                 ^
            suites/models.yaml:8:22: error: 'max_concurrency' must be at least 1, got 0
                max_concurrency: 0
                                 ^
            suites/models.yaml:9:14: error: 'timeout' must be greater than 0, got 0
                timeout: 0
                         ^
            suites/models.yaml:10:16: error: 'simulated' must be true or false, got 'maybe'
                simulated: maybe
                           ^
            suites/models.yaml:12:15: error: 'base_url' must be an http:// or https:// URL, got 'ftp://example.com'
                base_url: ftp://example.com
                          ^
            suites/models.yaml:15:12: error: missing required key 'output' in 'price'
                price: {input: abc}
                       ^
            suites/models.yaml:15:20: error: 'input' must be a number, got 'abc'
                price: {input: abc}
                               ^
            """)
    }

    @Test func duplicateModelIDsAndMissingKeys() throws {
        let catalog = """
            models:
              - {id: a, base_url: "http://h/v1", model: m, class: open}
              - {id: a, base_url: "http://h/v1", model: m, class: open}
              - {id: b}
            """
        let actual = try errors(catalog)
        #expect(actual == """
            suites/models.yaml:3:10: error: duplicate model id 'a' (first at line 2)
              - {id: a, base_url: "http://h/v1", model: m, class: open}
                     ^
            suites/models.yaml:4:5: error: missing required key 'model' in model
              - {id: b}
                ^
            suites/models.yaml:4:5: error: missing required key 'class' in model
              - {id: b}
                ^
            suites/models.yaml:4:5: error: missing required key 'base_url' in model: give the server's URL, or a 'preset' (openrouter, together, groq, fireworks, deepinfra, vllm, ollama, llamacpp, lmstudio, litellm)
              - {id: b}
                ^
            """)
    }

    @Test func unsetEnvironmentVariableInBaseURL() throws {
        let catalog = """
            models:
              - id: local
                base_url: http://${VLLM_HOST}:${VLLM_PORT:-8000}/v1
                model: m
                class: open
            """
        let actual = try errors(catalog, environment: ["VLLM_PORT": "9000"])
        #expect(actual == """
            suites/models.yaml:3:15: error: environment variable 'VLLM_HOST' in 'base_url' is not set (export it, \
            or give a default: ${VLLM_HOST:-http://...})
                base_url: http://${VLLM_HOST}:${VLLM_PORT:-8000}/v1
                          ^
            """)
        let fixture = try SuiteFixture([:], environment: ["VLLM_HOST": "gpu"], catalog: catalog)
        let model = try fixture.loader.loadCatalog(path: fixture.path("suites/models.yaml")).models[0]
        #expect(model.baseURL == "http://gpu:8000/v1")
    }

    /// `batch: true` puts a model in batch mode; it is a boolean like `simulated`.
    @Test func batchModeIsAModelsSetting() throws {
        let catalog = """
            models:
              - {id: nightly, provider: openai, model: gpt-4o-mini, class: frontier, batch: true}
              - {id: live, provider: openai, model: gpt-4o-mini, class: frontier}
            """
        let fixture = try SuiteFixture([:], catalog: catalog)
        let models = try fixture.loader.loadCatalog(path: fixture.path("suites/models.yaml")).models
        #expect(models.map(\.batch) == [true, false])
        let actual = try errors("""
            models:
              - {id: nightly, provider: openai, model: gpt-4o-mini, class: frontier, batch: sometimes}
            """)
        #expect(actual.hasPrefix("suites/models.yaml:2:81: error: 'batch' must be true or false, got 'sometimes'"), "\(actual)")
    }

    @Test func apiKeyPastedInsteadOfItsVariableNameIsNeverPrinted() throws {
        let secret = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789"
        let catalog = """
            models:
              - id: a
                base_url: https://api.openai.com/v1
                model: m
                class: frontier
                api_key_env: \(secret)
            """
        let output = try errors(catalog)
        #expect(output == """
            suites/models.yaml:6:18: error: 'api_key_env' must be the NAME of the environment variable that holds \
            the key (e.g. OPENAI_API_KEY), not the key itself; remove the key from this file and export it
                api_key_env: \(String(repeating: "*", count: secret.count))
                             ^
            """)
        #expect(!output.contains("abcdefghijklmnop"))
    }

    @Test func pastedKeyIsMaskedInEveryQuotedLine() throws {
        let secret = "sk-ant-api03-QWERTYUIOP"
        let mask = String(repeating: "*", count: secret.count)
        let catalog = """
            models:
              - {id: a, base_url: "http://h/v1", model: m, api_key_env: \(secret), class: opn}
            """
        let output = try errors(catalog)
        #expect(output == """
            suites/models.yaml:2:61: error: 'api_key_env' must be the NAME of the environment variable that holds \
            the key (e.g. OPENAI_API_KEY), not the key itself; remove the key from this file and export it
              - {id: a, base_url: "http://h/v1", model: m, api_key_env: \(mask), class: opn}
                                                                        ^
            suites/models.yaml:2:93: error: unknown model class 'opn' (did you mean 'open'?)
              - {id: a, base_url: "http://h/v1", model: m, api_key_env: \(mask), class: opn}
                                                                                                        ^
            """)
        #expect(!output.contains("QWERTY"))

        let broken = """
            models:
              - {id: b, "api_key_env": '\(secret)' x}
            """
        let syntax = try errors(broken)
        #expect(syntax == """
            suites/models.yaml:2:54: error: invalid YAML: did not find expected ',' or '}' (while parsing a flow \
            mapping at line 2, column 5)
              - {id: b, "api_key_env": '\(mask)' x}
                                                                 ^
            """)
        #expect(!syntax.contains("QWERTY"))
    }

    @Test(arguments: [
        ("sk-abc", true), ("sk_live_123", true), ("gsk_123", true), ("AIzaSyD-abc", true),
        ("0123456789abcdef0123456789abcdef", true),   // long and lowercase: a hex key
        ("Bearer abcdefghijklmnopqrstuvwxyz", true),   // long and not a variable name
        ("OPENAI_API_KEY", false), ("openai_key", false), ("MY_VERY_LONG_PROVIDER_API_KEY_NAME", false),
    ])
    func keyHeuristic(value: String, looksLikeKey: Bool) {
        #expect(Secrets.looksLikeKey(value) == looksLikeKey)
    }

    @Test func invalidVariableNameIsShown() throws {
        let catalog = """
            models:
              - {id: a, base_url: "http://h/v1", model: m, class: open, api_key_env: "MY KEY"}
            """
        let actual = try errors(catalog)
        #expect(actual == """
            suites/models.yaml:2:74: error: 'api_key_env' must be an environment variable name (letters, digits and \
            '_', not starting with a digit), got 'MY KEY'
              - {id: a, base_url: "http://h/v1", model: m, class: open, api_key_env: "MY KEY"}
                                                                                     ^
            """)
    }

    @Test func notACatalog() throws {
        let actual = try errors("models: []\n")
        #expect(actual == """
            suites/models.yaml:1:9: error: 'models' must list at least one model
            models: []
                    ^
            """)
        let actual2 = try errors("model:\n  - id: a\n")
        #expect(actual2 == """
            suites/models.yaml:1:1: error: unknown key 'model' in catalog (did you mean 'models'?)
            model:
            ^
            suites/models.yaml:1:1: error: missing required key 'models' in catalog
            model:
            ^
            """)
    }

    @Test func validateTellsSuitesFromCatalogs() throws {
        let fixture = try SuiteFixture(["notes.yaml": "title: hello\n", "bad-catalog.yaml": """
            models:
              - {id: a, model: m, class: open}
            """])
        #expect(fixture.validate("suites/models.yaml") == "")
        #expect(fixture.validate("bad-catalog.yaml") == """
            bad-catalog.yaml:2:5: error: missing required key 'base_url' in model: give the server's URL, or a 'preset' (openrouter, together, groq, fireworks, deepinfra, vllm, ollama, llamacpp, lmstudio, litellm)
              - {id: a, model: m, class: open}
                ^
            """)
        #expect(fixture.validate("notes.yaml") == """
            notes.yaml:1:1: error: cannot tell whether this is a suite (top-level 'suite:' key) or a model catalog \
            (top-level 'models:' list)
            title: hello
            ^
            """)
        #expect(fixture.validate("missing.yaml") == "missing.yaml: error: input file does not exist")
    }
}

/// The provider keys of a catalog entry.
struct CatalogProviderKeysTests {
    @Test func presetsExtraFieldsAndAzureSettingsLoad() throws {
        let fixture = try SuiteFixture(["c.yaml": """
            models:
              - {id: router, provider: openai-compatible, preset: openrouter, model: meta/llama, class: open,
                 extra: {seed: 7, provider: {order: [groq], allow_fallbacks: false}, note: "7"},
                 headers: {HTTP-Referer: "https://example.com"}}
              - {id: az, provider: azure-openai, base_url: "https://acme.openai.azure.com", model: gpt-4o, class: frontier,
                 deployment: prod, api_version: "2024-10-21", stream: false}
              - {id: claude, provider: anthropic, model: claude-sonnet-4, class: frontier}
            """])
        let catalog = try SuiteLoader().loadCatalog(path: fixture.path("c.yaml"))
        let router = try #require(catalog.model("router"))
        #expect(router.preset == .openRouter)
        #expect(router.resolvedBaseURL == "https://openrouter.ai/api/v1")
        #expect(router.stream)
        #expect(router.extraBody == ["seed": .integer(7), "note": .string("7"),
                                     "provider": .object(["order": .array([.string("groq")]), "allow_fallbacks": .bool(false)])])
        #expect(router.extraHeaders == ["HTTP-Referer": "https://example.com"])
        let azure = try #require(catalog.model("az"))
        #expect(azure.deployment == "prod" && azure.apiVersion == "2024-10-21" && !azure.stream)
        #expect(try #require(catalog.model("claude")).resolvedBaseURL == "https://api.anthropic.com")
    }

    @Test func providerKeyMistakesAreReported() throws {
        let fixture = try SuiteFixture(["c.yaml": """
            models:
              - {id: a, provider: anthropic, preset: groq, model: m, class: open}
              - {id: b, preset: olama, model: m, class: open}
              - {id: c, provider: azure-openai, model: m, class: open}
              - {id: d, base_url: "http://h/v1", model: m, class: open, deployment: x, headers: {Authorization: "Bearer k"}}
            """])
        #expect(fixture.validate("c.yaml") == """
            c.yaml:2:42: error: 'preset' applies to provider 'openai-compatible' only, not 'anthropic'
              - {id: a, provider: anthropic, preset: groq, model: m, class: open}
                                                     ^
            c.yaml:3:5: error: missing required key 'base_url' in model: give the server's URL, or a 'preset' (openrouter, together, groq, fireworks, deepinfra, vllm, ollama, llamacpp, lmstudio, litellm)
              - {id: b, preset: olama, model: m, class: open}
                ^
            c.yaml:3:21: error: unknown preset 'olama' (did you mean 'ollama'?)
              - {id: b, preset: olama, model: m, class: open}
                                ^
            c.yaml:4:5: error: missing required key 'base_url' in model: give your resource's endpoint (https://NAME.openai.azure.com)
              - {id: c, provider: azure-openai, model: m, class: open}
                ^
            c.yaml:5:73: error: 'deployment' applies to provider 'azure-openai' only
              - {id: d, base_url: "http://h/v1", model: m, class: open, deployment: x, headers: {Authorization: "Bearer k"}}
                                                                                    ^
            c.yaml:5:86: error: header 'Authorization' carries a key: set 'api_key_env' to the NAME of the environment variable instead; keys never go in files
              - {id: d, base_url: "http://h/v1", model: m, class: open, deployment: x, headers: {Authorization: "Bearer k"}}
                                                                                                 ^
            """)
    }
}

/// Rate limits: a model's own and the ones it shares with its provider.
extension CatalogLoaderTests {
    @Test func ownAndSharedLimits() throws {
        let fixture = try SuiteFixture([:], catalog: """
            limits:
              openai: {max_concurrency: 8, requests_per_minute: 500}
              nightly-batch: {tokens_per_minute: 100000}
            models:
              - id: a
                provider: openai
                model: gpt-4o
                class: frontier
                requests_per_minute: 60
                tokens_per_minute: 30000
              - id: b
                provider: openai
                model: gpt-4o-mini
                class: frontier
                limit_group: nightly-batch
              - id: c
                preset: vllm
                model: m
                class: open
            """)
        let catalog = try fixture.loader.loadCatalog(path: fixture.path("suites/models.yaml"))
        let a = try #require(catalog.model("a")), b = try #require(catalog.model("b")), c = try #require(catalog.model("c"))
        #expect(a.rateLimits == RateLimits(requestsPerMinute: 60, tokensPerMinute: 30_000))
        #expect(a.sharedLimits == SharedLimits(name: "openai", limits: RateLimits(maxConcurrency: 8, requestsPerMinute: 500)))
        #expect(b.rateLimits.isEmpty)
        #expect(b.sharedLimits == SharedLimits(name: "nightly-batch", limits: RateLimits(tokensPerMinute: 100_000)))
        #expect(c.sharedLimits == nil)
    }

    @Test func limitProblems() throws {
        let catalog = """
            limits:
              opeanai: {requests_per_minute: 500}
              vllm: {}
              openai: {requests_per_minit: 5, tokens_per_minute: 0}
            models:
              - id: a
                provider: openai
                model: gpt-4o
                class: frontier
              - id: c
                preset: vllm
                model: m
                class: open
            """
        #expect(try errors(catalog) == """
            suites/models.yaml:2:3: error: 'limits' names 'opeanai', which no model belongs to (did you mean 'openai'?); a model belongs to its preset or provider (openai, vllm) or to its 'limit_group'
              opeanai: {requests_per_minute: 500}
              ^
            suites/models.yaml:3:9: error: limits of 'vllm' set nothing: give max_concurrency, requests_per_minute or tokens_per_minute
              vllm: {}
                    ^
            suites/models.yaml:4:12: error: unknown key 'requests_per_minit' in limits of 'openai' (did you mean 'requests_per_minute'?)
              openai: {requests_per_minit: 5, tokens_per_minute: 0}
                       ^
            suites/models.yaml:4:54: error: 'tokens_per_minute' must be at least 1, got 0
              openai: {requests_per_minit: 5, tokens_per_minute: 0}
                                                                 ^
            """)
    }

    /// A model that fails to load has an unknown group: its limits are not called unused.
    @Test func aBrokenModelDoesNotMakeItsLimitsUnused() throws {
        #expect(try errors("""
            limits:
              openai: {requests_per_minute: 500}
            models:
              - id: a
                provider: openai
                model: gpt-4o
                class: frontier
                requests_per_minute: many
            """) == """
            suites/models.yaml:8:26: error: 'requests_per_minute' must be an integer, got 'many'
                requests_per_minute: many
                                     ^
            """)
    }
}
