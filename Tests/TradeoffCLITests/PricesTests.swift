import FakeProvider
import Foundation
import GRDB
import Testing
import TradeoffTestSupport

/// `tradeoff prices show|import`, the price warnings of `run` and `report --reprice`, end to end.
struct PricesTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = repository.appendingPathComponent("Tests/TradeoffKitTests/Fixtures/prices")
    let tradeoff = builtProduct("tradeoff")

    private func tradeoff(_ arguments: [String], environment: [String: String] = [:], in directory: String? = nil) throws
        -> ProcessResult
    {
        try runProcess(tradeoff, arguments, environment: environment, directory: directory)
    }

    private func fixture(_ name: String) -> String { Self.fixtures.appendingPathComponent(name).path }

    @Test func showListsTheShippedCatalog() throws {
        let result = try tradeoff(["prices", "show"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("price id") == true)
        #expect(lines.contains { $0.hasPrefix("openai/gpt-4o ") && $0.contains("$2.50") && $0.contains("$1.25")
            && $0.contains("$10.00") && $0.contains("batch") && $0.hasSuffix("2026-11-25  shipped") })
        #expect(result.stdout.contains("USD per million tokens."))
    }

    @Test func showOnePriceInFull() throws {
        let result = try tradeoff(["prices", "show", "anthropic/claude-sonnet-4-5"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.hasPrefix("""
            anthropic/claude-sonnet-4-5 (the shipped price catalog)
              input          $3.00 per M tokens
              cached input   $0.30 per M tokens
              cache write    $3.75 per M tokens
              cache write 1h $6.00 per M tokens
              output         $15.00 per M tokens
              above 200,000  input $6.00, cached input $0.60, cache write $7.50, cache write 1h $12.00, output $22.50 per M tokens
              as of          2026-11-25 (
            """))
        #expect(result.stdout.hasSuffix("""
              source         LiteLLM model_prices_and_context_window.json: claude-sonnet-4-5

            """))
    }

    @Test func showAnUnknownPriceIsBadInput() throws {
        let result = try tradeoff(["prices", "show", "openai/gpt4o"])
        #expect(result.status == 2)
        #expect(result.stderr == "error: no price 'openai/gpt4o' (did you mean 'openai/gpt-4o'?); `tradeoff prices show` lists them all\n")
    }

    @Test func showWhatACatalogsModelsUseAndWhatTheyOverride() throws {
        try withTemporaryDirectory { directory in
            try directory.write("models.yaml", """
                models:
                  - {id: gpt, base_url: "https://api.openai.com/v1", model: gpt-4o, class: frontier,
                     price: {from: openai/gpt-4o, output: 9, as_of: 2026-11-20, source: our contract}}
                  - {id: box, base_url: "http://gpu:8000/v1", model: llama, class: open,
                     price: {per_hour_usd: 4.10, replicas: 2}}
                  - {id: free, base_url: "http://gpu:8000/v1", model: llama, class: open}
                """)
            let result = try tradeoff(["prices", "show", "--models", "models.yaml"], in: directory.path)
            #expect(result.status == 0, "stderr: \(result.stderr)")
            #expect(result.stdout.contains("""
                gpt (models.yaml:2): price 'openai/gpt-4o' from the shipped price catalog
                  input          $2.50 per M tokens
                  cached input   $1.25 per M tokens
                  output         $9.00 per M tokens
                  batch input    $1.25 per M tokens
                  batch output   $5.00 per M tokens
                  as of          2026-11-20 (
                """))
            #expect(result.stdout.contains("""
                  source         our contract
                  overridden     output (was $10.00)
                """))
            #expect(result.stdout.contains("""
                box (models.yaml:4): price written in the catalog
                  per hour       $4.10
                  replicas       2
                  as of          not dated
                  source         not given
                """))
            #expect(result.stdout.hasSuffix("""
                free (models.yaml:6): unpriced — its cost will be unknown (not $0); add 'price:' to its catalog entry

                """))
            let unknown = try tradeoff(["prices", "show", "gtp", "--models", "models.yaml"], in: directory.path)
            #expect(unknown.status == 2)
            #expect(unknown.stderr == "error: no model 'gtp' in models.yaml (did you mean 'gpt'?); it has: gpt, box, free\n")
        }
    }

    @Test func importLiteLLMReportsAddedChangedAndLeftOut() throws {
        try withTemporaryDirectory { directory in
            try directory.write("prices.yaml", """
                # Our prices.
                prices:
                  openai/gpt-4o: {input: 5, output: 15, cached_input: 1.25, batch: {input: 1.25, output: 5}, as_of: 2024-05-13, source: old}
                  mine/kept: {input: 1, output: 2, as_of: 2026-01-01, source: by hand}
                """)
            let result = try tradeoff(["prices", "import", "litellm", fixture("litellm-excerpt.json"), "--map",
                                       fixture("names.yaml"), "--as-of", "2026-11-25"], in: directory.path)
            #expect(result.status == 0, "stderr: \(result.stderr)")
            #expect(result.stdout.hasPrefix("prices.yaml: 95 prices imported from LiteLLM file \(fixture("litellm-excerpt.json")), as of 2026-11-25\nadded 3:\n"))
            #expect(result.stdout.contains("\n  dashscope/qwen-flash: input $0.05, output $0.40 per M tokens; above 256,000 tokens: input $0.25, output $2.00\n"))
            #expect(result.stdout.contains("\nchanged 1:\n  openai/gpt-4o: input $5.00 → $2.50, output $15.00 → $10.00\n"))
            #expect(result.stdout.contains("\nunchanged 91 (only their date is refreshed)\n"))

            // A file where the folder should be: nothing is written, and the error says where.
            try directory.write("blocked", "a file, not a folder")
            let blocked = try tradeoff(["prices", "import", "litellm", fixture("litellm-excerpt.json"), "--map",
                                        fixture("names.yaml"), "--as-of", "2026-11-25", "--into", "blocked/prices.yaml"],
                                       in: directory.path)
            #expect(blocked.status == 3)
            #expect(blocked.stderr.hasPrefix("error: cannot write blocked/prices.yaml: "), "\(blocked.stderr)")
            #expect(result.stdout.contains("""

                left out 2:
                  mistral/mistral-nope ('mistral/mistral-nope'): not in the file
                  openai/dall-e-3 ('dall-e-3'): it is priced per image ('input_cost_per_image'), not per token

                """))
            #expect(result.stdout.hasSuffix("""
                2 other entries of \(fixture("litellm-excerpt.json")) are not in the name map; to import one, list it in a \
                map file (litellm: {HOST/MODEL: NAME}) and pass --map FILE

                """))
            let written = try String(contentsOfFile: directory.file("prices.yaml"), encoding: .utf8)
            #expect(written.hasPrefix("# Our prices.\nprices:\n"))
            #expect(written.contains("  mine/kept:\n    input: 1\n    output: 2\n    as_of: 2026-01-01\n    source: \"by hand\"\n"))
            #expect(written.contains("""
                  openai/gpt-4o:
                    input: 2.5
                    cached_input: 1.25
                    output: 10
                    batch: {input: 1.25, output: 5}
                    as_of: 2026-11-25
                    source: "LiteLLM model_prices_and_context_window.json: gpt-4o"

                """))
            // A catalog that names the file runs with the imported prices.
            try directory.write("models.yaml", """
                prices: prices.yaml
                models:
                  - {id: gpt, base_url: "https://api.openai.com/v1", model: gpt-4o, class: frontier, price: openai/gpt-4o}
                """)
            let shown = try tradeoff(["prices", "show", "gpt", "--models", "models.yaml"], in: directory.path)
            #expect(shown.stdout.hasPrefix("gpt (models.yaml:3): price 'openai/gpt-4o' from prices.yaml\n"))
            #expect(try tradeoff(["validate", "models.yaml"], in: directory.path).status == 0)
        }
    }

    @Test func importOpenRouterIntoANewFile() throws {
        try withTemporaryDirectory { directory in
            let result = try tradeoff(["prices", "import", "openrouter", fixture("openrouter-models.json"), "--map",
                                       fixture("names.yaml"), "--into", "out/prices.yaml"], in: directory.path)
            #expect(result.status == 0, "stderr: \(result.stderr)")
            // The shipped catalog has LiteLLM's OpenRouter prices: OpenRouter's own list adds cache prices and a tier.
            #expect(result.stdout.contains("""
                  openrouter/google/gemini-2.5-pro: cached input none → $0.31, cache write none → $1.625, above 199,999 \
                none → input $2.50, cached input $0.625, output $15.00

                """))
            #expect(result.stdout.contains("  openrouter/meta-llama/llama-3.3-70b-instruct:free: input $0.00, output $0.00 per M tokens\n"))
            #expect(result.stdout.contains("  openrouter/auto ('openrouter/auto'): 'pricing.prompt' is negative (-1): the price varies, e.g. by routed model\n"))
            #expect(result.stdout.contains("\nnotes:\n  openrouter/deepseek/deepseek-chat-v3.1 ('deepseek/deepseek-chat-v3.1'): a price override conditioned on utc_start, utc_end was left out"))
            let written = try String(contentsOfFile: directory.file("out/prices.yaml"), encoding: .utf8)
            #expect(written.hasPrefix("# Prices for Tradeoff: USD per million tokens"))
            #expect(written.contains("  \"openrouter/meta-llama/llama-3.3-70b-instruct:free\":\n    input: 0\n    output: 0\n"))
        }
    }

    @Test func importProblemsAreBadInputAndWriteNothing() throws {
        try withTemporaryDirectory { directory in
            try directory.write("bad.json", "{\"gpt-4o\": {\"input_cost_per_token\": 2.5e-06\n")
            let broken = try tradeoff(["prices", "import", "litellm", "bad.json"], in: directory.path)
            #expect(broken.status == 2)
            #expect(broken.stderr == """
                bad.json:2:1: error: invalid JSON: unterminated object (expected '}')

                ^
                1 error generated.

                """)
            try directory.write("empty.json", "{}")
            let nothing = try tradeoff(["prices", "import", "openrouter", "empty.json"], in: directory.path)
            #expect(nothing.status == 2)
            #expect(nothing.stderr == """
                empty.json:1:1: error: an OpenRouter model list is the JSON of /api/v1/models: an object with a 'data' array of models, got an object
                {}
                ^
                1 error generated.

                """)
            try directory.write("other.json", "{\"some/model\": {\"input_cost_per_token\": 1e-06, \"output_cost_per_token\": 2e-06}}")
            let unmapped = try tradeoff(["prices", "import", "litellm", "other.json"], in: directory.path)
            #expect(unmapped.status == 2)
            #expect(unmapped.stderr.hasPrefix("error: no prices imported: none of the "))
            #expect(unmapped.stderr.hasSuffix(" names the map gives for LiteLLM is in other.json (is it a LiteLLM file?); prices.yaml is unchanged\n"))
            let date = try tradeoff(["prices", "import", "litellm", "other.json", "--as-of", "25/11/2026"], in: directory.path)
            #expect(date.status == 2)
            #expect(date.stderr == "error: --as-of must be a date written YYYY-MM-DD, got '25/11/2026'\n")
            let format = try tradeoff(["prices", "import", "helicone", "other.json"], in: directory.path)
            #expect(format.status == 2)
            #expect(format.stderr.contains("The value 'helicone' is invalid for '<format>'"))
            #expect(!FileManager.default.fileExists(atPath: directory.file("prices.yaml")))
        }
    }

    private let suite = """
        suite: small
        models: models.yaml
        defaults: {max_tokens: 16}
        tasks:
          - id: sums
            prompt: "Compute: {{a}} + {{b}}. Answer with the number only."
            graders:
              - {type: exact, expected: "{{sum}}", normalize: [trim]}
            cases:
              - {id: one, vars: {a: "1", b: "2", sum: "3"}}
              - {id: two, vars: {a: "20", b: "22", sum: "42"}}
        """

    private func catalog(goodPrice: String) -> String {
        """
        models:
          - id: good
            base_url: http://127.0.0.1:${FAKE_PROVIDER_PORT}/v1
            model: sim/good
            class: frontier
            price: \(goodPrice)
          - id: free
            base_url: http://127.0.0.1:${FAKE_PROVIDER_PORT}/v1
            model: sim/free
            class: open
        """
    }

    @Test func runWarnsAboutPricesAndReportRepricesACopy() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: nil, models: [.init(name: "sim/good"), .init(name: "sim/free")]) { server in
                let environment = ["FAKE_PROVIDER_PORT": "\(server.port)"]
                try directory.write("suite.yaml", suite)
                try directory.write("models.yaml", catalog(goodPrice: "{from: openai/gpt-4o, as_of: 2020-01-01}"))
                let run = try tradeoff(["run", "suite.yaml", "--db", "r.sqlite", "--out", "rep", "--quiet"],
                                       environment: environment, in: directory.path)
                #expect(run.status == 0, "stderr: \(run.stderr)")
                #expect(run.stderr.contains("models.yaml:2:5: warning: the price of model 'good' is "))
                #expect(run.stderr.contains("days old ('openai/gpt-4o', as of 2020-01-01; the limit is 180): check it and update it, e.g. with `tradeoff prices import`, or raise 'max_price_age_days' in the catalog\n  - id: good\n    ^\n"))
                #expect(run.stderr.contains("""
                    models.yaml:7:5: warning: model 'free' has no price: its cost will be unknown (not $0) and it is left out of cost comparisons; add 'price:' to its catalog entry
                      - id: free
                        ^
                    """))
                let database = try DatabaseQueue(path: directory.file("r.sqlite"))
                let stored = try database.read { db in
                    try Row.fetchAll(db, sql: "SELECT model_id, price_id, price_as_of, price_source FROM run_models ORDER BY rowid")
                }
                #expect(stored.map { $0["price_id"] as String? } == ["openai/gpt-4o", nil])
                #expect(stored.map { $0["price_as_of"] as String? } == ["2020-01-01", nil])
                #expect(stored.first?["price_source"] == "LiteLLM model_prices_and_context_window.json: gpt-4o")
                let costs = {
                    try database.read { db in
                        try Int64?.fetchAll(db, sql: "SELECT cost_micros FROM calls ORDER BY model_id, case_id")
                    }
                }
                let before = try costs()
                #expect(before.prefix(2).allSatisfy { $0 == nil })   // free: unknown, not $0
                #expect(before.suffix(2).allSatisfy { ($0 ?? 0) > 0 })

                // Today the catalog prices both models; the stored run is costed again in a copy.
                try directory.write("models.yaml", catalog(goodPrice: "{input: 25, output: 100}")
                                    .replacingOccurrences(of: "class: open", with: "class: open\n    price: {input: 1, output: 1}"))
                let report = try tradeoff(["report", "r.sqlite", "--reprice", "--out", "rep"], environment: environment,
                                          in: directory.path)
                #expect(report.status == 0, "stderr: \(report.stderr)")
                #expect(report.stdout.contains("rep/small.repriced.md"))
                #expect(report.stderr.hasPrefix("run 1 costed at today's prices from models.yaml (no calls made; the stored run is unchanged):\n  good: $"))
                #expect(report.stderr.contains(" (prices: openai/gpt-4o, as of 2020-01-01, source: LiteLLM model_prices_and_context_window.json: gpt-4o → undated, source: models.yaml:2)\n"))
                #expect(report.stderr.contains("\n  free: unknown → $0.0000"))
                #expect(try costs() == before)
                #expect(FileManager.default.fileExists(atPath: directory.file("rep/small.md")))

                // A catalog that no longer loads is said so, with the file and what to do.
                try directory.write("models.yaml", "models: [")
                let broken = try tradeoff(["report", "r.sqlite", "--reprice", "--out", "rep"], environment: environment,
                                          in: directory.path)
                #expect(broken.status == 2)
                #expect(broken.stderr.hasPrefix("error: cannot reprice run 1: its catalog 'models.yaml' does not load now "
                                                + "(run `tradeoff report` from the folder the run was started in):\nmodels.yaml:"),
                        "\(broken.stderr)")
            }
        }
    }

    /// A self-hosted model is costed at the throughput measured in the run, which the report
    /// states with its assumptions; `plan` then costs it at that throughput (it called such a
    /// model unpriced), or at the one its price states for production.
    @Test
    func anHourlyPricedModelIsCostedAtItsThroughputAndPlannedFromIt() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: nil, models: [.init(name: "sim/good", latencyMs: 5), .init(name: "sim/free")]) {
                server in
                let environment = ["FAKE_PROVIDER_PORT": "\(server.port)"]
                try directory.write("suite.yaml", suite)
                try directory.write("models.yaml", catalog(goodPrice: "{per_hour_usd: 4.10, replicas: 2}"))
                let run = try tradeoff(["run", "suite.yaml", "--db", "r.sqlite", "--no-report", "--quiet"],
                                       environment: environment, in: directory.path)
                #expect(run.status == 0, "stderr: \(run.stderr)")
                let costs = try DatabaseQueue(path: directory.file("r.sqlite")).read { db in
                    try Int64?.fetchAll(db, sql: "SELECT cost_micros FROM calls WHERE model_id = 'good'")
                }
                #expect(costs.count == 2 && costs.allSatisfy { ($0 ?? 0) > 0 })

                let report = try tradeoff(["report", "r.sqlite", "--out", "rep"], environment: environment, in: directory.path)
                #expect(report.status == 0, "stderr: \(report.stderr)")
                let markdown = try String(contentsOfFile: directory.file("rep/small.md"), encoding: .utf8)
                #expect(markdown.contains("good: $4.10 per replica-hour × 2 replicas at full utilization (1): $8.20 per "
                                          + "hour; costed at "), "\(markdown)")
                #expect(markdown.contains(" output tokens/s at concurrency "))
                #expect(markdown.contains(", measured in this run over 2 answered calls in "))

                let plan = try tradeoff(["plan", "suite.yaml", "--db", "r.sqlite"], environment: environment,
                                        in: directory.path)
                #expect(plan.status == 0, "stderr: \(plan.stderr)")
                let lines = plan.stdout.split(separator: "\n").map(String.init)
                #expect(lines.contains { $0.hasPrefix("good: $4.10 per hour × 2 replicas, costed at ")
                    && $0.contains(" output tokens/s at concurrency ") && $0.hasSuffix(", measured in run 1") },
                        "\(plan.stdout)")
                #expect(lines.contains("unpriced (cost unknown, not in the total): free"), "\(plan.stdout)")

                // Stated for production: 2 calls/s is 7,200 calls an hour, $8.20 / 7,200 = 1,139 micro-dollars a call.
                try directory.write("models.yaml", catalog(
                    goodPrice: "{per_hour_usd: 4.10, replicas: 2, throughput: {calls_per_second: 2, concurrency: 8}}"))
                let stated = try tradeoff(["plan", "suite.yaml", "--db", "r.sqlite", "--format", "json"],
                                          environment: environment, in: directory.path)
                #expect(stated.status == 0, "stderr: \(stated.stderr)")
                let object = try #require(try JSONSerialization.jsonObject(with: Data(stated.stdout.utf8)) as? [String: Any])
                let good = try #require((object["models"] as? [[String: Any]])?.first)
                #expect(good["cost_micros"] as? Int == 2 * 1_139)
                let throughput = try #require(good["hourly_throughput"] as? [String: Any])
                #expect(throughput["source"] as? String == "stated" && throughput["unit"] as? String == "calls_per_second")
                #expect(throughput["per_second"] as? String == "2" && throughput["concurrency"] as? String == "8")
            }
        }
    }
}
