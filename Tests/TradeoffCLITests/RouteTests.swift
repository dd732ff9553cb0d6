import FakeProvider
import Foundation
import Testing
import TradeoffTestSupport

/// `tradeoff route` end to end: a run where the cheap model is as good as the reference on one
/// task (every answer passes its grader) and far worse on the other, so the portfolio sends the
/// first to the cheap model and keeps the second on the reference.
struct RouteTests {
    let tradeoff = builtProduct("tradeoff")
    private static let cases = 40

    /// Runs the two-task suite against the fake (the reference always right, the cheap model
    /// right a fifth of the time), with a monthly volume, then hands over the folder.
    private func withRun(_ body: (TemporaryDirectory) throws -> Void) throws {
        let server = try FakeProviderServer.start(config: FakeProviderConfig(models: [
            .init(name: "sim/good", accuracy: 1), .init(name: "sim/cheap", accuracy: 0.2),
        ]))
        defer { server.shutdown() }
        try withTemporaryDirectory { directory in
            let sums = (1...Self.cases).map { "      - {id: s\($0), vars: {a: \"\($0)\", b: \"2\", sum: \"\($0 + 2)\"}}" }
            let echoes = (1...Self.cases).map { "      - {id: e\($0), vars: {a: \"\($0)\", b: \"5\"}}" }
            try directory.write("suite.yaml", """
                suite: routed
                models: models.yaml
                reference: good
                margin: 0.1
                defaults: {max_tokens: 16}
                tasks:
                  - id: answer
                    prompt: "Compute: {{a}} + {{b}}. Answer with the number only."
                    graders:
                      - {type: regex, pattern: "."}
                    cases:
                \(echoes.joined(separator: "\n"))
                  - id: add
                    prompt: "Compute: {{a}} + {{b}}. Answer with the number only."
                    graders:
                      - {type: exact, expected: "{{sum}}", normalize: [trim]}
                    cases:
                \(sums.joined(separator: "\n"))
                """)
            try directory.write("models.yaml", """
                models:
                  - {id: good, provider: openai, base_url: "http://127.0.0.1:\(server.port)/v1", model: sim/good, class: frontier,
                     price: {input: 2.50, output: 10.00}}
                  - {id: cheap, provider: openai, base_url: "http://127.0.0.1:\(server.port)/v1", model: sim/cheap, class: open,
                     price: {input: 0.10, output: 0.40}}
                """)
            let run = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--out", "rep", "--volume", "1M/month",
                                                "--quiet"], directory: directory.path)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            try body(directory)
        }
    }

    @Test func routePrintsThePortfolioAndTheReportWritesItsCSV() throws {
        try withRun { directory in
            let text = try runProcess(tradeoff, ["route", "r.sqlite"], directory: directory.path)
            #expect(text.status == 0, "stderr: \(text.stderr)")
            #expect(text.stdout.hasPrefix("## Routing\n\nRun 1 of suite routed (run 1 of r.sqlite).\n\nRoute answer to cheap, the rest to good: "),
                    "\(text.stdout)")
            #expect(text.stdout.contains("| answer | 40 | cheap | non-inferior on 40 cases |"), "\(text.stdout)")
            #expect(text.stdout.contains("| add | 40 | good | reference |"), "\(text.stdout)")
            #expect(text.stdout.contains("| At 1M/month |"), "\(text.stdout)")
            #expect(text.stdout.contains("| good (reference) |"), "\(text.stdout)")
            #expect(text.stdout.contains("This is a what-if on the suite's cases, not a measured production router"))

            // The JSON: the report's routing object, under the command's fields.
            let json = try runProcess(tradeoff, ["route", "r.sqlite", "--run", "1", "--format", "json"], directory: directory.path)
            #expect(json.status == 0, "stderr: \(json.stderr)")
            #expect(json.stdout.hasSuffix("}\n") && json.stdout.filter { $0 == "\n" }.count == 1)
            #expect(try repositorySchema("command-output.schema.json").violations(ofJSON: Data(json.stdout.utf8)) == [],
                    "\(json.stdout)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect(object["command"] as? String == "route" && object["run_id"] as? Int == 1)
            let report = try #require(try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: directory.file("rep/routed.json")))) as? [String: Any])
            #expect(NSDictionary(dictionary: try #require(object["routing"] as? [String: Any]))
                    == NSDictionary(dictionary: try #require(report["routing"] as? [String: Any])))
            let headline = try #require(object["headline"] as? String)
            #expect(headline.hasPrefix("Route answer to cheap, the rest to good: "), "\(headline)")

            // The routing CSV: a row per task, then the portfolio's.
            let csv = try String(contentsOfFile: directory.file("rep/routed.routing.csv"), encoding: .utf8)
            let lines = csv.components(separatedBy: "\r\n")
            #expect(lines.count == 5 && lines[4].isEmpty, "\(csv)")
            let header = lines[0].components(separatedBy: ",")
            let rows = lines[1...3].map { Dictionary(uniqueKeysWithValues: zip(header, $0.components(separatedBy: ","))) }
            #expect(rows.map { $0["row"] } == ["task", "task", "portfolio"])
            #expect(rows.map { $0["task_id"] } == ["answer", "add", ""])
            #expect(rows.map { $0["model_id"] } == ["cheap", "good", ""])
            #expect(rows.map { $0["reason"] } == ["non-inferior", "reference", ""])
            #expect(rows[0]["shared_cases"] == "40" && rows[0]["weight"] == "0.500000" && rows[0]["quality"] == "1.000000")
            #expect(rows[2]["reference_id"] == "good", "\(rows[2])")
            #expect(rows[2]["quality_interval"] == "bootstrap-stratified" && rows[2]["monthly_cost_usd"] != "", "\(rows[2])")
            let portfolio = try #require(Double(rows[2]["cost_per_1k_cases_usd"] ?? ""))
            let reference = try #require(Double(rows[2]["reference_cost_per_1k_cases_usd"] ?? ""))
            let ratio = try #require(Double(rows[2]["relative_cost"] ?? ""))
            #expect(portfolio < reference && abs(portfolio / reference - ratio) < 0.001, "\(rows[2])")
        }
    }

    /// `plan`'s last line, the portfolio at the run's volume, is in its JSON too, with the
    /// report's numbers.
    @Test func planGivesThePortfolioLineAsData() throws {
        try withRun { directory in
            let text = try runProcess(tradeoff, ["plan", "suite.yaml", "--db", "r.sqlite"], directory: directory.path)
            #expect(text.status == 0, "stderr: \(text.stderr)")
            let line = try #require(text.stdout.split(separator: "\n").last.map(String.init))
            #expect(line.hasPrefix("portfolio (run 1): answer → cheap, add → good: $"), "\(line)")
            #expect(line.contains("/month at 1M/month (good alone: $"), "\(line)")

            let json = try runProcess(tradeoff, ["plan", "suite.yaml", "--db", "r.sqlite", "--format", "json"],
                                      directory: directory.path)
            #expect(json.status == 0, "stderr: \(json.stderr)")
            #expect(try repositorySchema("command-output.schema.json").violations(ofJSON: Data(json.stdout.utf8)) == [],
                    "\(json.stdout)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let portfolio = try #require(object["portfolio"] as? [String: Any], "\(json.stdout)")
            #expect(Set(portfolio.keys) == ["run_id", "skipped", "skipped_model", "reference", "routes", "cost_per_1k_cases_micros",
                                            "volume", "cases_per_month", "monthly_cost_micros", "reference_monthly_cost_micros",
                                            "message"])
            #expect(portfolio["message"] as? String == line)
            #expect(portfolio["run_id"] as? Int == 1 && portfolio["skipped"] is NSNull && portfolio["skipped_model"] is NSNull)
            #expect(portfolio["reference"] as? String == "good")
            let routes = try #require(portfolio["routes"] as? [[String: String]])
            #expect(routes == [["task": "answer", "model": "cheap", "reason": "non-inferior"],
                               ["task": "add", "model": "good", "reason": "reference"]])
            #expect(portfolio["volume"] as? String == "1M/month" && portfolio["cases_per_month"] as? Int == 1_000_000)
            // The report's numbers, not new ones.
            let report = try #require(try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: directory.file("rep/routed.json")))) as? [String: Any])
            let reported = try #require(((report["routing"] as? [String: Any])?["portfolio"] as? [String: Any]))
            let cost = try #require(reported["cost"] as? [String: Any])
            #expect(portfolio["monthly_cost_micros"] as? Int == cost["monthly_micros"] as? Int)
            #expect(portfolio["cost_per_1k_cases_micros"] as? Int == cost["per_thousand_cases_micros"] as? Int)
            let monthly = try #require(portfolio["monthly_cost_micros"] as? Int)
            let referenceMonthly = try #require(portfolio["reference_monthly_cost_micros"] as? Int)
            #expect(monthly > 0 && monthly < referenceMonthly, "\(monthly) vs \(referenceMonthly)")
        }
    }

    /// A run pushed to the shared history routes the same as from its file (needs PostgreSQL:
    /// `scripts/with-postgres`).
    @Test func aPushedRunRoutesAsItsFile() throws {
        let database = try PostgresTestDatabase()
        try withRun { directory in
            let push = try runProcess(tradeoff, ["push", "r.sqlite", "--to", database.url], directory: directory.path)
            #expect(push.status == 0, "\(push.stderr)")
            let local = try runProcess(tradeoff, ["route", "r.sqlite", "--format", "json"], directory: directory.path)
            let shared = try runProcess(tradeoff, ["route", "--db", database.url, "--run", "1", "--format", "json"])
            #expect(shared.status == 0, "\(shared.stderr)")
            var (fromFile, fromServer) = try (
                #require(try JSONSerialization.jsonObject(with: Data(local.stdout.utf8)) as? [String: Any]),
                #require(try JSONSerialization.jsonObject(with: Data(shared.stdout.utf8)) as? [String: Any]))
            #expect((fromServer.removeValue(forKey: "label") as? String)?.hasPrefix("run 1 of postgres://") == true)
            fromFile.removeValue(forKey: "label")
            #expect(NSDictionary(dictionary: fromFile) == NSDictionary(dictionary: fromServer))
            let missing = try runProcess(tradeoff, ["route", "--db", database.url, "--run", "9"])
            #expect(missing.status == 2 && missing.stderr.contains("error: --run: no run 9 in postgres://"), "\(missing.stderr)")
        }
    }

    @Test func aRunWithOneTaskSaysWhyThereIsNoPortfolioAndAnUnknownRunIsBadInput() throws {
        try withTemporaryDirectory { directory in
            let server = try FakeProviderServer.start(config: FakeProviderConfig(models: [.init(name: "sim/a"), .init(name: "sim/b")]))
            defer { server.shutdown() }
            try directory.writeTwoModelSuite(named: "one", cases: 3, port: server.port)
            let run = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--no-report", "--quiet"],
                                     directory: directory.path)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            let text = try runProcess(tradeoff, ["route", "r.sqlite"], directory: directory.path)
            #expect(text.status == 0 && text.stdout.contains("No portfolio: the run has one task"), "\(text.stdout)\(text.stderr)")
            let json = try runProcess(tradeoff, ["route", "r.sqlite", "--format", "json"], directory: directory.path)
            #expect(try repositorySchema("command-output.schema.json").violations(ofJSON: Data(json.stdout.utf8)) == [],
                    "\(json.stdout)")
            #expect(json.stdout.contains("\"headline\":\"No portfolio: the run has one task"), "\(json.stdout)")

            let unknown = try runProcess(tradeoff, ["route", "r.sqlite", "--run", "9"], directory: directory.path)
            #expect(unknown.status == 2 && unknown.stdout.isEmpty && unknown.stderr.contains("error:"), "\(unknown.stderr)")
            let missing = try runProcess(tradeoff, ["route", "none.sqlite"], directory: directory.path)
            #expect(missing.status == 2 && missing.stderr.contains("no results database at 'none.sqlite'"), "\(missing.stderr)")
        }
    }
}
