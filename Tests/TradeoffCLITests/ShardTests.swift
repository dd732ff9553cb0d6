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

    /// A Kubernetes Indexed Job: each pod has only its JOB_COMPLETION_INDEX; `--shard auto`
    /// makes it the slice, and the merged pods equal the unsharded run.
    @Test func indexedJobPodsMergeIntoTheUnshardedRun() throws {
        let repository = CLITests.repository
        let config = try FakeProviderConfig(contentsOf: repository.appendingPathComponent("suites/demo.fake-provider.yaml").path)
        let server = try FakeProviderServer.start(config: config)
        defer { server.shutdown() }
        let environment = ["FAKE_PROVIDER_PORT": "\(server.port)", "TRADEOFF_DEMO_API_KEY": "demo-key"]
        try withTemporaryDirectory { directory in
            let suite = repository.appendingPathComponent("suites/demo.yaml").path
            let models = ["--only-models", "gpt-4o,llama-3.3-70b"]
            let whole = try runProcess(tradeoff, ["run", suite, "--db", directory.file("whole.sqlite"), "--no-report", "--quiet"] + models,
                                       environment: environment)
            #expect(whole.status == 0, "\(whole.stderr)")
            // Pod 0 says the count in the flag, the others read it from the environment.
            for index in 0..<3 {
                let flag = index == 0 ? "auto/3" : "auto"
                let pod = try runProcess(tradeoff, ["run", suite, "--shard", flag, "--db", directory.file("pod-\(index).sqlite"),
                                                    "--no-report", "--quiet"] + models,
                                         environment: environment.merging(["JOB_COMPLETION_INDEX": "\(index)",
                                                                           "TRADEOFF_SHARD_COUNT": "3"]) { $1 })
                #expect(pod.status == 0, "\(pod.stderr)")
            }
            let merge = try runProcess(tradeoff, ["merge"] + (0..<3).map { directory.file("pod-\($0).sqlite") }
                                       + ["-o", directory.file("all.sqlite")])
            #expect(merge.status == 0, "\(merge.stderr)")

            // Each pod ran a slice of its own: together every case, once.
            let slices = try (0..<3).map { index in
                try DatabaseQueue(path: directory.file("pod-\(index).sqlite")).read { db in
                    Set(try String.fetchAll(db, sql: "SELECT task_id || '/' || case_id FROM cases"))
                }
            }
            #expect(slices.allSatisfy { !$0.isEmpty })
            #expect(slices.map(\.count).reduce(0, +) == 78)
            #expect(slices.reduce(Set<String>()) { $0.union($1) }.count == 78)
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
            // The reports' quality and cost lines agree too (latencies differ from run to run).
            func headline(_ file: String) throws -> [String] {
                let report = try runProcess(tradeoff, ["report", directory.file(file), "--out", directory.file(file + ".reports"),
                                                       "--name", "r"])
                #expect(report.status == 0, "\(report.stderr)")
                let data = try Data(contentsOf: URL(fileURLWithPath: directory.file(file + ".reports/r.json")))
                let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
                let models = try #require(root["models"] as? [[String: Any]])
                return try models.map { model in
                    let kept = model.filter { ["id", "quality", "pass_rate", "cost", "calls", "answered", "errors"].contains($0.key) }
                    return String(decoding: try JSONSerialization.data(withJSONObject: kept, options: .sortedKeys), as: UTF8.self)
                }
            }
            let merged = try headline("all.sqlite")
            #expect(merged.count == 2)
            let unsharded = try headline("whole.sqlite")
            #expect(merged == unsharded, "\(merged)\n\(unsharded)")
        }
    }

    @Test(arguments: [
        (["--shard", "auto"], ["JOB_COMPLETION_INDEX": "0"],
         "--shard auto needs the number of shards: give --shard auto/N, or set TRADEOFF_SHARD_COUNT to it (the Job's completions)"),
        (["--shard", "auto/3"], [:],
         "--shard auto/3 reads the slice from JOB_COMPLETION_INDEX, which a Kubernetes Indexed Job sets in each pod, and it is not set; give --shard i/n instead"),
        (["--shard", "auto/3"], ["JOB_COMPLETION_INDEX": "3"],
         "JOB_COMPLETION_INDEX is '3', but with 3 shards it must be 0 to 2 (the Job's completions must equal the number of shards)"),
        (["--shard", "auto"], ["JOB_COMPLETION_INDEX": "0", "TRADEOFF_SHARD_COUNT": "x"],
         "TRADEOFF_SHARD_COUNT must be the number of shards, 1 or more, got 'x'"),
        (["--shard", "auto/0"], ["JOB_COMPLETION_INDEX": "0"],
         "--shard auto/N needs N, the number of shards, 1 or more (e.g. auto/4), got 'auto/0'"),
    ])
    func autoShardWithoutItsVariablesIsBadInput(flags: [String], environment: [String: String], message: String) throws {
        let suite = CLITests.repository.appendingPathComponent("suites/demo.yaml").path
        let result = try runProcess(tradeoff, ["run", suite, "--no-report"] + flags,
                                    environment: environment.merging(["FAKE_PROVIDER_PORT": "1", "TRADEOFF_DEMO_API_KEY": "k"]) { $1 })
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
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
        #expect(result.stderr.contains("--shard must be i/n with 1 <= i <= n (e.g. 2/4), auto/n or auto, got '4/3'"))
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
