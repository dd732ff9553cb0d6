import FakeProvider
import Foundation
import Testing
import TradeoffTestSupport

/// `scripts/github-action`, the logic of the GitHub Action (`action.yml`), run here as GitHub runs
/// it: the inputs as `INPUT_*` variables, GitHub's files in a temporary folder, the built
/// `tradeoff` against the fake provider.
struct GitHubActionTests {
    static let script = CLITests.repository.appendingPathComponent("scripts/github-action")
    static let marker = "<!-- tradeoff-report -->"

    private let suite = CLITests.smallSuite

    private let catalog = """
        models:
          - id: good
            base_url: http://127.0.0.1:${FAKE_PROVIDER_PORT}/v1
            model: sim/good
            class: frontier
            price: {input: 2.50, output: 10.00}
            api_key_env: TRADEOFF_ACTION_TEST_KEY
          - id: cheap
            base_url: http://127.0.0.1:${FAKE_PROVIDER_PORT}/v1
            model: sim/cheap
            class: open
            price: {input: 0.04, output: 0.10}
            api_key_env: TRADEOFF_ACTION_TEST_KEY
        """

    /// What one run of the script left: its exit code and output, and GitHub's files.
    struct Outcome {
        var result: ProcessResult
        var summary: String
        var outputs: [String: String]
        var comment: String?
    }

    /// Runs the script in `directory` (where the suite and catalog are) with `inputs` (without
    /// the `INPUT_` prefix) on a GitHub `event`; every other input is set empty, so nothing leaks
    /// in from an environment that happens to be GitHub's.
    private func runAction(in directory: TemporaryDirectory, port: Int, event: String,
                           inputs: [String: String]) throws -> Outcome {
        var environment = ["FAKE_PROVIDER_PORT": "\(port)", "TRADEOFF_ACTION_TEST_KEY": "action-key",
                           "TRADEOFF": builtProduct("tradeoff").path, "RUNNER_TEMP": directory.path,
                           "GITHUB_STEP_SUMMARY": directory.file("summary.md"), "GITHUB_OUTPUT": directory.file("output.txt"),
                           "GITHUB_EVENT_NAME": event, "GITHUB_SERVER_URL": "https://github.example",
                           "GITHUB_REPOSITORY": "acme/evals", "GITHUB_RUN_ID": "777"]
        for name in ["SUITE", "MODELS", "GATES", "ARGS", "DATABASE", "BASELINE", "FAIL_ON_REGRESSION", "OUT"] {
            environment["INPUT_" + name] = inputs[name] ?? ""
        }
        let result = try runProcess(Self.script, [], environment: environment, directory: directory.path)
        let summary = (try? String(contentsOfFile: directory.file("summary.md"), encoding: .utf8)) ?? ""
        let outputs = Self.outputs(in: (try? String(contentsOfFile: directory.file("output.txt"), encoding: .utf8)) ?? "")
        let comment = try outputs["comment_path"].map { try String(contentsOfFile: $0, encoding: .utf8) }
        return Outcome(result: result, summary: summary, outputs: outputs, comment: comment)
    }

    /// The `name=value` and `name<<DELIMITER` lines of a `$GITHUB_OUTPUT` file.
    static func outputs(in text: String) -> [String: String] {
        var outputs: [String: String] = [:]
        var lines = text.components(separatedBy: "\n")[...]
        while let line = lines.popFirst() {
            if let range = line.range(of: "<<") {
                let delimiter = String(line[range.upperBound...])
                var value: [String] = []
                while let next = lines.popFirst(), next != delimiter { value.append(next) }
                outputs[String(line[..<range.lowerBound])] = value.joined(separator: "\n")
            } else if let equals = line.firstIndex(of: "=") {
                outputs[String(line[..<equals])] = String(line[line.index(after: equals)...])
            }
        }
        return outputs
    }

    @Test func aFailingGateOnAPullRequestExitsOneWithTheSummaryOutputsAndComment() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: "action-key", models: [.init(name: "sim/good"), .init(name: "sim/cheap", accuracy: 0)]) { server in
                try directory.write("suite.yaml", suite)
                try directory.write("models.yaml", catalog)
                let outcome = try runAction(in: directory, port: server.port, event: "pull_request", inputs: [
                    "SUITE": "suite.yaml", "GATES": "quality(*) >= 0.5\n  p95_latency(*) <= 60s  \n",
                    "ARGS": "--name 'pr check' --only-models good,cheap", "DATABASE": "results/pr.sqlite",
                ])
                // 1: a gate failed; the documented code, not the script's own.
                #expect(outcome.result.status == 1, "stderr: \(outcome.result.stderr)")
                let outputs = outcome.outputs
                #expect(outputs["exit_code"] == "1")
                #expect(outputs["checks_failed"] == "true")
                #expect(outputs["report_path"] == "reports/pr check.md")
                #expect(outputs["report_dir"] == "reports")
                #expect(outputs["database"] == "results/pr.sqlite")
                #expect(FileManager.default.fileExists(atPath: directory.file("results/pr.sqlite")))
                let report = try String(contentsOfFile: directory.file("reports/pr check.md"), encoding: .utf8)
                let headline = try #require(outputs["headline"])
                #expect(headline.hasPrefix("**") && report.contains(headline))
                // The step summary is the report, headline and checks included.
                #expect(outcome.summary.contains(headline))
                #expect(outcome.summary.contains("| `quality(*) >= 0.5` | cheap | 0.000 | **FAIL** |"))
                // The comment: the marker first, the verdict, the headline and every gate result.
                let comment = try #require(outcome.comment)
                #expect(comment.hasPrefix(Self.marker + "\n"))
                #expect(comment.contains("**Failed:** a gate failed or a model regressed (exit 1)."))
                #expect(comment.contains(headline))
                #expect(comment.contains("| `quality(*) >= 0.5` | cheap | 0.000 | **FAIL** |"))
                #expect(comment.contains("| `quality(*) >= 0.5` | good | 1.000 | pass |"))
                #expect(comment.components(separatedBy: "| `p95_latency(*) <= 60s` |").count == 3)
                #expect(comment.contains("checks: 3 of 4 gate checks passed (failed)"))
                #expect(comment.contains("(https://github.example/acme/evals/actions/runs/777)"))
            }
        }
    }

    @Test func aPassingRunOffPullRequestsExitsZeroWithoutAComment() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: "action-key", models: [.init(name: "sim/good"), .init(name: "sim/cheap", accuracy: 0)]) { server in
                try directory.write("suite.yaml", suite)
                try directory.write("models.yaml", catalog)
                // No nightly yet: the baseline database is missing, so the run goes without it and says so.
                let outcome = try runAction(in: directory, port: server.port, event: "push", inputs: [
                    "SUITE": "suite.yaml", "GATES": "quality(good) >= 0.9", "BASELINE": "baseline/results/nightly.sqlite",
                    "FAIL_ON_REGRESSION": "true",
                ])
                #expect(outcome.result.status == 0, "stderr: \(outcome.result.stderr)")
                #expect(outcome.outputs["exit_code"] == "0")
                #expect(outcome.outputs["checks_failed"] == "false")
                #expect(outcome.outputs["database"] == "results/tradeoff.sqlite")
                #expect(outcome.outputs["comment_path"] == nil && outcome.comment == nil)
                #expect(outcome.summary.contains("no baseline database at `baseline/results/nightly.sqlite`"))
                #expect(outcome.summary.contains("| `quality(good) >= 0.9` | good | 1.000 | pass |"))
            }
        }
    }

    @Test func aBaselineIsPassedOnAndARunThatCannotStartSaysWhy() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: "action-key", models: [.init(name: "sim/good"), .init(name: "sim/cheap", accuracy: 0)]) { server in
                try directory.write("suite.yaml", suite)
                try directory.write("models.yaml", catalog)
                let first = try runAction(in: directory, port: server.port, event: "push",
                                          inputs: ["SUITE": "suite.yaml", "DATABASE": "nightly.sqlite"])
                #expect(first.result.status == 0, "stderr: \(first.result.stderr)")
                let second = try runAction(in: directory, port: server.port, event: "pull_request", inputs: [
                    "SUITE": "suite.yaml", "DATABASE": "pr.sqlite", "BASELINE": "nightly.sqlite", "FAIL_ON_REGRESSION": "true",
                ])
                #expect(second.result.status == 0, "stderr: \(second.result.stderr)")
                #expect(second.result.stderr.contains("--baseline nightly.sqlite --fail-on-regression"))
                #expect(!second.summary.contains("no baseline database"))
                // The comparison with the baseline is in the comment's checks.
                #expect(second.comment?.contains("**Passed** (exit 0).") == true)
                #expect(second.comment?.contains("no statistically real regression") == true)
                // Bad input: exit 2, and the summary says why instead of showing a report.
                let bad = try runAction(in: directory, port: server.port, event: "pull_request",
                                        inputs: ["SUITE": "missing.yaml"])
                #expect(bad.result.status == 2)
                #expect(bad.outputs["exit_code"] == "2")
                #expect(bad.outputs["report_path"] == "")
                #expect(bad.summary.contains("tradeoff exited 2; no report was written"))
                #expect(bad.summary.contains("missing.yaml: error: suite file does not exist"))
                #expect(bad.comment?.contains("**Bad input** (exit 2)") == true)
                let empty = try runAction(in: directory, port: server.port, event: "push", inputs: [:])
                #expect(empty.result.status == 2 && empty.result.stderr.contains("'suite' input is empty"))
            }
        }
    }
}
