import ArgumentParser
import Foundation
import GRDB
import TradeoffKit

/// Fills a results database with one synthetic run of `rows` calls (5 models), for timing
/// `tradeoff report` on a large run.
struct Populate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a synthetic run with N stored results.")

    @Option var rows = 1_000_000
    @Option var db: String

    func run() throws {
        let modelIDs = ["frontier-a", "frontier-b", "open-a", "open-b", "open-c"]
        let casesPerModel = rows / modelIDs.count
        let models = modelIDs.enumerated().map { index, id in
            ModelEntry(id: id, baseURL: "http://127.0.0.1:1/v1", model: id, modelClass: index < 2 ? .frontier : .open,
                       price: Price(inputPerMillion: Decimal(index + 1), outputPerMillion: Decimal(2 * index + 2)),
                       apiKeyEnv: nil)
        }
        let taskIDs = ["classify", "extract", "summarize", "answer"]
        let tasks = taskIDs.map { taskID in
            SuiteTask(id: taskID, system: nil, prompt: Template("{{q}}"), settings: .defaults, graders: [GraderSpec(.jsonValid)],
                      cases: (0..<(casesPerModel / taskIDs.count)).map { TestCase(id: "\(taskID)-\($0)", variables: ["q": "\($0)"]) })
        }
        let suite = Suite(name: "bench", description: nil, path: "bench.yaml", contentHash: "bench", tasks: tasks)
        let store = try ResultStore(path: db)
        var record = RunRecord(suite: "bench", suitePath: "bench.yaml", suiteHash: "bench", catalogPath: "bench",
                               toolVersion: ToolVersion.current, startedAt: Date(), status: .running)
        // Frozen with the run, as `tradeoff run` freezes it: the report reads its settings from
        // the run, not from a suite file that does not exist.
        let choices = ReportChoices(modelIDs: modelIDs, suite: nil, reference: nil, margin: nil, volume: nil, gates: [])
        record.context = suite.context(reference: choices.settings.reference, margin: choices.settings.margin, gates: [],
                                       volume: nil, models: modelIDs)
        let runID = try store.beginRun(record, models: models, suite: suite)
        try store.close()
        // Plain SQL in one transaction: fast to write, and the schema is the real one.
        let queue = try DatabaseQueue(path: db)
        try queue.write { db in
            let statement = try db.makeStatement(sql: """
                INSERT INTO calls (run_id, model_id, task_id, case_id, output, score, passed, grades, input_tokens,
                  cached_input_tokens, output_tokens, usage_source, cost_micros, computed_cost_micros, cost_source, latency_ms,
                  ttft_ms, output_tokens_per_second, http_status, finish_reason, started_at, finished_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, '[]', 120, 0, 8, 'reported', ?, ?, 'computed', ?, ?, ?, 200, 'stop', ?, ?)
                """)
            var generator = SystemRandomNumberGenerator()
            let now = Date()
            // Case by case, every model in turn: the order a run records calls in (its cases are
            // fanned out across the models), so a report reads them as it would a real run's.
            for task in tasks {
                for testCase in task.cases {
                    for (modelIndex, modelID) in modelIDs.enumerated() {
                        let accuracy = 0.95 - 0.08 * Double(modelIndex)
                        let passed = Double.random(in: 0..<1, using: &generator) < accuracy
                        let cost = Int64(120 * (modelIndex + 1) + 8 * (2 * modelIndex + 2))
                        let latency = Double.random(in: 200...900, using: &generator)
                        try statement.execute(arguments: [runID, modelID, task.id, testCase.id, passed ? "{}" : "no",
                                                          passed ? 1.0 : 0.0, passed, cost, cost, latency, latency * 0.3,
                                                          Double.random(in: 40...120, using: &generator), now, now])
                    }
                }
            }
            try db.execute(sql: "UPDATE runs SET status = 'completed', finished_at = ? WHERE id = ?", arguments: [now, runID])
        }
        print("bench rows \(try queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM calls") } ?? 0)")
        print("bench run_id \(runID)")
    }
}
