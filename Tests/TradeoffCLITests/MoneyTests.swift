import FakeProvider
import Foundation
import GRDB
import Testing
import TradeoffKit
import TradeoffTestSupport

/// Money to the micro-dollar, end to end: what `tradeoff run` stores is what the provider bills,
/// and `report --reprice` at unchanged prices gives the run's own totals.
struct MoneyTests {
    let tradeoff = builtProduct("tradeoff")

    /// - Parameter padding: characters of text to add to the prompt, so it can be as long as the
    ///   cache writes a test makes the provider report (usage no prompt could make is not trusted).
    private func write(_ directory: TemporaryDirectory, cases: Int = 1, padding: Int = 0, models: String) throws {
        let list = (1...cases).map { "      - {id: c\($0), vars: {a: \"\($0)\"}}" }.joined(separator: "\n")
        let pad = padding > 0 ? " " + String(repeating: "word ", count: padding / 5) : ""
        try directory.write("suite.yaml", """
            suite: money
            models: models.yaml
            tasks:
              - id: sums
                prompt: "Compute: {{a}} + 1\(pad)"
                graders: [{type: contains, value: "1"}]
                cases:
            \(list)
            """)
        try directory.write("models.yaml", "models:\n" + models)
    }

    /// Anthropic bills a 1-hour cache write at 2× input: 100,000 tokens at $3/M input are $0.600
    /// (they were stored as $0.375, the 5-minute rate).
    @Test func oneHourCacheWritesCostTwiceTheInputPrice() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: "k", models: [.init(name: "sim/claude", cacheWrite1hTokens: 100_000)]) { server in
                try write(directory, padding: 150_000, models: """
                      - {id: claude, provider: anthropic, base_url: "\(server.rootURL)", model: sim/claude, class: frontier,
                         api_key_env: KEY, price: anthropic/claude-sonnet-4-5}
                    """)
                let result = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--quiet", "--no-report"],
                                            environment: ["KEY": "k"], directory: directory.path)
                #expect(result.status == 0, "\(result.stderr)")
                let row = try DatabaseQueue(path: directory.file("r.sqlite")).read { db in
                    try #require(try Row.fetchOne(db, sql: """
                        SELECT input_tokens, cache_write_tokens, cache_write_1h_tokens, output_tokens, cost_micros FROM calls
                        """))
                }
                let (input, writes, oneHour, output, cost): (Int, Int, Int, Int, Int64) =
                    (row["input_tokens"], row["cache_write_tokens"], row["cache_write_1h_tokens"], row["output_tokens"],
                     row["cost_micros"])
                #expect(writes == 100_000 && oneHour == 100_000)
                // The rest of the call at $3/M input and $15/M output; the write itself $0.600.
                #expect(cost - Int64((input - writes) * 3 + output * 15) == 600_000)
            }
        }
    }

    /// Attempts cut after reporting usage were billed; `report --reprice` at unchanged prices gives
    /// the run's own total (it dropped them: $0.286381 became $0.285156).
    @Test func repricingAtUnchangedPricesReproducesTheRunsTotals() throws {
        try withTemporaryDirectory { directory in
            let cut = FakeProviderConfig.Faults(cutStream: 0.5)
            try withFakeProvider(apiKey: "k", models: [.init(name: "sim/claude", faults: cut)]) { server in
                try write(directory, cases: 20, models: """
                      - {id: claude, provider: anthropic, base_url: "\(server.rootURL)", model: sim/claude, class: frontier,
                         api_key_env: KEY, price: {input: 3, output: 15}}
                    """)
                let run = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--quiet", "--no-report",
                                                    "--retries", "10", "--max-backoff", "0.001"],
                                         environment: ["KEY": "k"], directory: directory.path)
                #expect(run.status == 0, "\(run.stderr)")
                let (total, retried) = try DatabaseQueue(path: directory.file("r.sqlite")).read { db in
                    (try Int64.fetchOne(db, sql: "SELECT SUM(cost_micros) FROM calls")!,
                     try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM calls WHERE failed_attempts_usage IS NOT NULL")!)
                }
                #expect(retried > 0, "some attempts were cut after reporting usage")
                let repriced = try runProcess(tradeoff, ["report", "r.sqlite", "--reprice"], directory: directory.path)
                #expect(repriced.status == 0, "\(repriced.stderr)")
                let amount = Money.format(micros: total)
                #expect(repriced.stderr.contains("  claude: \(amount) → \(amount) (same prices)\n"), "\(repriced.stderr)")
            }
        }
    }
}
