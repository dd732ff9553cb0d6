import FakeProvider
import Foundation
import GRDB
import Testing
import TradeoffTestSupport

/// `--shard` and `tradeoff merge`, end to end: the shards' merged run reports exactly like
/// the unsharded run.
struct ShardMergeTests {
    let tradeoff = builtProduct("tradeoff")

    @Test func mergedShardsEqualTheUnshardedRun() throws {
        let repository = CLITests.repository
        let config = try FakeProviderConfig(contentsOf: repository.appendingPathComponent("suites/demo.fake-provider.yaml").path)
        let server = try FakeProviderServer.start(config: config)
        defer { server.shutdown() }
        let environment = ["FAKE_PROVIDER_PORT": "\(server.port)", "TRADEOFF_DEMO_API_KEY": "demo-key"]
        try withTemporaryDirectory { directory in
            let suite = repository.appendingPathComponent("suites/demo.yaml").path
            let models = ["--only-models", "gpt-4o,qwen-2.5-7b"]
            let whole = try runProcess(tradeoff, ["run", suite, "--db", directory.file("whole.sqlite"), "--no-report", "--quiet"] + models,
                                       environment: environment)
            #expect(whole.status == 0, "\(whole.stderr)")
            for index in 1...3 {
                let shard = try runProcess(tradeoff, ["run", suite, "--shard", "\(index)/3", "--db", directory.file("s\(index).sqlite"),
                                                      "--no-report", "--quiet"] + models, environment: environment)
                #expect(shard.status == 0, "\(shard.stderr)")
            }
            let merge = try runProcess(tradeoff, ["merge", directory.file("s1.sqlite"), directory.file("s2.sqlite"),
                                                  directory.file("s3.sqlite"), "-o", directory.file("all.sqlite")])
            #expect(merge.status == 0, "\(merge.stderr)")
            #expect(merge.stdout.contains("merged 3 databases into run 1"))

            func summary(_ file: String) throws -> [String] {
                try DatabaseQueue(path: directory.file(file)).read { db in
                    try String.fetchAll(db, sql: """
                        SELECT model_id || ' ' || task_id || ' ' || case_id || ' ' || IFNULL(output, '') || ' ' || passed || ' ' || cost_micros
                        FROM calls ORDER BY model_id, task_id, case_id
                        """)
                }
            }
            #expect(try summary("all.sqlite") == summary("whole.sqlite"))
            #expect(try summary("all.sqlite").count == 156)

            let report = try runProcess(tradeoff, ["report", directory.file("all.sqlite"), "--out", directory.path, "--name", "merged"])
            #expect(report.status == 0, "\(report.stderr)")
        }
    }

    @Test func overlappingShardsAreRefusedAndNothingIsWritten() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: nil, models: [.init(name: "sim/a")]) { server in
                try directory.write("suite.yaml", """
                    suite: tiny
                    models: models.yaml
                    tasks:
                      - id: t
                        prompt: "Compute: {{a}} + 1"
                        graders: [{type: contains, value: "1"}]
                        cases: [{vars: {a: "1"}}, {vars: {a: "2"}}]
                    """)
                try directory.write("models.yaml", "models:\n  - {id: a, base_url: \"\(server.baseURL)\", model: sim/a, class: open}\n")
                let run = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "a.sqlite", "--no-report", "--quiet"],
                                         directory: directory.path)
                #expect(run.status == 0, "\(run.stderr)")
                let merge = try runProcess(tradeoff, ["merge", "a.sqlite", "a.sqlite", "-o", "m.sqlite"], directory: directory.path)
                #expect(merge.status == 2)
                #expect(merge.stderr.contains("error: a.sqlite: database error: some of its cases are also in an earlier database"))
                // Not even an empty database: a failed merge leaves no file behind.
                #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains("m.sqlite") }
                        .isEmpty)
                #expect(!FileManager.default.fileExists(atPath: directory.file("m.sqlite")))
            }
        }
    }

    @Test func badShardIsBadInput() throws {
        let result = try runProcess(tradeoff, ["run", "suite.yaml", "--shard", "4/3"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--shard must be i/n with 1 <= i <= n (e.g. 2/4), got '4/3'"))
    }

    @Test func planPrintsTheEstimateWithoutCalling() throws {
        let result = try runProcess(tradeoff, ["plan", "suites/demo.yaml", "--shard", "1/2", "--db", "/nonexistent.sqlite"],
                                    environment: ["FAKE_PROVIDER_PORT": "1"], directory: CLITests.repository.path)
        #expect(result.status == 2)
        #expect(result.stderr.contains("error: no results database at '/nonexistent.sqlite'"))
        try withTemporaryDirectory { directory in
            let fresh = try runProcess(tradeoff, ["plan", CLITests.repository.appendingPathComponent("suites/demo.yaml").path],
                                       environment: ["FAKE_PROVIDER_PORT": "1"], directory: directory.path)
            #expect(fresh.status == 0, "\(fresh.stderr)")
            #expect(fresh.stdout.contains("plan for 'demo': 78 cases × 5 models = 390 calls"))
            #expect(fresh.stdout.contains("max_tokens"))
            #expect(fresh.stdout.contains("TOTAL"))
        }
    }
}
