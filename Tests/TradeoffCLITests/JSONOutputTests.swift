import FakeProvider
import Foundation
import Testing
import TradeoffTestSupport

/// `--format json` end to end: each command prints one schema-versioned JSON document on stdout
/// and nothing else; this pins each document's keys.
struct JSONOutputTests {
    let tradeoff = builtProduct("tradeoff")
    private let key = "sk-json-test-0123456789"

    private func tradeoff(_ arguments: [String], port: Int = 1, in directory: TemporaryDirectory) throws -> ProcessResult {
        try runProcess(tradeoff, arguments, environment: ["FAKE_PROVIDER_PORT": "\(port)", "JSON_TEST_KEY": key,
                                                          "GITHUB_STEP_SUMMARY": ""], directory: directory.path)
    }

    private let suite = """
        suite: sums
        models: models.yaml
        defaults: {max_tokens: 16}
        tasks:
          - id: add
            prompt: "Compute: {{a}} + {{b}}. Answer with the number only."
            graders:
              - {type: exact, expected: "{{sum}}", normalize: [trim]}
            cases:
              - {id: c1, vars: {a: "1", b: "3", sum: "4"}}
              - {id: c2, vars: {a: "2", b: "6", sum: "8"}}
              - {id: c3, vars: {a: "3", b: "9", sum: "12"}}
              - {id: c4, vars: {a: "4", b: "12", sum: "16"}}
        """

    private let catalog = """
        models:
          - id: good
            base_url: http://127.0.0.1:${FAKE_PROVIDER_PORT}/v1
            model: sim/good
            class: frontier
            price: {input: 2.50, output: 10.00}
            api_key_env: JSON_TEST_KEY
          - id: cheap.v1
            base_url: http://127.0.0.1:${FAKE_PROVIDER_PORT}/v1
            model: sim/cheap
            class: open
            api_key_env: JSON_TEST_KEY
        """

    /// stdout as one JSON object on one line, with the schema version and the command.
    private func document(_ result: ProcessResult, command: String) throws -> [String: Any] {
        #expect(result.stdout.hasSuffix("}\n") && result.stdout.filter { $0 == "\n" }.count == 1, "stdout: \(result.stdout)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
                                  "stdout: \(result.stdout)")
        #expect(object["schema_version"] as? Int == 1)
        #expect(object["command"] as? String == command)
        #expect(try repositorySchema("command-output.schema.json").violations(ofJSON: Data(result.stdout.utf8)) == [],
                "stdout: \(result.stdout)")
        return object
    }

    @Test func validateGivesEachDiagnosticAsAnObject() throws {
        try withTemporaryDirectory { directory in
            try directory.write("models.yaml", catalog)
            try directory.write("good.yaml", suite)
            try directory.write("bad.yaml", suite.replacingOccurrences(of: "type: exact", with: "type: exakt"))
            let result = try tradeoff(["validate", "good.yaml", "bad.yaml", "--format", "json"], in: directory)
            #expect(result.status == 2)
            #expect(result.stderr == "")
            let object = try document(result, command: "validate")
            #expect(Set(object.keys) == ["schema_version", "command", "ok", "files"])
            #expect(object["ok"] as? Bool == false)
            let files = try #require(object["files"] as? [[String: Any]])
            #expect(files.map { $0["file"] as? String } == ["good.yaml", "bad.yaml"])
            #expect(files.map { $0["ok"] as? Bool } == [true, false])
            #expect(files.map { $0["errors"] as? Int } == [0, 1])
            let diagnostic = try #require((files[1]["diagnostics"] as? [[String: Any]])?.first)
            #expect(Set(diagnostic.keys) == ["file", "line", "column", "severity", "message", "source_line"])
            #expect(diagnostic["file"] as? String == "bad.yaml")
            #expect(diagnostic["line"] as? Int == 8 && diagnostic["column"] as? Int == 16)
            #expect(diagnostic["severity"] as? String == "error")
            #expect(diagnostic["message"] as? String == "unknown grader type 'exakt' (did you mean 'exact'?)")
        }
    }

    @Test func planGivesTheEstimatePerModel() throws {
        try withTemporaryDirectory { directory in
            try directory.write("models.yaml", catalog)
            try directory.write("suite.yaml", suite)
            let result = try tradeoff(["plan", "suite.yaml", "--format", "json"], in: directory)
            #expect(result.status == 0, "stderr: \(result.stderr)")
            let object = try document(result, command: "plan")
            #expect(Set(object.keys) == ["schema_version", "command", "suite", "shard", "slice", "summary", "models", "total",
                                         "unpriced", "portfolio"])
            // No earlier run: the portfolio line's data says so, every key there and null.
            let portfolio = try #require(object["portfolio"] as? [String: Any])
            #expect(portfolio["skipped"] as? String == "no-run" && portfolio["run_id"] is NSNull)
            #expect(portfolio["routes"] as? [Any] != nil && (portfolio["routes"] as? [Any])?.isEmpty == true)
            #expect(portfolio["monthly_cost_micros"] is NSNull && portfolio["volume"] is NSNull)
            #expect((portfolio["message"] as? String)?.hasPrefix("portfolio: no earlier run of 'sums' in results/sums.sqlite") == true,
                    "\(portfolio)")
            #expect(object["suite"] as? String == "sums" && object["shard"] is NSNull && object["slice"] is NSNull)
            let models = try #require(object["models"] as? [[String: Any]])
            #expect(models.map { $0["id"] as? String } == ["good", "cheap.v1"])
            #expect(Set(models[0].keys) == ["id", "judge", "calls", "input_tokens", "output_tokens", "output_from", "cost_micros",
                                            "batch_cost_micros", "hourly_throughput"])
            // A loopback host is not known to serve the Batch API: run --batch runs it as usual.
            #expect(models.allSatisfy { $0["batch_cost_micros"] is NSNull })
            #expect(models[0]["hourly_throughput"] is NSNull, "priced per token")
            #expect(models.map { $0["calls"] as? Int } == [4, 4])
            #expect(models[0]["output_from"] as? String == "max_tokens" && models[0]["cost_micros"] is Int)
            #expect(models[1]["cost_micros"] is NSNull)
            #expect(object["unpriced"] as? [String] == ["cheap.v1"])
            let total = try #require(object["total"] as? [String: Any])
            #expect(total["calls"] as? Int == 8 && total["cost_micros"] as? Int == models[0]["cost_micros"] as? Int)
        }
    }

    @Test func planGivesWhatRunBatchWouldPay() throws {
        try withTemporaryDirectory { directory in
            // `batch: true`: this host serves the Batch API; half price without batch prices.
            try directory.write("models.yaml", catalog.replacingOccurrences(
                of: "price: {input: 2.50, output: 10.00}", with: "price: {input: 2.50, output: 10.00}\n    batch: true"))
            try directory.write("suite.yaml", suite)
            let result = try tradeoff(["plan", "suite.yaml", "--format", "json"], in: directory)
            #expect(result.status == 0, "stderr: \(result.stderr)")
            let object = try document(result, command: "plan")
            let models = try #require(object["models"] as? [[String: Any]])
            let cost = try #require(models[0]["cost_micros"] as? Int)
            let batch = try #require(models[0]["batch_cost_micros"] as? Int)
            #expect(batch * 2 >= cost - 4 && batch * 2 <= cost + 4, "\(batch) is half of \(cost), to the micro-dollar of each call")
            #expect(models[1]["batch_cost_micros"] is NSNull, "unpriced")
            let total = try #require(object["total"] as? [String: Any])
            #expect(total["batch_cost_micros"] as? Int == batch)
        }
    }

    @Test func compareAndHistoryGiveTheirNumbers() throws {
        try withTemporaryDirectory { directory in
            try directory.write("models.yaml", catalog)
            try directory.write("suite.yaml", suite)
            for accuracy in [1.0, 0.0] {
                try withFakeProvider(apiKey: key, models: [.init(name: "sim/good"), .init(name: "sim/cheap", accuracy: accuracy)]) { server in
                    let run = try tradeoff(["run", "suite.yaml", "--db", "r.sqlite", "--out", "rep", "--quiet"],
                                           port: server.port, in: directory)
                    #expect(run.status == 0, "stderr: \(run.stderr)")
                }
            }
            let compare = try tradeoff(["compare", "1", "2", "--db", "r.sqlite", "--format", "json", "--gate", "quality(good) >= 0.5"],
                                       in: directory)
            #expect(compare.status == 0, "stderr: \(compare.stderr)")
            let comparison = try document(compare, command: "compare")
            #expect(Set(comparison.keys) == ["schema_version", "command", "baseline", "current", "suite_changed", "shared_cases",
                                             "only_in_baseline", "only_in_current", "models", "tasks", "gates",
                                             "fail_on_regression", "failed"])
            #expect((comparison["baseline"] as? [String: Any])?["run_id"] as? Int == 1)
            let models = try #require(comparison["models"] as? [[String: Any]])
            let cheap = try #require(models.first { $0["id"] as? String == "cheap.v1" })
            #expect((cheap["pass_to_fail"] as? [[String: String]])?.map { $0["case_id"] } == ["c1", "c2", "c3", "c4"])
            #expect(cheap["baseline_quality"] as? Double == 1 && cheap["current_quality"] as? Double == 0)
            #expect(((cheap["quality_difference"] as? [String: Any])?["value"] as? Double) == -1)
            let gate = try #require((comparison["gates"] as? [[String: Any]])?.first)
            #expect(gate["line"] as? String == "pass quality(good) >= 0.5: good measured 1.000" && gate["passed"] as? Bool == true)

            let history = try tradeoff(["history", "r.sqlite", "--model", "cheap.v1", "--format", "json"], in: directory)
            #expect(history.status == 0, "stderr: \(history.stderr)")
            #expect(history.stderr == "")
            let object = try document(history, command: "history")
            #expect(object["model_id"] as? String == "cheap.v1")
            let runs = try #require(object["runs"] as? [[String: Any]])
            #expect(runs.map { $0["run_id"] as? Int } == [1, 2])
            #expect(Set(runs[0].keys) == ["run_id", "started_at", "status", "suite_hash", "cases", "calls", "errors", "quality",
                                          "pass_rate", "priced", "cost_per_case_micros", "p95_latency_ms"])
            #expect(runs.map { ($0["quality"] as? [String: Any])?["value"] as? Double } == [1, 0])
            #expect(runs[0]["priced"] as? Bool == false && runs[0]["cost_per_case_micros"] is NSNull)
            // Without --svg, JSON mode writes no chart; with it, the path goes to stderr.
            #expect(!FileManager.default.fileExists(atPath: directory.file("reports/cheap.v1.history.svg")))
            let charted = try tradeoff(["history", "r.sqlite", "--model", "cheap.v1", "--format", "json", "--svg", "c.svg"],
                                       in: directory)
            #expect(charted.stderr == "chart: c.svg\n")
            #expect(FileManager.default.fileExists(atPath: directory.file("c.svg")))
        }
    }

    @Test func pricesShowGivesEntriesAndModelPrices() throws {
        try withTemporaryDirectory { directory in
            let all = try tradeoff(["prices", "show", "--format", "json"], in: directory)
            #expect(all.status == 0, "stderr: \(all.stderr)")
            let book = try document(all, command: "prices show")
            let entries = try #require(book["prices"] as? [[String: Any]])
            #expect(entries.count > 10)
            let first = try #require(entries.first)
            #expect(Set(first.keys) == ["id", "origin", "kind", "fields", "as_of", "age_days", "stale", "source"])
            #expect(first["origin"] as? String == "shipped")
            let id = try #require(first["id"] as? String)
            let one = try document(try tradeoff(["prices", "show", id, "--format", "json"], in: directory), command: "prices show")
            #expect((one["prices"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])

            try directory.write("models.yaml", catalog)
            let models = try document(try tradeoff(["prices", "show", "--models", "models.yaml", "--format", "json"], in: directory),
                                      command: "prices show")
            let entriesByModel = try #require(models["models"] as? [[String: Any]])
            #expect(entriesByModel.map { $0["id"] as? String } == ["good", "cheap.v1"])
            #expect(entriesByModel.map { $0["priced"] as? Bool } == [true, false])
            let fields = try #require((entriesByModel[0]["price"] as? [String: Any])?["fields"] as? [[String: String]])
            #expect(fields.first == ["name": "input", "value": "$2.50"])
        }
    }

    @Test func modelsCheckGivesAResultPerModel() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: nil, models: [.init(name: "sim/a")]) { server in
                try directory.write("models.yaml", """
                    models:
                      - {id: a.1, base_url: "\(server.baseURL)", model: sim/a, class: open}
                      - {id: typo, base_url: "\(server.baseURL)", model: sim/nope, class: open}
                    """)
                let result = try tradeoff(["models", "check", "models.yaml", "--format", "json"], in: directory)
                #expect(result.status == 3)
                #expect(result.stderr == "1 of 2 models did not answer\n")
                let object = try document(result, command: "models check")
                #expect(object["ok"] as? Bool == false)
                let models = try #require(object["models"] as? [[String: Any]])
                #expect(Set(models[0].keys) == ["id", "provider", "preset", "ok", "error_kind", "error_message", "http_status",
                                                "latency_ms", "usage", "served_model", "structured_output"])
                #expect(models.map { $0["id"] as? String } == ["a.1", "typo"])
                #expect(models.map { $0["ok"] as? Bool } == [true, false])
                #expect(models[1]["error_kind"] as? String == "not_found" && models[1]["http_status"] as? Int == 404)
                #expect(models[0]["usage"] as? String == "reported")
            }
        }
    }

    @Test func anUnknownFormatIsBadInput() throws {
        try withTemporaryDirectory { directory in
            let result = try tradeoff(["validate", "x.yaml", "--format", "xml"], in: directory)
            #expect(result.status == 2 && result.stdout == "")
            #expect(result.stderr.hasPrefix(
                "Error: The value 'xml' is invalid for '--format <format>'. Please provide one of 'text' and 'json'.\n"))
        }
    }
}
