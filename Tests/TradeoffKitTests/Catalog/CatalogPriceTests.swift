import Foundation
import Testing
import TradeoffTestSupport
@testable import TradeoffKit

/// A model catalog's `price:`: a shipped price by id, overrides over one, its own price file,
/// hourly prices, and what goes wrong.
struct CatalogPriceTests {
    private let d = PriceFixtures.decimal

    private func load(_ catalog: String, files: [String: String] = [:]) throws -> Catalog {
        let fixture = try SuiteFixture(files, catalog: catalog)
        return try fixture.loader.loadCatalog(path: fixture.path("suites/models.yaml"))
    }

    private func errors(_ catalog: String, files: [String: String] = [:]) throws -> String {
        let fixture = try SuiteFixture(files, catalog: catalog)
        do {
            _ = try fixture.loader.loadCatalog(path: fixture.path("suites/models.yaml"))
            Issue.record("expected the catalog to fail to load")
            return ""
        } catch let error as DiagnosticsError {
            return fixture.render(error.diagnostics)
        }
    }

    @Test func aPriceIDTakesTheShippedPrice() throws {
        let catalog = try load("""
            models:
              - {id: gpt, base_url: "https://api.openai.com/v1", model: gpt-4o, class: frontier, price: openai/gpt-4o}
            """)
        let shipped = try #require(try ShippedPrices.book()["openai/gpt-4o"]?.pricing.tokens)
        #expect(catalog.models[0].price == shipped)
        #expect(shipped.id == "openai/gpt-4o" && shipped.asOf == PriceFixtures.day)
        #expect(shipped.source == "LiteLLM model_prices_and_context_window.json: gpt-4o")
        #expect(catalog.maxPriceAgeDays == 180 && catalog.priceFile == nil)
    }

    @Test func fieldsOverrideThePriceTheyComeFrom() throws {
        let catalog = try load("""
            models:
              - id: gpt
                base_url: https://api.openai.com/v1
                model: gpt-4o
                class: frontier
                price: {from: openai/gpt-4o, output: 9.00, tiers: [{above: 100000, input: 5}]}
              - id: dated
                base_url: https://api.openai.com/v1
                model: gpt-4o
                class: frontier
                price: {from: openai/gpt-4o, input: 2, as_of: 2026-12-01, source: our contract}
            """)
        let price = try #require(catalog.models[0].price)
        #expect(price.inputPerMillion == d("2.5") && price.outputPerMillion == 9)
        #expect(price.cachedInputPerMillion == d("1.25"))
        #expect(price.tiers == [PriceTier(aboveInputTokens: 100_000, inputPerMillion: 5)])
        #expect(price.id == "openai/gpt-4o" && price.asOf == PriceFixtures.day)
        #expect(price.source == "LiteLLM model_prices_and_context_window.json: gpt-4o; 'output', 'tiers' from "
                + catalog.path + ":6")
        let dated = try #require(catalog.models[1].price)
        #expect(dated.inputPerMillion == 2 && dated.asOf == CalendarDay("2026-12-01") && dated.source == "our contract")
    }

    @Test func theCatalogsPriceFileIsReadOverTheShippedOne() throws {
        let catalog = try load("""
            prices: prices.yaml
            max_price_age_days: 30
            models:
              - {id: gpt, base_url: "https://api.openai.com/v1", model: gpt-4o, class: frontier, price: openai/gpt-4o}
              - {id: box, base_url: "http://gpu:8000/v1", model: llama, class: open, price: self/h100}
              - {id: inline, base_url: "http://gpu:8000/v1", model: llama, class: open, price: {per_hour_usd: 2, replicas: 4}}
            """, files: ["suites/prices.yaml": """
                prices:
                  openai/gpt-4o: {input: 2, output: 8, as_of: 2026-11-20, source: negotiated}
                  self/h100: {per_hour_usd: 4.10, as_of: 2026-11-01, source: rent}
                """])
        #expect(catalog.maxPriceAgeDays == 30)
        #expect(catalog.priceFile?.hasSuffix("suites/prices.yaml") == true)
        #expect(catalog.models[0].price?.outputPerMillion == 8 && catalog.models[0].price?.source == "negotiated")
        #expect(catalog.models[1].price == nil)
        #expect(catalog.models[1].hourlyPrice == HourlyPrice(perHour: d("4.10"), replicas: 1, id: "self/h100",
                                                             asOf: CalendarDay("2026-11-01"), source: "rent"))
        #expect(catalog.models[2].hourlyPrice == HourlyPrice(perHour: 2, replicas: 4))
        #expect(catalog.models[2].pricing?.hourly?.effectivePerHour == 8)
    }

    @Test func problemsArePinned() throws {
        let actual = try errors("""
            prices: missing.yaml
            max_price_age_days: 0
            models:
              - {id: a, base_url: "http://h/v1", model: m, class: open, price: [1]}
              - {id: b, base_url: "http://h/v1", model: m, class: open, price: {from: openai/gpt-4o, per_hour_usd: 3}}
              - {id: c, base_url: "http://h/v1", model: m, class: open, price: {output: 1}}
              - {id: e, base_url: "http://h/v1", model: m, class: open, price: {replicas: 2}}
            """)
        #expect(actual == """
            suites/models.yaml:1:9: error: price file 'suites/missing.yaml' does not exist
            prices: missing.yaml
                    ^
            suites/models.yaml:2:21: error: 'max_price_age_days' must be at least 1, got 0
            max_price_age_days: 0
                                ^
            suites/models.yaml:4:68: error: 'price' must be a price id like 'openai/gpt-4o' or a mapping like {input: 2.50, output: 10.00}, got a list
              - {id: a, base_url: "http://h/v1", model: m, class: open, price: [1]}
                                                                               ^
            suites/models.yaml:5:90: error: 'per_hour_usd' cannot override 'openai/gpt-4o', which is priced per token
              - {id: b, base_url: "http://h/v1", model: m, class: open, price: {from: openai/gpt-4o, per_hour_usd: 3}}
                                                                                                     ^
            suites/models.yaml:6:68: error: missing required key 'input' in 'price'
              - {id: c, base_url: "http://h/v1", model: m, class: open, price: {output: 1}}
                                                                               ^
            suites/models.yaml:7:68: error: missing required key 'per_hour_usd' in 'price'
              - {id: e, base_url: "http://h/v1", model: m, class: open, price: {replicas: 2}}
                                                                               ^
            """)
    }

    @Test func aThroughputIsStatedForProductionWithAnHourlyPrice() throws {
        let catalog = try load("""
            models:
              - {id: a, base_url: "http://h/v1", model: m, class: open,
                 price: {per_hour_usd: 4.10, throughput: {output_tokens_per_second: 2400, concurrency: 32}}}
              - {id: b, base_url: "http://h/v1", model: m, class: open, price: {per_hour_usd: 2, throughput: {calls_per_second: 0.5}}}
            """)
        #expect(catalog.models[0].hourlyPrice?.throughput == Throughput(perSecond: 2_400, unit: .outputTokens, concurrency: 32))
        #expect(catalog.models[1].hourlyPrice?.throughput == Throughput(perSecond: d("0.5"), unit: .calls))
        #expect(PriceText.summary(of: try #require(catalog.models[0].pricing))
                == "$4.10 per hour × 1 replica; 2,400 output tokens/s at concurrency 32 in production")
    }

    @Test func aThroughputsProblemsArePinned() throws {
        let actual = try errors("""
            models:
              - {id: b, base_url: "http://h/v1", model: m, class: open, price: {per_hour_usd: 4, throughput: {concurrency: 8}}}
              - {id: c, base_url: "http://h/v1", model: m, class: open, price: {per_hour_usd: 4, throughput: {calls_per_second: 1, output_tokens_per_second: 9}}}
              - {id: d, base_url: "http://h/v1", model: m, class: open, price: {per_hour_usd: 4, throughput: {calls_per_second: 0, concurency: 2}}}
              - {id: e, base_url: "http://h/v1", model: m, class: open, price: {per_hour_usd: 4, throughput: 2400}}
              - {id: f, base_url: "http://h/v1", model: m, class: open, price: {from: openai/gpt-4o, throughput: {calls_per_second: 1}}}
            """)
        #expect(actual == """
            suites/models.yaml:2:98: error: 'throughput' needs 'output_tokens_per_second' or 'calls_per_second': what the deployment serves in production (without it, the throughput measured in the run is used)
              - {id: b, base_url: "http://h/v1", model: m, class: open, price: {per_hour_usd: 4, throughput: {concurrency: 8}}}
                                                                                                             ^
            suites/models.yaml:3:99: error: 'throughput' takes one of 'output_tokens_per_second' and 'calls_per_second', not both
              - {id: c, base_url: "http://h/v1", model: m, class: open, price: {per_hour_usd: 4, throughput: {calls_per_second: 1, output_tokens_per_second: 9}}}
                                                                                                              ^
            suites/models.yaml:4:117: error: 'calls_per_second' must be greater than 0, got 0
              - {id: d, base_url: "http://h/v1", model: m, class: open, price: {per_hour_usd: 4, throughput: {calls_per_second: 0, concurency: 2}}}
                                                                                                                                ^
            suites/models.yaml:4:120: error: unknown key 'concurency' in 'throughput' (did you mean 'concurrency'?)
              - {id: d, base_url: "http://h/v1", model: m, class: open, price: {per_hour_usd: 4, throughput: {calls_per_second: 0, concurency: 2}}}
                                                                                                                                   ^
            suites/models.yaml:5:98: error: 'throughput' must be a mapping, got '2400'
              - {id: e, base_url: "http://h/v1", model: m, class: open, price: {per_hour_usd: 4, throughput: 2400}}
                                                                                                             ^
            suites/models.yaml:6:90: error: 'throughput' cannot override 'openai/gpt-4o', which is priced per token
              - {id: f, base_url: "http://h/v1", model: m, class: open, price: {from: openai/gpt-4o, throughput: {calls_per_second: 1}}}
                                                                                                     ^
            """)
    }

    @Test func unknownPriceIDsSuggestTheNearestOne() throws {
        let actual = try errors("""
            models:
              - {id: a, base_url: "http://h/v1", model: m, class: open, price: openai/gpt4o}
              - {id: b, base_url: "http://h/v1", model: m, class: open, price: {from: nobody/nothing-at-all, output: 1}}
            """)
        #expect(actual == """
            suites/models.yaml:2:68: error: unknown price 'openai/gpt4o' (did you mean 'openai/gpt-4o'?); `tradeoff prices show` lists the known ones
              - {id: a, base_url: "http://h/v1", model: m, class: open, price: openai/gpt4o}
                                                                               ^
            suites/models.yaml:3:75: error: unknown price 'nobody/nothing-at-all'; `tradeoff prices show` lists the known ones
              - {id: b, base_url: "http://h/v1", model: m, class: open, price: {from: nobody/nothing-at-all, output: 1}}
                                                                                      ^
            """)
    }

    @Test func brokenPriceFilesAreReportedInThemWithoutFollowOnErrors() throws {
        let actual = try errors("""
            prices: prices.yaml
            models:
              - {id: a, base_url: "http://h/v1", model: m, class: open, price: mine/model}
            """, files: ["suites/prices.yaml": "prices:\n  mine/model: {input: 1, output: x, as_of: 2026-01-01, source: s}\n"])
        #expect(actual == """
            suites/prices.yaml:2:34: error: 'output' must be a number, got 'x'
              mine/model: {input: 1, output: x, as_of: 2026-01-01, source: s}
                                             ^
            """)
    }
}
