import FakeProvider
import Foundation
import GRDB
import Testing
import TradeoffTestSupport

/// Gates, regressions, `compare` and `history` end to end: the built binary against the
/// in-process fake provider, checking stdout, stderr, the exit code and the files.
///
/// Exit codes: 0 ok, 1 a gate failed (or a real regression with --fail-on-regression),
/// 2 bad input, 3 the run did not complete (which wins over a failed gate).
struct GateTests {
    let tradeoff = builtProduct("tradeoff")
    private let key = "sk-gate-test-0123456789"

    private func tradeoff(_ arguments: [String], port: Int = 1, in directory: TemporaryDirectory,
                          environment: [String: String] = [:]) throws -> ProcessResult {
        let base = ["FAKE_PROVIDER_PORT": "\(port)", "TRADEOFF_GATE_TEST_KEY": key, "GITHUB_STEP_SUMMARY": ""]
        return try runProcess(tradeoff, arguments, environment: base.merging(environment) { $1 }, directory: directory.path)
    }

    /// Ten sums, so seven flips can be told from noise.
    private func suite(extra: String = "") -> String {
        var text = """
            suite: sums
            models: models.yaml
            defaults: {max_tokens: 16}
            \(extra)
            tasks:
              - id: add
                prompt: "Compute: {{a}} + {{b}}. Answer with the number only."
                graders:
                  - {type: exact, expected: "{{sum}}", normalize: [trim]}
                cases:

            """
        for index in 1...10 {
            text += "      - {id: c\(index), vars: {a: \"\(index)\", b: \"\(index * 3)\", sum: \"\(index * 4)\"}}\n"
        }
        return text
    }

    private let catalog = """
        models:
          - id: good
            base_url: http://127.0.0.1:${FAKE_PROVIDER_PORT}/v1
            model: sim/good
            class: frontier
            price: {input: 2.50, output: 10.00}
            api_key_env: TRADEOFF_GATE_TEST_KEY
          - id: cheap
            base_url: http://127.0.0.1:${FAKE_PROVIDER_PORT}/v1
            model: sim/cheap
            class: open
            price: {input: 0.04, output: 0.10}
            api_key_env: TRADEOFF_GATE_TEST_KEY
        """

    private func models(cheapAccuracy: Double) -> [FakeProviderConfig.Model] {
        [.init(name: "sim/good"), .init(name: "sim/cheap", accuracy: cheapAccuracy)]
    }

    @Test func passingGatesExitZeroAndFailingOnesExitOneWithJUnitAndStepSummary() throws {
        try withTemporaryDirectory { directory in
            try directory.write("suite.yaml", suite())
            try directory.write("models.yaml", catalog)
            try withFakeProvider(apiKey: key, models: models(cheapAccuracy: 0)) { server in
                let passing = try tradeoff(["run", "suite.yaml", "--db", "r.sqlite", "--out", "rep", "--quiet",
                                            "--gate", "quality(good) >= 0.9", "--gate", "p95_latency(*) <= 30s"],
                                           port: server.port, in: directory)
                #expect(passing.status == 0, "stderr: \(passing.stderr)")
                #expect(passing.stdout.contains("checks: 3 of 3 gate checks passed\n"))

                let summaryFile = directory.file("step-summary.md")
                let failing = try tradeoff(["run", "suite.yaml", "--db", "r.sqlite", "--out", "rep", "--quiet",
                                            "--gate", "quality(cheap) >= 0.5", "--gate", "cost_per_case(*) <= 1",
                                            "--junit", "out/junit.xml"],
                                           port: server.port, in: directory, environment: ["GITHUB_STEP_SUMMARY": summaryFile])
                #expect(failing.status == 1, "stderr: \(failing.stderr)")
                #expect(failing.stderr.contains("gate failed: FAIL quality(cheap) >= 0.5: cheap measured 0.000\n"))
                #expect(failing.stdout.contains("report: rep/sums.md"))
                #expect(failing.stdout.contains("checks: 2 of 3 gate checks passed (failed)"))
                let junit = try String(contentsOfFile: directory.file("out/junit.xml"), encoding: .utf8)
                #expect(junit.contains("<testcase classname=\"sums gates\" name=\"quality(cheap) &gt;= 0.5 [cheap]\" time=\"0.000\">"))
                #expect(junit.contains("<failure type=\"gate\" message=\"FAIL quality(cheap) &gt;= 0.5: cheap measured 0.000\">"
                                       + "FAIL quality(cheap) &gt;= 0.5: cheap measured 0.000</failure>"))
                #expect(junit.contains("<testcase classname=\"sums\" name=\"good › add\" time=\""))
                let stepSummary = try String(contentsOfFile: summaryFile, encoding: .utf8)
                #expect(stepSummary.hasPrefix("# Tradeoff report: sums"))
                #expect(stepSummary.contains("**Checks failed.**") && !stepSummary.contains("](sums.svg)"))
                let report = try String(contentsOfFile: directory.file("rep/sums.md"), encoding: .utf8)
                #expect(report.contains("](sums.svg)") && report.contains("| `quality(cheap) >= 0.5` | cheap | 0.000 | **FAIL** |"))
                for file in ["sums.svg", "sums.html", "sums.json", "sums.csv", "sums.tasks.csv", "sums.calls.csv"] {
                    #expect(FileManager.default.fileExists(atPath: directory.file("rep/" + file)), "\(file)")
                }
                // With its checks, as the report schema documents them.
                let json = try Data(contentsOf: URL(fileURLWithPath: directory.file("rep/sums.json")))
                #expect(try repositorySchema("report.schema.json").violations(ofJSON: json) == [])
            }
        }
    }

    @Test func suiteGatesAndMarginApplyAndReportReChecksThem() throws {
        try withTemporaryDirectory { directory in
            try directory.write("suite.yaml", suite(extra: """
                margin: 0.2
                reference: good
                gates: ["pass_rate(cheap) >= 0.5"]
                """))
            try directory.write("models.yaml", catalog)
            try withFakeProvider(apiKey: key, models: models(cheapAccuracy: 0)) { server in
                let run = try tradeoff(["run", "suite.yaml", "--db", "r.sqlite", "--out", "rep", "--quiet"],
                                       port: server.port, in: directory)
                #expect(run.status == 1, "stderr: \(run.stderr)")
                #expect(run.stderr.contains("gate failed: FAIL pass_rate(cheap) >= 0.5: cheap measured 0.0%"))
                let report = try String(contentsOfFile: directory.file("rep/sums.md"), encoding: .utf8)
                #expect(report.contains("Non-inferior at δ = 0.2?"))

                // `report` applies the unchanged suite's gates again; a flag can add one.
                let again = try tradeoff(["report", "r.sqlite", "--out", "rep2", "--gate", "quality(good) >= 0.9"],
                                         port: server.port, in: directory)
                #expect(again.status == 1)
                #expect(again.stdout.contains("checks: 1 of 2 gate checks passed (failed)"))
            }
        }
    }

    @Test func aBrokenSuiteGateIsReportedAtItsLine() throws {
        try withTemporaryDirectory { directory in
            try directory.write("suite.yaml", suite(extra: """
                margin: 0
                reference: godd
                gates: ["qualty(good) >= 0.9", "quality(cheep) >= 0.5"]
                """))
            try directory.write("models.yaml", catalog)
            let result = try tradeoff(["validate", "suite.yaml"], in: directory)
            #expect(result.status == 2)
            #expect(result.stderr.contains("suite.yaml:4:9: error: 'margin' must be greater than 0, got 0"))
            #expect(result.stderr.contains("suite.yaml:5:12: error: unknown model 'godd' in 'reference' (did you mean 'good'?)"))
            #expect(result.stderr.contains("suite.yaml:6:9: error: invalid gate 'qualty(good) >= 0.9': unknown metric 'qualty' (did you mean 'quality'?)"))
            #expect(result.stderr.contains("suite.yaml:6:32: error: unknown model 'cheep' in gate 'quality(cheep) >= 0.5' (did you mean 'cheap'?)"))
        }
    }

    @Test func badFlagsAreBadInput() throws {
        try withTemporaryDirectory { directory in
            try directory.write("suite.yaml", suite())
            try directory.write("models.yaml", catalog)
            let syntax = try tradeoff(["run", "suite.yaml", "--gate", "p95_latency(*) <= 4"], in: directory)
            #expect(syntax.status == 2)
            #expect(syntax.stderr.contains("Error: invalid gate 'p95_latency(*) <= 4': a latency needs a unit, like '4s' or '4000ms'"))
            let volume = try tradeoff(["run", "suite.yaml", "--volume", "lots"], in: directory)
            #expect(volume.status == 2)
            #expect(volume.stderr.contains("Error: invalid volume 'lots': expected cases per month, like '2M/month', '500k' or '120000'"))
            let margin = try tradeoff(["report", "x.sqlite", "--margin", "5"], in: directory)
            #expect(margin.status == 2)
            #expect(margin.stderr.contains("Error: --margin must be between 0 and 1 (0.05 = 5 points), got 5.0"))

            try withFakeProvider(apiKey: key, models: models(cheapAccuracy: 1)) { server in
                let run = try tradeoff(["run", "suite.yaml", "--db", "r.sqlite", "--quiet", "--no-report"], port: server.port,
                                       in: directory)
                #expect(run.status == 0, "stderr: \(run.stderr)")
            }
            let model = try tradeoff(["report", "r.sqlite", "--gate", "quality(chaep) >= 0.5"], in: directory)
            #expect(model.status == 2)
            #expect(model.stderr.contains("error: unknown model 'chaep' in gate 'quality(chaep) >= 0.5' (did you mean 'cheap'?); the run has: good, cheap"))
            let reference = try tradeoff(["report", "r.sqlite", "--reference", "gud"], in: directory)
            #expect(reference.status == 2)
            #expect(reference.stderr.contains("error: unknown model 'gud' in --reference"))
        }
    }

    @Test func anIncompleteRunExitsThreeEvenWhenAGateFails() throws {
        try withTemporaryDirectory { directory in
            try directory.write("suite.yaml", suite())
            try directory.write("models.yaml", catalog)
            try withFakeProvider(apiKey: key, models: [.init(name: "sim/good")]) { server in  // sim/cheap: 404
                let result = try tradeoff(["run", "suite.yaml", "--db", "r.sqlite", "--out", "rep", "--quiet",
                                           "--gate", "quality(good) >= 2"], port: server.port, in: directory)
                #expect(result.status == 3)
                #expect(result.stderr.contains("gate failed: FAIL quality(good) >= 2"))
            }
        }
    }

    /// Two runs: cheap answers everything, then nothing. compare shows the flips; with
    /// --fail-on-regression the ten pass→fail flips (Holm p = 2 × 2^-9) exit 1; history shows both.
    @Test func compareShowsFlipsAndFailsOnARealRegression() throws {
        try withTemporaryDirectory { directory in
            try directory.write("suite.yaml", suite())
            try directory.write("models.yaml", catalog)
            for accuracy in [1.0, 0.0] {
                try withFakeProvider(apiKey: key, models: models(cheapAccuracy: accuracy)) { server in
                    let run = try tradeoff(["run", "suite.yaml", "--db", "r.sqlite", "--out", "rep", "--quiet"],
                                           port: server.port, in: directory)
                    #expect(run.status == 0, "stderr: \(run.stderr)")
                }
            }
            let compare = try tradeoff(["compare", "1", "2", "--db", "r.sqlite"], in: directory)
            #expect(compare.status == 0, "stderr: \(compare.stderr)")
            #expect(compare.stdout.hasPrefix("# Tradeoff comparison: sums\n\n**Regression in cheap**"))
            #expect(compare.stdout.contains("| cheap | 10 | 1.000 → 0.000 | −1.000 (−1.000 to −1.000) | 10 | 0 |"))
            #expect(compare.stdout.contains("- **Pass → fail (10):** `add/c1`, `add/c2`"))

            let failing = try tradeoff(["compare", "r.sqlite:1", "r.sqlite", "--fail-on-regression", "--junit", "j.xml"],
                                       in: directory)
            #expect(failing.status == 1)
            #expect(failing.stderr.contains("regression: cheap: 10 pass→fail, 0 fail→pass"))
            let junit = try String(contentsOfFile: directory.file("j.xml"), encoding: .utf8)
            #expect(junit.contains("<failure type=\"regression\" message=\"cheap regressed against run 1: 10 pass→fail, 0 fail→pass;"))

            let report = try tradeoff(["report", "r.sqlite", "--out", "rep", "--fail-on-regression"], in: directory)
            #expect(report.status == 1)
            #expect(report.stdout.contains("checks: 1 regression against run 1 (failed)"))

            let missing = try tradeoff(["compare", "7", "2", "--db", "r.sqlite"], in: directory)
            #expect(missing.status == 2)
            #expect(missing.stderr.contains("error: baseline: no run '7' in 'r.sqlite'; runs: 1, 2"))
            let noDatabase = try tradeoff(["compare", "1", "2"], in: directory)
            #expect(noDatabase.status == 2)
            #expect(noDatabase.stderr.contains("error: baseline '1' is a run id; name its database too (--db DATABASE, or DATABASE:1)"))

            let history = try tradeoff(["history", "r.sqlite", "--model", "cheap", "--svg", "h/cheap.svg"], in: directory)
            #expect(history.status == 0, "stderr: \(history.stderr)")
            #expect(history.stdout.hasPrefix("# cheap: history\n"))
            #expect(history.stdout.contains("| 1 |") && history.stdout.contains("| 2 |"))
            #expect(history.stdout.hasSuffix("chart: h/cheap.svg\n"))
            #expect(FileManager.default.fileExists(atPath: directory.file("h/cheap.svg")))
            let unknown = try tradeoff(["history", "r.sqlite", "--model", "chep"], in: directory)
            #expect(unknown.status == 2)
            #expect(unknown.stderr.contains("error: no model 'chep' in 'r.sqlite' (did you mean 'cheap'?); models: good, cheap"))
        }
    }

    /// The notes and errors around baselines, suites and databases, each pinned.
    @Test func notesAndErrorsAroundBaselinesAndDatabases() throws {
        try withTemporaryDirectory { directory in
            try directory.write("suite.yaml", suite(extra: "reference: cheap\ngates: [\"quality(cheap) >= 0.5\"]"))
            try directory.write("models.yaml", catalog)
            try withFakeProvider(apiKey: key, models: models(cheapAccuracy: 1)) { server in
                let run = try tradeoff(["run", "suite.yaml", "--only-models", "good", "--db", "r.sqlite", "--out", "rep",
                                        "--quiet", "--fail-on-regression"], port: server.port, in: directory)
                #expect(run.status == 0, "stderr: \(run.stderr)")
                #expect(run.stderr.contains("note: gate 'quality(cheap) >= 0.5' of the suite is skipped: model 'cheap' is not in this run"))
                #expect(run.stderr.contains("note: no earlier run of 'sums' in r.sqlite to check regressions against"))
                #expect(run.stderr.contains("note: the suite's reference 'cheap' is not in this run; comparing with the best frontier model"))
            }
            try directory.write("suite.yaml", suite(extra: "margin: 0.1"))
            // The run keeps its own settings: a suite changed since does not change its report.
            let kept = try tradeoff(["report", "r.sqlite", "--out", "rep"], in: directory)
            #expect(kept.status == 0)
            #expect(kept.stderr == "")
            // A run made before runs kept their settings falls back on the suite file, and says when it cannot.
            try DatabaseQueue(path: directory.file("r.sqlite")).write { try $0.execute(sql: "UPDATE runs SET context = NULL") }
            let changed = try tradeoff(["report", "r.sqlite", "--out", "rep"], in: directory)
            #expect(changed.status == 0)
            #expect(changed.stderr.contains("note: suite.yaml changed or does not load since run 1; its margin, reference and gates are not applied (give them as flags)"))
            try FileManager.default.moveItem(atPath: directory.file("suite.yaml"), toPath: directory.file("moved.yaml"))
            let gone = try tradeoff(["report", "r.sqlite", "--out", "rep"], in: directory)
            #expect(gone.status == 0)
            #expect(gone.stderr == "note: run 1 was made before runs kept their settings, and its suite suite.yaml is not found "
                    + "from here; its margin, reference and gates are not applied (give them as flags)\n")
            try FileManager.default.moveItem(atPath: directory.file("moved.yaml"), toPath: directory.file("suite.yaml"))

            let bad = try tradeoff(["report", "r.sqlite", "--gate", "quality(nope) >= 1"], in: directory)
            #expect(bad.stderr.contains("note: the results are kept in r.sqlite; fix the flags and run `tradeoff report r.sqlite --run 1`"))

            let missing = try tradeoff(["compare", "gone.sqlite", "r.sqlite"], in: directory)
            #expect(missing.status == 2)
            #expect(missing.stderr.contains("error: baseline: no results database at 'gone.sqlite'"))
            let emptyPath = directory.file("empty.sqlite")
            try DatabaseQueue(path: emptyPath).write { try $0.execute(sql: "CREATE TABLE placeholder (a)") }
            let empty = try tradeoff(["compare", "r.sqlite", "empty.sqlite"], in: directory)
            #expect(empty.status == 2)
            #expect(empty.stderr.contains("error: current: 'empty.sqlite' holds no runs yet"))
            let noHistory = try tradeoff(["history", "gone.sqlite", "--model", "good"], in: directory)
            #expect(noHistory.status == 2)
            #expect(noHistory.stderr.contains("error: no results database at 'gone.sqlite'"))
            let baseline = try tradeoff(["report", "r.sqlite", "--baseline", "9"], in: directory)
            #expect(baseline.status == 2)
            #expect(baseline.stderr.contains("error: --baseline: no run '9' in 'r.sqlite'; runs: 1"))
        }
    }
}
