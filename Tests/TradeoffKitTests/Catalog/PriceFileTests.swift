import Foundation
import Testing
import TradeoffTestSupport
@testable import TradeoffKit

/// Price files: decoding, every problem at its position, and writing them back.
struct PriceFileTests {
    private let d = PriceFixtures.decimal

    private func errors(_ text: String) throws -> String {
        try withTemporaryDirectory { directory in
            let path = try directory.write("prices.yaml", text)
            let error = try #require(throws: DiagnosticsError.self) { try PriceFile.load(path: path) }
            return PriceFixtures.render(error, removing: directory.path)
        }
    }

    @Test func decodesEveryField() throws {
        try withTemporaryDirectory { directory in
            let path = try directory.write("prices.yaml", """
                prices:
                  google/gemini-2.5-pro:
                    input: 1.25
                    cached_input: 0.125
                    cache_write: 0.375
                    output: 10
                    per_request: 0.001
                    batch: {input: 0.625}
                    tiers:
                      - {above: 200000, input: 2.50, output: 15.00}
                    as_of: 2026-06-17
                    source: https://ai.google.dev/pricing
                  self/llama-70b-h100:
                    per_hour_usd: 4.10
                    replicas: 2
                    utilization: 0.6
                    as_of: 2026-11-01
                    source: our GPU contract
                """)
            let book = try PriceFile.load(path: path)
            #expect(book.ids == ["google/gemini-2.5-pro", "self/llama-70b-h100"])
            let gemini = try #require(book["google/gemini-2.5-pro"])
            #expect(gemini.pricing == .tokens(Price(
                inputPerMillion: d("1.25"), outputPerMillion: 10, cachedInputPerMillion: d("0.125"),
                cacheWritePerMillion: d("0.375"), perRequest: d("0.001"), tiers: [
                    PriceTier(aboveInputTokens: 200_000, inputPerMillion: d("2.5"), outputPerMillion: 15),
                ], batch: BatchPrice(inputPerMillion: d("0.625")), id: "google/gemini-2.5-pro",
                asOf: CalendarDay("2026-06-17"), source: "https://ai.google.dev/pricing")))
            #expect(gemini.origin == .file(path))
            #expect(gemini.location?.line == 2)
            #expect(book["self/llama-70b-h100"]?.pricing == .hourly(HourlyPrice(
                perHour: d("4.10"), replicas: 2, utilization: d("0.6"), id: "self/llama-70b-h100",
                asOf: CalendarDay("2026-11-01"), source: "our GPU contract")))
        }
    }

    @Test func problemsArePinned() throws {
        let actual = try errors("""
            prices:
              openai/gpt-4o:
                input: 2.50
                output: ten
                as_of: 2026-02-30
                source: ""
              anthropic/claude:
                input: 3
                output: 15
                tiers:
                  - {above: 200000, input: 6}
                  - {above: 128000, output: 20}
                  - {above: 300000}
                batch: {}
                as_of: 2026-01-01
              self/box:
                per_hour_usd: 4.10
                input: 1
                utilization: 1.5
                as_of: 2026-01-01
                source: x
              "has space": {input: 1, output: 1, as_of: 2026-01-01, source: x}
              groq/x: {input: 1, outptu: 2, as_of: 2026-01-01, source: x}
            """)
        #expect(actual == """
            prices.yaml:4:13: error: 'output' must be a number, got 'ten'
                output: ten
                        ^
            prices.yaml:5:12: error: 'as_of' must be a date written YYYY-MM-DD, got '2026-02-30'
                as_of: 2026-02-30
                       ^
            prices.yaml:6:13: error: 'source' must not be empty
                source: ""
                        ^
            prices.yaml:8:5: error: missing required key 'source' in price 'anthropic/claude'
                input: 3
                ^
            prices.yaml:12:17: error: tier thresholds must increase: 'above: 128000' comes after 'above: 200000'
                  - {above: 128000, output: 20}
                            ^
            prices.yaml:13:9: error: a tier needs at least one price (input, output, cached_input, cache_write or cache_write_1h)
                  - {above: 300000}
                    ^
            prices.yaml:14:12: error: 'batch' needs 'input' or 'output' (a missing one is half the normal price)
                batch: {}
                       ^
            prices.yaml:17:5: error: 'per_hour_usd' prices a deployment by the hour and cannot be combined with token prices ('input') in price 'self/box'
                per_hour_usd: 4.10
                ^
            prices.yaml:19:18: error: 'utilization' must be greater than 0 and at most 1, got 1.5
                utilization: 1.5
                             ^
            prices.yaml:22:3: error: a price id must be a name like 'openai/gpt-4o' (no spaces), got 'has space'
              "has space": {input: 1, output: 1, as_of: 2026-01-01, source: x}
              ^
            prices.yaml:23:11: error: missing required key 'output' in price 'groq/x'
              groq/x: {input: 1, outptu: 2, as_of: 2026-01-01, source: x}
                      ^
            prices.yaml:23:22: error: unknown key 'outptu' in price 'groq/x' (did you mean 'output'?)
              groq/x: {input: 1, outptu: 2, as_of: 2026-01-01, source: x}
                                 ^
            """)
    }

    @Test func shapeProblemsArePinned() throws {
        #expect(try errors("- a\n") == """
            prices.yaml:1:1: error: a price file must be a mapping with a 'prices:' mapping of ids to prices, got a list
            - a
            ^
            """)
        #expect(try errors("prices: [a]\n") == """
            prices.yaml:1:9: error: 'prices' must be a mapping of ids to prices, like 'openai/gpt-4o: {input: 2.5, \
            output: 10, as_of: 2026-11-25, source: ...}', got a list
            prices: [a]
                    ^
            """)
        #expect(try errors("prices:\n  a/b: {input: 1, output: 2, as_of: 2026-01-01, source: x}\n  a/b: {input: 1}\n") == """
            prices.yaml:3:3: error: duplicate key 'a/b' (first at line 2)
              a/b: {input: 1}
              ^
            """)
    }

    @Test func writesWhatItReads() throws {
        var book = PriceBook()
        book.set(PriceBook.Entry(id: "openrouter/z-ai/glm-4.6:exacto", pricing: .tokens(Price(
            inputPerMillion: d("0.45"), outputPerMillion: d("1.9"), cacheWritePerMillion: d("0.5"), perRequest: d("0.002"),
            tiers: [PriceTier(aboveInputTokens: 128_000, cachedInputPerMillion: d("0.1"))],
            batch: BatchPrice(outputPerMillion: d("0.95")), asOf: PriceFixtures.day,
            source: "a \"quoted\" source\\path")), origin: .shipped))
        book.set(PriceBook.Entry(id: "self/box", pricing: .hourly(HourlyPrice(
                                     perHour: d("4.1"), replicas: 3,
                                     throughput: Throughput(perSecond: d("2400.5"), unit: .outputTokens, concurrency: 32),
                                     asOf: PriceFixtures.day, source: "rent")),
                                 origin: .shipped))
        let text = PriceFile.yaml(book, header: ["Header line", ""])
        #expect(text == """
            # Header line
            #
            prices:
              "openrouter/z-ai/glm-4.6:exacto":
                input: 0.45
                cache_write: 0.5
                output: 1.9
                per_request: 0.002
                batch: {output: 0.95}
                tiers:
                  - {above: 128000, cached_input: 0.1}
                as_of: 2026-11-25
                source: "a \\"quoted\\" source\\\\path"
              self/box:
                per_hour_usd: 4.1
                replicas: 3
                throughput: {output_tokens_per_second: 2400.5, concurrency: 32}
                as_of: 2026-11-25
                source: "rent"

            """)
        var log = DiagnosticLog()
        let read = try #require(PriceFile.decode(text, file: "p.yaml", origin: .shipped, log: &log))
        #expect(read.ids == book.ids)
        for entry in book.entries { #expect(read[entry.id]?.pricing == entry.pricing) }
        #expect(PriceFile.leadingComment(of: text) == ["Header line", ""])
    }
}
