import FakeProvider
import Foundation
import GRDB
import Testing
import TradeoffTestSupport

/// The README's example queries over the views, run against a database made by real (sharded,
/// then merged) runs, give the numbers the report's CSV files give; `--csv-bom` adds a byte
/// order mark to the CSV files and changes nothing else.
struct SQLViewsTests {
    let tradeoff = builtProduct("tradeoff")

    /// The SQL blocks of the README's views section, in order.
    static func documentedQueries() throws -> [String] {
        let readme = try String(contentsOf: CLITests.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = readme.components(separatedBy: "\n")
        let start = try #require(lines.firstIndex(of: "### Views for SQL and BI tools"))
        var queries: [String] = []
        var current: [String]?
        for line in lines[(start + 1)...] {
            if line.hasPrefix("#") { break }
            if line == "```sql" {
                current = []
            } else if line == "```", let query = current {
                queries.append(query.joined(separator: "\n"))
                current = nil
            } else {
                current?.append(line)
            }
        }
        return queries
    }

    /// A CSV file of the report (no quoted cells in these columns) as rows keyed by column.
    static func table(_ path: String) throws -> [[String: String]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let header = lines[0].components(separatedBy: ",")
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0.components(separatedBy: ","))) }
    }

    /// `expected` (a CSV cell) and `actual` (a query's) are the same number, or both missing.
    static func same(_ actual: Double?, _ expected: String?, places: Double = 1e-6) -> Bool {
        guard let expected, !expected.isEmpty else { return actual == nil }
        guard let actual, let value = Double(expected) else { return false }
        return abs(actual - value) <= places
    }

    @Test func documentedQueriesGiveTheReportsNumbersAfterAMerge() throws {
        let repository = CLITests.repository
        let config = try FakeProviderConfig(contentsOf: repository.appendingPathComponent("suites/demo.fake-provider.yaml").path)
        let server = try FakeProviderServer.start(config: config)
        defer { server.shutdown() }
        let environment = ["FAKE_PROVIDER_PORT": "\(server.port)", "TRADEOFF_DEMO_API_KEY": "demo-key"]
        try withTemporaryDirectory { directory in
            let suite = repository.appendingPathComponent("suites/demo.yaml").path
            let first = try runProcess(tradeoff, ["run", suite, "--shard", "1/2", "--db", directory.file("s1.sqlite"),
                                                  "--no-report", "--quiet"], environment: environment)
            #expect(first.status == 0, "\(first.stderr)")
            let second = try runProcess(tradeoff, ["run", suite, "--shard", "2/2", "--db", directory.file("s2.sqlite"), "--quiet",
                                                   "--out", directory.file("shard"), "--name", "s2", "--csv-bom"],
                                        environment: environment)
            #expect(second.status == 0, "\(second.stderr)")
            let shardCSV = try #require(FileManager.default.contents(atPath: directory.file("shard/s2.calls.csv")))
            #expect(Array(shardCSV.prefix(3)) == [0xEF, 0xBB, 0xBF], "run --csv-bom")
            let merge = try runProcess(tradeoff, ["merge", directory.file("s1.sqlite"), directory.file("s2.sqlite"),
                                                  "-o", directory.file("all.sqlite")])
            #expect(merge.status == 0, "\(merge.stderr)")
            for (folder, flags) in [("plain", [String]()), ("bom", ["--csv-bom"])] {
                let report = try runProcess(tradeoff, ["report", directory.file("all.sqlite"), "--out", directory.file(folder),
                                                       "--name", "m"] + flags)
                #expect(report.status == 0, "\(report.stderr)")
            }
            for file in ["m.csv", "m.tasks.csv", "m.calls.csv", "m.md", "m.json"] {
                let plain = try #require(FileManager.default.contents(atPath: directory.file("plain/" + file)))
                let marked = try #require(FileManager.default.contents(atPath: directory.file("bom/" + file)))
                if file.hasSuffix(".csv") {
                    #expect(Array(marked.prefix(3)) == [0xEF, 0xBB, 0xBF] && plain.first != 0xEF, "\(file)")
                    #expect(marked.dropFirst(3) == plain, "\(file)")
                } else {
                    #expect(marked == plain, "\(file)")
                }
            }

            let queries = try Self.documentedQueries()
            try #require(queries.count == 2)
            let database = try DatabaseQueue(path: directory.file("all.sqlite"))
            let models = try database.read { db in try Row.fetchAll(db, sql: queries[0]) }
            let reported = try Self.table(directory.file("plain/m.csv"))
            #expect(models.count == reported.count && models.count == 5)
            for row in models {
                let modelID: String = row["model_id"]
                let expected = try #require(reported.first { $0["model_id"] == modelID }, "\(modelID)")
                #expect("\(row["calls"] as Int)" == expected["calls"], "\(modelID)")
                #expect("\(row["answered"] as Int)" == expected["answered"], "\(modelID)")
                #expect("\(row["errors"] as Int)" == expected["errors"], "\(modelID)")
                #expect(Self.same(row["pass_rate"], expected["pass_rate"]), "\(modelID)")
                #expect(Self.same(row["mean_score"], expected["quality"]), "\(modelID)")
                #expect(Self.same(row["cost_usd"], expected["cost_total_usd"], places: 1e-12), "\(modelID)")
            }

            let tasks = try database.read { db in try Row.fetchAll(db, sql: queries[1]) }
            let reportedTasks = try Self.table(directory.file("plain/m.tasks.csv"))
            #expect(tasks.count == reportedTasks.count && !tasks.isEmpty)
            for row in tasks {
                let (taskID, modelID): (String, String) = (row["task_id"], row["model_id"])
                let expected = try #require(reportedTasks.first { $0["task_id"] == taskID && $0["model_id"] == modelID })
                #expect("\(row["answered"] as Int)" == expected["answered"], "\(taskID) \(modelID)")
                #expect(Self.same(row["pass_rate"], expected["pass_rate"]), "\(taskID) \(modelID)")
                let micros: Int64? = row["cost_micros"]
                #expect(Self.same(micros.map { Double($0) / 1e6 }, expected["cost_total_usd"], places: 1e-12),
                        "\(taskID) \(modelID)")
            }
        }
    }
}
