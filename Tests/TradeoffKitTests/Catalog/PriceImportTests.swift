import Foundation
import Testing
import TradeoffTestSupport
@testable import TradeoffKit

/// Importing LiteLLM's file and OpenRouter's model list through an explicit name map.
struct PriceImportTests {
    private let names: PriceNameMap
    private let d = PriceFixtures.decimal

    init() throws { names = try PriceNameMap.load(path: PriceFixtures.path("names.yaml")) }

    private func litellm(current: PriceBook = PriceBook()) throws -> PriceImport {
        try PriceImport.read(.litellm, path: PriceFixtures.path("litellm-excerpt.json"), names: names, current: current,
                             asOf: PriceFixtures.day)
    }

    private func openrouter(current: PriceBook = PriceBook()) throws -> PriceImport {
        try PriceImport.read(.openrouter, path: PriceFixtures.path("openrouter-models.json"), names: names,
                             current: current, asOf: PriceFixtures.day)
    }

    @Test func liteLLMPricesAreExactDecimalsPerMillion() throws {
        let result = try litellm()
        let gpt = try #require(result.imported["openai/gpt-4o"]?.pricing.tokens)
        #expect(gpt == Price(inputPerMillion: d("2.5"), outputPerMillion: 10, cachedInputPerMillion: d("1.25"),
                             batch: BatchPrice(inputPerMillion: d("1.25"), outputPerMillion: 5), id: "openai/gpt-4o",
                             asOf: PriceFixtures.day,
                             source: "LiteLLM model_prices_and_context_window.json: gpt-4o"))
        // 2.5e-06 per token is exactly 2.5 per million: no float rounding on the way.
        #expect(gpt.inputPerMillion.description == "2.5")
    }

    @Test func liteLLMLongContextKeysBecomeTiers() throws {
        let claude = try #require(try litellm().imported["anthropic/claude-sonnet-4-5"]?.pricing.tokens)
        #expect(claude.inputPerMillion == 3 && claude.outputPerMillion == 15)
        #expect(claude.cachedInputPerMillion == d("0.3") && claude.cacheWritePerMillion == d("3.75"))
        #expect(claude.cacheWrite1hPerMillion == 6)
        #expect(claude.tiers == [PriceTier(aboveInputTokens: 200_000, inputPerMillion: 6, outputPerMillion: d("22.5"),
                                           cachedInputPerMillion: d("0.6"), cacheWritePerMillion: d("7.5"),
                                           cacheWrite1hPerMillion: 12)])
        let gemini = try #require(try litellm().imported["google/gemini-2.5-pro"]?.pricing.tokens)
        #expect(gemini.tiers.map(\.aboveInputTokens) == [200_000])
        #expect(gemini.tiers.first?.inputPerMillion == d("2.5") && gemini.tiers.first?.outputPerMillion == 15)
    }

    @Test func liteLLMTieredPricingBandsBecomeBaseAndTiers() throws {
        let qwen = try #require(try litellm().imported["dashscope/qwen-flash"]?.pricing.tokens)
        #expect(qwen.inputPerMillion == d("0.05") && qwen.outputPerMillion == d("0.4"))
        #expect(qwen.tiers == [PriceTier(aboveInputTokens: 256_000, inputPerMillion: d("0.25"), outputPerMillion: 2)])
    }

    @Test func liteLLMZeroPricesArePricesAndRequestFeesAreKept() throws {
        let result = try litellm()
        let free = try #require(result.imported["together/meta-llama/Llama-3.3-70B-Instruct-Turbo-Free"]?.pricing.tokens)
        #expect(free.inputPerMillion == 0 && free.outputPerMillion == 0)
        let sonar = try #require(result.imported["perplexity/sonar-small-online"]?.pricing.tokens)
        #expect(sonar.perRequest == d("0.005"))
    }

    @Test func liteLLMReportsWhatWasLeftOutAndWhy() throws {
        let result = try litellm()
        #expect(result.leftOut == [
            PriceImport.LeftOut(id: "mistral/mistral-nope", name: "mistral/mistral-nope", reason: "not in the file"),
            PriceImport.LeftOut(id: "openai/dall-e-3", name: "dall-e-3",
                                reason: "it is priced per image ('input_cost_per_image'), not per token"),
        ])
        #expect(result.added.map(\.id) == ["anthropic/claude-sonnet-4-5", "dashscope/qwen-flash", "google/gemini-2.5-pro",
                                           "openai/gpt-4o", "perplexity/sonar-small-online",
                                           "together/meta-llama/Llama-3.3-70B-Instruct-Turbo-Free"])
        // 98 entries besides sample_spec, 7 of them mapped.
        #expect(result.unmappedCount == 91)
    }

    @Test func liteLLMNamesThePricesItCannotRead() throws {
        let json = #"""
            {"char": {"input_cost_per_character": 1.25e-07, "output_cost_per_character": 3.75e-07, "mode": "chat"},
             "audio": {"input_cost_per_second": 0.0001, "mode": "audio_transcription"},
             "bare": {"mode": "embedding"},
             "tiers": {"input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06,
                       "input_cost_per_token_priority": 2e-06, "cache_read_input_token_cost_priority": 2e-07,
                       "output_cost_per_token_flex": 1e-06, "input_cost_per_audio_per_second": 1e-05}}
            """#
        let tree = try JSONTree.parse(Data(json.utf8), file: "prices.json").get()
        let list = try LiteLLMPrices(tree)
        func problem(_ name: String) -> String? {
            if case .failure(let problem) = list.price(of: name) { return problem.message }
            return nil
        }
        #expect(problem("char") == "it is priced per character ('input_cost_per_character', "
                + "'output_cost_per_character'), not per token")
        #expect(problem("audio") == "it is priced per second ('input_cost_per_second'), not per token")
        #expect(problem("bare") == "it has no 'input_cost_per_token' (mode: embedding)")
        let tiers = try list.price(of: "tiers").get()
        #expect(tiers.price.inputPerMillion == 1 && tiers.price.outputPerMillion == 2)
        #expect(tiers.notes == [
            "left out its per-second prices ('input_cost_per_audio_per_second') and priority-tier prices "
                + "('cache_read_input_token_cost_priority', 'input_cost_per_token_priority') and flex-tier prices "
                + "('output_cost_per_token_flex')",
        ])
    }

    @Test func comparesWithThePricesInUse() throws {
        var current = PriceBook()
        current.set(PriceBook.Entry(id: "openai/gpt-4o", pricing: .tokens(Price(
            inputPerMillion: 5, outputPerMillion: 15, cachedInputPerMillion: d("1.25"),
            batch: BatchPrice(inputPerMillion: d("1.25"), outputPerMillion: 5), asOf: CalendarDay("2024-05-13"),
            source: "old")), origin: .shipped))
        let before = try #require(try litellm().imported["google/gemini-2.5-pro"])
        current.set(PriceBook.Entry(id: "google/gemini-2.5-pro", pricing: before.pricing, origin: .file("p.yaml")))
        let result = try litellm(current: current)
        #expect(result.changed.map(\.id) == ["openai/gpt-4o"])
        let differences = try #require(result.changed.first).differences
        #expect(differences.map { "\($0.label) \($0.old) → \($0.new)" } == ["input $5.00 → $2.50", "output $15.00 → $10.00"])
        #expect(result.unchanged == ["google/gemini-2.5-pro"])
        #expect(!result.added.map(\.id).contains("openai/gpt-4o"))
    }

    @Test func openRouterStringPricesAndOverridesBecomeTiers() throws {
        let result = try openrouter()
        let gpt = try #require(result.imported["openrouter/openai/gpt-4o"]?.pricing.tokens)
        // "request": "0" is no fee; "input_cache_read" is a price.
        #expect(gpt == Price(inputPerMillion: d("2.5"), outputPerMillion: 10, cachedInputPerMillion: d("1.25"),
                             id: "openrouter/openai/gpt-4o", asOf: PriceFixtures.day,
                             source: "OpenRouter /api/v1/models: openai/gpt-4o"))
        let gemini = try #require(result.imported["openrouter/google/gemini-2.5-pro"]?.pricing.tokens)
        #expect(gemini.cacheWritePerMillion == d("1.625"))
        // Applies from 200,000 prompt tokens on: above 199,999.
        #expect(gemini.tiers == [PriceTier(aboveInputTokens: 199_999, inputPerMillion: d("2.5"), outputPerMillion: 15,
                                           cachedInputPerMillion: d("0.625"))])
        // Two overrides with the same condition: each sets its own keys.
        let claude = try #require(result.imported["openrouter/anthropic/claude-sonnet-4.5"]?.pricing.tokens)
        #expect(claude.tiers == [PriceTier(aboveInputTokens: 199_999, inputPerMillion: 6, outputPerMillion: d("22.5"),
                                           cachedInputPerMillion: d("0.6"), cacheWritePerMillion: d("7.5"))])
    }

    @Test func openRouterZeroPricesFreeModelsAndFees() throws {
        let result = try openrouter()
        let free = try #require(result.imported["openrouter/meta-llama/llama-3.3-70b-instruct:free"]?.pricing.tokens)
        #expect(free.inputPerMillion == 0 && free.outputPerMillion == 0)
        #expect(free.cachedInputPerMillion == nil && free.perRequest == nil)
        #expect(free.costMicros(of: Usage(inputTokens: 1_000, outputTokens: 1_000, source: .reported)) == 0)
        let sonar = try #require(result.imported["openrouter/perplexity/sonar"]?.pricing.tokens)
        #expect(sonar.perRequest == d("0.005") && sonar.inputPerMillion == 1)
    }

    @Test func openRouterLeavesOutVariablePricesAndNotesTimeWindows() throws {
        let result = try openrouter()
        #expect(result.leftOut == [
            PriceImport.LeftOut(id: "openrouter/auto", name: "openrouter/auto",
                                reason: "'pricing.prompt' is negative (-1): the price varies, e.g. by routed model"),
            PriceImport.LeftOut(id: "openrouter/x-ai/grok-9", name: "x-ai/grok-9", reason: "not in the file"),
        ])
        #expect(result.notes == ["openrouter/deepseek/deepseek-chat-v3.1 ('deepseek/deepseek-chat-v3.1'): a price override "
                                 + "conditioned on utc_start, utc_end was left out (only 'min_prompt_tokens' tiers are imported)"])
        let deepseek = try #require(result.imported["openrouter/deepseek/deepseek-chat-v3.1"]?.pricing.tokens)
        #expect(deepseek.tiers.isEmpty && deepseek.inputPerMillion == d("0.2"))
        #expect(result.unmappedCount == 1)
    }

    @Test func importedPricesRoundTripThroughAPriceFile() throws {
        let imported = try litellm().imported.overlaid(with: try openrouter().imported)
        let text = PriceFile.yaml(imported, header: ["test"])
        var log = DiagnosticLog()
        let read = try #require(PriceFile.decode(text, file: "p.yaml", origin: .file("p.yaml"), log: &log))
        #expect(!log.hasErrors, "\(log.diagnostics)")
        #expect(read.ids == imported.ids)
        for entry in imported.entries { #expect(read[entry.id]?.pricing == entry.pricing) }
    }

    @Test func brokenListsAreReportedAtTheirPosition() throws {
        try withTemporaryDirectory { directory in
            let bad = try directory.write("bad.json", "{\n  \"gpt-4o\": {\"input_cost_per_token\": 2.5e-06,,}\n}\n")
            let error = try #require(throws: DiagnosticsError.self) {
                try PriceImport.read(.litellm, path: bad, names: names, current: PriceBook(), asOf: PriceFixtures.day)
            }
            #expect(PriceFixtures.render(error, removing: directory.path) == """
                bad.json:2:46: error: invalid JSON: expected a quoted key
                  "gpt-4o": {"input_cost_per_token": 2.5e-06,,}
                                                             ^
                """)
            let list = try directory.write("list.json", "[1, 2]")
            let notAnObject = try #require(throws: DiagnosticsError.self) {
                try PriceImport.read(.litellm, path: list, names: names, current: PriceBook(), asOf: PriceFixtures.day)
            }
            #expect(PriceFixtures.render(notAnObject, removing: directory.path) == """
                list.json:1:1: error: a LiteLLM price file is a JSON object keyed by model name, got an array
                [1, 2]
                ^
                """)
            let object = try directory.write("object.json", "{\"models\": []}")
            let notAList = try #require(throws: DiagnosticsError.self) {
                try PriceImport.read(.openrouter, path: object, names: names, current: PriceBook(), asOf: PriceFixtures.day)
            }
            #expect(PriceFixtures.render(notAList, removing: directory.path) == """
                object.json:1:1: error: an OpenRouter model list is the JSON of /api/v1/models: an object with a 'data' \
                array of models, got an object
                {"models": []}
                ^
                """)
            let missing = try #require(throws: DiagnosticsError.self) {
                try PriceImport.read(.openrouter, path: directory.file("nope.json"), names: names, current: PriceBook(),
                                     asOf: PriceFixtures.day)
            }
            #expect(PriceFixtures.render(missing, removing: directory.path) == "nope.json: error: OpenRouter price file does not exist")
        }
    }

    @Test func nameMapProblemsArePinned() throws {
        try withTemporaryDirectory { directory in
            let path = try directory.write("map.yaml", """
                litellm:
                  openai/gpt-4o: [gpt-4o]
                  "has space": x
                openrouterr: {}
                """)
            let error = try #require(throws: DiagnosticsError.self) { try PriceNameMap.load(path: path) }
            #expect(PriceFixtures.render(error, removing: directory.path) == """
                map.yaml:2:18: error: the LiteLLM name for 'openai/gpt-4o' must be a string, got a list
                  openai/gpt-4o: [gpt-4o]
                                 ^
                map.yaml:3:3: error: a price id must be a name like 'openai/gpt-4o' (no spaces), got 'has space'
                  "has space": x
                  ^
                map.yaml:4:1: error: unknown key 'openrouterr' in name map (did you mean 'openrouter'?)
                openrouterr: {}
                ^
                """)
        }
    }
}
