import Foundation
import Testing
@testable import TradeoffKit

/// The price catalog and name map shipped as data, and the checks a run makes before it starts.
struct ShippedPricesTests {
    @Test func theShippedCatalogIsTheLiteLLMFileImportedThroughTheShippedMap() throws {
        let shipped = try ShippedPrices.book()
        let result = try PriceImport.read(.litellm, path: PriceFixtures.path("litellm-excerpt.json"),
                                          names: try ShippedPrices.nameMap(), current: PriceBook(), asOf: PriceFixtures.day)
        // Every name the shipped map gives is in the excerpt and yields a price.
        #expect(result.leftOut.isEmpty, "\(result.leftOut)")
        // The only notes name the service tiers (and per-image prices) the catalog does not carry.
        #expect(result.notes.contains("openai/gpt-4o ('gpt-4o'): left out its priority-tier prices "
                                      + "('cache_read_input_token_cost_priority', 'input_cost_per_token_priority', "
                                      + "'output_cost_per_token_priority')"))
        #expect(result.notes.allSatisfy { $0.contains("): left out its ") }, "\(result.notes)")
        #expect(shipped.ids == result.imported.ids)
        for entry in result.imported.entries { #expect(shipped[entry.id]?.pricing == entry.pricing, "\(entry.id)") }
        #expect(shipped.entries.allSatisfy { $0.origin == .shipped })
    }

    @Test func itCoversTheFrontierAPIsAndTheMainOpenModelHosts() throws {
        let shipped = try ShippedPrices.book()
        let hosts = Set(shipped.ids.map { String($0.prefix { $0 != "/" }) })
        #expect(hosts.isSuperset(of: ["openai", "anthropic", "google", "xai", "mistral", "deepseek", "groq", "together",
                                      "fireworks", "deepinfra", "cerebras", "openrouter"]))
        for id in ["openai/gpt-4o", "anthropic/claude-sonnet-4-5", "google/gemini-2.5-pro", "groq/llama-3.3-70b-versatile",
                   "together/openai/gpt-oss-120b", "deepinfra/Qwen/Qwen2.5-7B-Instruct"] {
            #expect(shipped[id] != nil, "\(id)")
        }
        // Every entry is dated and sourced.
        #expect(shipped.entries.allSatisfy { $0.pricing.asOf != nil && $0.pricing.source != nil })
        #expect(shipped["google/gemini-2.5-pro"]?.pricing.tokens?.tiers.map(\.aboveInputTokens) == [200_000])
    }

    @Test func warnsAboutUnpricedModelsAndOldPrices() throws {
        let fixture = try SuiteFixture([:], catalog: """
            max_price_age_days: 30
            models:
              - {id: fresh, base_url: "http://h/v1", model: m, class: open, price: {input: 1, output: 1, as_of: 2026-11-01}}
              - {id: stale, base_url: "http://h/v1", model: m, class: open, price: {from: openai/gpt-4o, as_of: 2026-09-01}}
              - {id: undated, base_url: "http://h/v1", model: m, class: open, price: {input: 1, output: 1}}
              - {id: free, base_url: "http://h/v1", model: m, class: open}
            """)
        let catalog = try fixture.loader.loadCatalog(path: fixture.path("suites/models.yaml"))
        let warnings = PriceCheck.warnings(for: catalog.models, in: catalog, today: PriceFixtures.day)
        #expect(fixture.render(warnings) == """
            suites/models.yaml:4:5: warning: the price of model 'stale' is 85 days old ('openai/gpt-4o', as of 2026-09-01; the limit is 30): check it and update it, e.g. with `tradeoff prices import`, or raise 'max_price_age_days' in the catalog
              - {id: stale, base_url: "http://h/v1", model: m, class: open, price: {from: openai/gpt-4o, as_of: 2026-09-01}}
                ^
            suites/models.yaml:6:5: warning: model 'free' has no price: its cost will be unknown (not $0) and it is left out of cost comparisons; add 'price:' to its catalog entry
              - {id: free, base_url: "http://h/v1", model: m, class: open}
                ^
            """)
        // The same stale price is fine under the default limit of 180 days.
        var relaxed = catalog
        relaxed.maxPriceAgeDays = PriceCheck.defaultMaxAgeDays
        #expect(PriceCheck.warnings(for: [catalog.models[1]], in: relaxed, today: PriceFixtures.day).isEmpty)
    }

    @Test(arguments: [("2024-02-29", true), ("2023-02-29", false), ("2026-13-01", false), ("2026-1-01", false),
                      ("2026-11-25", true), ("20261125", false)])
    func calendarDaysAreRealDates(text: String, valid: Bool) {
        #expect((CalendarDay(text) != nil) == valid)
    }

    @Test func calendarDaysCountDays() throws {
        let day = try #require(CalendarDay("2024-02-28"))
        #expect(day.days(until: try #require(CalendarDay("2024-03-01"))) == 2)
        #expect(try #require(CalendarDay("1970-01-01")).days(until: try #require(CalendarDay("2026-11-25"))) == 20_782)
        #expect(CalendarDay(Date(timeIntervalSince1970: 86_400 * 20_782 + 3_600)).description == "2026-11-25")
    }
}
