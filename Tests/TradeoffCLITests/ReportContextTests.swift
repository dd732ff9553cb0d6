import FakeProvider
import Foundation
import GRDB
import Testing
import TradeoffTestSupport

/// Where a report's context comes from: the settings frozen with the run, never the suite file
/// as found (or not) from the current folder; and merged shards report like the unsharded run.
struct ReportContextTests {
    let tradeoff = builtProduct("tradeoff")

    /// Runs the demo suite (margin 0.1) on two models from `project`, a copy of `suites/`.
    private func withDemoRun(_ body: (TemporaryDirectory, String, [String: String]) throws -> Void) throws {
        let repository = CLITests.repository
        let config = try FakeProviderConfig(contentsOf: repository.appendingPathComponent("suites/demo.fake-provider.yaml").path)
        let server = try FakeProviderServer.start(config: config)
        defer { server.shutdown() }
        let environment = ["FAKE_PROVIDER_PORT": "\(server.port)", "TRADEOFF_DEMO_API_KEY": "demo-key", "GITHUB_STEP_SUMMARY": ""]
        try withTemporaryDirectory { directory in
            let project = directory.file("project")
            try FileManager.default.createDirectory(atPath: project, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: repository.appendingPathComponent("suites").path, toPath: project + "/suites")
            try body(directory, project, environment)
        }
    }

    /// Latencies are measured, so two runs never match on them: they are set from the case, as if measured.
    static func steadyTimings(_ path: String) throws {
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: """
                UPDATE calls SET latency_ms = 100 + length(case_id) * 7 + length(model_id), ttft_ms = 40 + length(case_id),
                  output_tokens_per_second = 50 + length(task_id)
                """)
        }
    }

    /// The report without its "Run" section (times, durations, the run's id and version).
    static func withoutRunFacts(_ markdown: String) -> String {
        var kept: [Substring] = []
        var skipping = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") { skipping = line == "## Run" }
            if !skipping { kept.append(line) }
        }
        return kept.joined(separator: "\n")
    }

    @Test func aRunReportsTheSameFromAnyFolderWithItsOwnSettings() throws {
        try withDemoRun { directory, project, environment in
            let run = try runProcess(tradeoff, ["run", "suites/demo.yaml", "--only-models", "gpt-4o,qwen-2.5-7b",
                                                "--db", "results.sqlite", "--no-report", "--quiet"],
                                     environment: environment, directory: project)
            #expect(run.status == 0, "\(run.stderr)")
            let here = try runProcess(tradeoff, ["report", "results.sqlite", "--out", "here"], environment: environment,
                                      directory: project)
            #expect(here.status == 0, "\(here.stderr)")
            #expect(here.stderr == "")
            // From the parent folder the suite file's stored path leads nowhere; the run still knows its margin.
            let parent = try runProcess(tradeoff, ["report", "project/results.sqlite", "--out", "parent"],
                                        environment: environment, directory: directory.path)
            #expect(parent.status == 0, "\(parent.stderr)")
            #expect(parent.stderr == "")
            let fromHere = try String(contentsOfFile: project + "/here/demo.md", encoding: .utf8)
            let fromParent = try String(contentsOfFile: directory.file("parent/demo.md"), encoding: .utf8)
            #expect(fromHere.contains("δ = 10 points"))
            #expect(fromParent == fromHere)

            // Even with the suite gone.
            try FileManager.default.removeItem(atPath: project + "/suites/demo.yaml")
            let gone = try runProcess(tradeoff, ["report", "results.sqlite", "--out", "gone"], environment: environment,
                                      directory: project)
            #expect(gone.status == 0, "\(gone.stderr)")
            #expect(try String(contentsOfFile: project + "/gone/demo.md", encoding: .utf8) == fromHere)
        }
    }

    @Test func aFlagThatChangesTheRunsSettingsIsNamed() throws {
        try withDemoRun { directory, project, environment in
            let run = try runProcess(tradeoff, ["run", "suites/demo.yaml", "--only-models", "gpt-4o,qwen-2.5-7b",
                                                "--db", "results.sqlite", "--no-report", "--quiet", "--volume", "2M/month"],
                                     environment: environment, directory: project)
            #expect(run.status == 0, "\(run.stderr)")
            let changed = try runProcess(tradeoff, ["report", "results.sqlite", "--out", "out", "--margin", "0.05",
                                                    "--reference", "qwen-2.5-7b", "--volume", "500k"],
                                         environment: environment, directory: project)
            #expect(changed.status == 0, "\(changed.stderr)")
            #expect(changed.stderr == """
                note: --reference qwen-2.5-7b differs from the run's reference (the best frontier model) (run 1's own settings are kept with it)
                note: --margin 0.05 differs from the run's margin 0.1 (run 1's own settings are kept with it)
                note: --volume 500k differs from the run's volume 2M/month (run 1's own settings are kept with it)

                """)
            let markdown = try String(contentsOfFile: project + "/out/demo.md", encoding: .utf8)
            #expect(markdown.contains("δ = 5 points"))
        }
    }

    @Test func mergedShardsReportLikeTheUnshardedRun() throws {
        try withDemoRun { directory, project, environment in
            let models = ["--only-models", "qwen-2.5-7b,llama-3.3-70b,gpt-4o"]
            let whole = try runProcess(tradeoff, ["run", "suites/demo.yaml", "--db", "whole.sqlite", "--no-report", "--quiet"] + models,
                                       environment: environment, directory: project)
            #expect(whole.status == 0, "\(whole.stderr)")
            for index in 1...3 {
                let shard = try runProcess(tradeoff, ["run", "suites/demo.yaml", "--shard", "\(index)/3", "--db", "s\(index).sqlite",
                                                      "--no-report", "--quiet"] + models, environment: environment, directory: project)
                #expect(shard.status == 0, "\(shard.stderr)")
            }
            let merge = try runProcess(tradeoff, ["merge", "s1.sqlite", "s2.sqlite", "s3.sqlite", "-o", "all.sqlite"],
                                       environment: environment, directory: project)
            #expect(merge.status == 0, "\(merge.stderr)")
            var reports: [String] = []
            for name in ["whole", "all"] {
                try Self.steadyTimings(project + "/\(name).sqlite")
                let report = try runProcess(tradeoff, ["report", "\(name).sqlite", "--out", "out-\(name)"],
                                            environment: environment, directory: project)
                #expect(report.status == 0, "\(report.stderr)")
                reports.append(try String(contentsOfFile: project + "/out-\(name)/demo.md", encoding: .utf8))
            }
            #expect(reports[0].contains("## Run"))
            #expect(Self.withoutRunFacts(reports[1]) == Self.withoutRunFacts(reports[0]))
        }
    }
    /// A model stopped for a bad name (three 404s in a row): the report opens with a banner,
    /// counts its calls never started and shows no cost for it.
    @Test func aStoppedModelsRunReportsAsPartial() throws {
        let key = "sk-context-test-key"
        var suite = """
            suite: stops
            models: models.yaml
            reference: good
            defaults: {max_tokens: 16}
            tasks:
              - id: sums
                prompt: "Compute: {{a}} + {{b}}. Answer with the number only."
                graders: [{type: exact, expected: "{{sum}}", normalize: [trim]}]
                cases:

            """
        for index in 1...8 { suite += "          - {id: c\(index), vars: {a: \"\(index)\", b: \"1\", sum: \"\(index + 1)\"}}\n" }
        var catalog = "models:\n"
        for (id, served) in [("good", "sim/good"), ("gone", "sim/unknown")] {
            catalog += """
                  - id: \(id)
                    base_url: http://127.0.0.1:${FAKE_PROVIDER_PORT}/v1
                    model: \(served)
                    class: frontier
                    price: {input: 2.50, output: 10.00}
                    api_key_env: CONTEXT_TEST_KEY
                    max_concurrency: 1

                """
        }
        try withTemporaryDirectory { directory in
            try directory.write("suite.yaml", suite)
            try directory.write("models.yaml", catalog)
            try withFakeProvider(apiKey: key, models: [.init(name: "sim/good")]) { server in
                let run = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--out", "out", "--quiet"],
                                         environment: ["FAKE_PROVIDER_PORT": "\(server.port)", "CONTEXT_TEST_KEY": key,
                                                       "GITHUB_STEP_SUMMARY": ""],
                                         directory: directory.path)
                #expect(run.status == 3, "\(run.stderr)")
            }
            let markdown = try String(contentsOfFile: directory.file("out/stops.md"), encoding: .utf8)
            let banner = try #require(markdown.range(of: "> **This run is partial.** Run 1 did not complete: a model was stopped (gone stopped: "))
            let headline = try #require(markdown.range(of: "**No cheaper model is shown non-inferior to good at δ = 5 points on 8 of this suite's 8 cases**"))
            #expect(banner.lowerBound < headline.lowerBound)
            #expect(markdown.contains("11 of 16 calls were made; the 5 never started count as not answered"))
            #expect(markdown.contains("| gone | frontier | 0 | — | — | 8 (100.0%), 5 not started |"))
            #expect(markdown.contains("| gone | — | — | — | — |"))
        }
    }
}
