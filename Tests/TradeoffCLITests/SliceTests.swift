import FakeProvider
import Foundation
import GRDB
import Testing
import TradeoffTestSupport

/// Quick slices and conversations end to end: the built binary against the fake provider,
/// checking stdout, stderr, exit codes, the database and every report.
struct SliceTests {
    let tradeoff = builtProduct("tradeoff")

    /// Two tasks: `sums` (10 cases) and `chat` (3 conversations from a JSONL dataset, model `b`
    /// with its own system prompt).
    private func write(_ directory: TemporaryDirectory, port: Int) throws {
        let sums = (1...10).map { "      - {id: s\($0), vars: {a: \"\($0)\", sum: \"\($0 + 1)\"}}" }.joined(separator: "\n")
        let rows = (1...3).map { n in
            #"{"id": "c\#(n)", "answer": "\#(n * 2)", "messages": [{"role": "user", "content": "Compute: 1 + 1"}, {"role": "assistant", "content": "2"}, {"role": "user", "content": "Compute: \#(n) + \#(n)"}]}"#
        }.joined(separator: "\n")
        try directory.write("chat.jsonl", rows + "\n")
        try directory.write("suite.yaml", """
            suite: sliced
            models: models.yaml
            tasks:
              - id: sums
                prompt: "Compute: {{a}} + 1"
                graders: [{type: exact, expected: "{{sum}}"}]
                cases:
            \(sums)
              - id: chat
                system: Answer with the number only.
                overrides:
                  b: {system: "Reply with digits only."}
                dataset: chat.jsonl
                graders: [{type: exact, expected: "{{answer}}"}]
            """)
        try directory.write("models.yaml", """
            models:
              - {id: a, base_url: "http://127.0.0.1:\(port)/v1", model: sim/a, class: open}
              - {id: b, base_url: "http://127.0.0.1:\(port)/v1", model: sim/b, class: open}
            """)
    }

    private func contextJSON(_ directory: TemporaryDirectory) throws -> [String: Any] {
        let database = try DatabaseQueue(path: directory.file("r.sqlite"))
        let text = try database.read { try String.fetchOne($0, sql: "SELECT context FROM runs ORDER BY id DESC LIMIT 1") }
        let data = Data((text ?? "").utf8)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func aSliceRunsOnlyItsCasesAndEveryReportSaysSo() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: nil, models: [.init(name: "sim/a", latencyMs: 1), .init(name: "sim/b", latencyMs: 1)]) { server in
                try write(directory, port: server.port)
                let plan = try runProcess(tradeoff, ["plan", "suite.yaml", "--only-tasks", "sums", "--limit", "3"],
                                          directory: directory.path)
                #expect(plan.status == 0, "\(plan.stderr)")
                #expect(plan.stdout.contains("plan for 'sliced', a slice: tasks sums; the first 3 cases of each task: "
                                             + "3 cases × 2 models = 6 calls"))
                let planJSON = try runProcess(tradeoff, ["plan", "suite.yaml", "--only-tasks", "sums", "--limit", "3",
                                                         "--format", "json"], directory: directory.path)
                let planned = try #require(try JSONSerialization.jsonObject(with: Data(planJSON.stdout.utf8)) as? [String: Any])
                #expect(planned["slice"] as? String == "tasks sums; the first 3 cases of each task")

                let run = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--only-tasks", "sums",
                                                    "--limit", "3"], directory: directory.path)
                #expect(run.status == 0, "\(run.stderr)")
                #expect(run.stdout.contains("run 1 completed: 6 answered"))
                #expect(server.requestCount(model: "sim/a") == 3)
                let slice = try #require(try contextJSON(directory)["slice"] as? [String: Any])
                #expect(slice["onlyTasks"] as? [String] == ["sums"] && slice["limit"] as? Int == 3)

                let markdown = try String(contentsOfFile: directory.file("reports/sliced.md"), encoding: .utf8)
                #expect(markdown.contains("This run is a slice of the suite."))
                #expect(markdown.contains("tasks sums; the first 3 cases of each task, 3 cases in all"))
                let html = try String(contentsOfFile: directory.file("reports/sliced.html"), encoding: .utf8)
                #expect(html.contains("This run is a slice of the suite."))
                let json = try String(contentsOfFile: directory.file("reports/sliced.json"), encoding: .utf8)
                let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
                let runEntry = try #require(document["run"] as? [String: Any])
                let reported = try #require(runEntry["slice"] as? [String: Any])
                #expect(reported["limit"] as? Int == 3 && reported["only_tasks"] as? [String] == ["sums"])
                #expect(try repositorySchema("report.schema.json").violations(ofJSON: Data(json.utf8)) == [])
            }
        }
    }

    @Test func aResumeKeepsTheSliceAndRefusesAnother() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: nil, models: [.init(name: "sim/a", latencyMs: 1), .init(name: "sim/b", latencyMs: 1)]) { server in
                try write(directory, port: server.port)
                let first = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--no-report", "--sample", "4",
                                                      "--seed", "7", "--only-tasks", "sums"], directory: directory.path)
                #expect(first.status == 0, "\(first.stderr)")
                // Without the flags, the resume takes the run's own slice: nothing is left to make.
                let resumed = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--no-report", "--resume", "1"],
                                             directory: directory.path)
                #expect(resumed.status == 0, "\(resumed.stderr)")
                #expect(resumed.stdout.contains("nothing to resume: run 1 is completed, all 8 calls are recorded"))
                let other = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--no-report", "--resume", "1",
                                                      "--limit", "2"], directory: directory.path)
                #expect(other.status == 2)
                #expect(other.stderr.contains("error: run 1 was made with the slice --only-tasks sums --sample 4 --seed 7, "
                                              + "not --limit 2; a resume keeps its run's slice: give the same flags or none"))
            }
        }
    }

    @Test func anUnknownTaskIsRefusedWithTheSuitesTasks() throws {
        try withTemporaryDirectory { directory in
            try write(directory, port: 9)
            let result = try runProcess(tradeoff, ["plan", "suite.yaml", "--only-tasks", "sums,chta"], directory: directory.path)
            #expect(result.status == 2)
            #expect(result.stderr == "error: unknown task 'chta' in --only-tasks (did you mean 'chat'?); the suite's tasks "
                    + "are: sums, chat\n")
        }
    }

    @Test func conversationsAndOwnWordingRunEndToEnd() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: nil, models: [.init(name: "sim/a", latencyMs: 1), .init(name: "sim/b", latencyMs: 1)]) { server in
                try write(directory, port: server.port)
                let run = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--only-tasks", "chat"],
                                         directory: directory.path)
                #expect(run.status == 0, "\(run.stderr)")
                let database = try DatabaseQueue(path: directory.file("r.sqlite"))
                let outputs = try database.read {
                    try String.fetchAll($0, sql: "SELECT output FROM calls WHERE model_id = 'a' ORDER BY case_id")
                }
                // Each answer is to the conversation's last user turn.
                #expect(outputs == ["2", "4", "6"])
                let tasks = try #require(try contextJSON(directory)["tasks"] as? [[String: Any]])
                #expect(tasks.first?["ownWording"] as? [String] == ["b"])
                let markdown = try String(contentsOfFile: directory.file("reports/sliced.md"), encoding: .utf8)
                #expect(markdown.contains("Models with their own wording."))
                let json = try String(contentsOfFile: directory.file("reports/sliced.json"), encoding: .utf8)
                #expect(json.contains(#""own_wording" : ["#))
            }
        }
    }
}
