import FakeProvider
import Foundation
import GRDB
import Testing
import TradeoffTestSupport

/// `tradeoff push` and `--db postgres://`, end to end against the PostgreSQL server `make test`
/// starts: these tests fail (they do not skip) without it.
struct SharedHistoryTests {
    let tradeoff = builtProduct("tradeoff")

    /// Runs the demo suite on two models `times` times into `file` (runs after the first replay
    /// the first's answers from the cache, so their calls name its calls).
    func demoRuns(_ times: Int, into file: String, extra: [String] = []) throws -> [ProcessResult] {
        let repository = CLITests.repository
        let config = try FakeProviderConfig(contentsOf: repository.appendingPathComponent("suites/demo.fake-provider.yaml").path)
        let server = try FakeProviderServer.start(config: config)
        defer { server.shutdown() }
        let environment = ["FAKE_PROVIDER_PORT": "\(server.port)", "TRADEOFF_DEMO_API_KEY": "demo-key"]
        let suite = repository.appendingPathComponent("suites/demo.yaml").path
        return try (0..<times).map { _ in
            let run = try runProcess(tradeoff, ["run", suite, "--db", file, "--no-report", "--quiet",
                                                "--only-models", "gpt-4o,llama-3.3-70b"] + extra, environment: environment)
            #expect(run.status == 0, "\(run.stderr)")
            return run
        }
    }

    /// The password of `url` (`postgres://user:PASSWORD@host...`).
    static func password(of url: String) throws -> String {
        let userInfo = try #require(url.split(separator: "@").first).split(separator: "//").last ?? ""
        return String(try #require(userInfo.split(separator: ":").last))
    }

    @Test func pushingTwiceChangesNothing() throws {
        let database = try PostgresTestDatabase()
        try withTemporaryDirectory { directory in
            _ = try demoRuns(2, into: directory.file("demo.sqlite"))
            let first = try runProcess(tradeoff, ["push", directory.file("demo.sqlite"), "--to", database.url])
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout.contains("pushed 2 runs to postgres://tradeoff@127.0.0.1:"), "\(first.stdout)")
            #expect(first.stdout.contains("(run 1 as 1, run 2 as 2; 312 calls)"), "\(first.stdout)")
            let counts = try database.rowCounts()
            #expect(counts["runs"] == 2)
            #expect(counts["calls"] == 312)
            #expect(counts["cases"] == 156)
            #expect(counts["run_models"] == 4)
            #expect((counts["judge_calls"] ?? 0) > 0)

            // Again, through the environment: nothing new.
            let second = try runProcess(tradeoff, ["push", directory.file("demo.sqlite")],
                                        environment: ["TRADEOFF_DATABASE_URL": database.url])
            #expect(second.status == 0, "\(second.stderr)")
            #expect(second.stdout.contains("nothing to push to postgres://tradeoff@127.0.0.1:"), "\(second.stdout)")
            #expect(second.stdout.contains("; 2 already there"), "\(second.stdout)")
            #expect(try database.rowCounts() == counts)

            // The second run's replayed calls name the first run's calls by their server ids.
            let replayed = try database.query("""
                SELECT count(*), count(o.id) FROM calls c LEFT JOIN calls o ON o.id = c.cached_from
                WHERE c.cached_from IS NOT NULL
                """)
            #expect(replayed.first == ["156", "156"])
            for output in [first.stdout, first.stderr, second.stdout, second.stderr] {
                #expect(!output.contains(try Self.password(of: database.url)))
            }
        }
    }

    /// An interrupted run pushed, then resumed: the next push replaces the server's copy.
    @Test func aRunResumedSincePushingIsCopiedAgain() throws {
        let database = try PostgresTestDatabase()
        try withTemporaryDirectory { directory in
            _ = try demoRuns(1, into: directory.file("demo.sqlite"))
            // The same run as it stood before the resume: half its calls, interrupted.
            let early = try DatabaseQueue(path: directory.file("early.sqlite"))
            try DatabaseQueue(path: directory.file("demo.sqlite")).backup(to: early)
            try early.write { db in
                try db.execute(sql: """
                    DELETE FROM calls WHERE id % 2 = 0;
                    UPDATE runs SET status = 'interrupted', finished_at = '2026-01-01 00:00:00.000';
                    """)
            }
            try early.close()
            let first = try runProcess(tradeoff, ["push", directory.file("early.sqlite"), "--to", database.url])
            #expect(first.status == 0, "\(first.stderr)")
            #expect(try database.rowCounts()["calls"] == 78)
            let resumed = try runProcess(tradeoff, ["push", directory.file("demo.sqlite"), "--to", database.url])
            #expect(resumed.status == 0, "\(resumed.stderr)")
            #expect(resumed.stdout.contains("(run 1 again as 1, resumed since its last push; 156 calls)"), "\(resumed.stdout)")
            let counts = try database.rowCounts()
            #expect(counts["runs"] == 1)
            #expect(counts["calls"] == 156)
            #expect(try database.query("SELECT status FROM runs").first == ["completed"])
            let again = try runProcess(tradeoff, ["push", directory.file("demo.sqlite"), "--to", database.url])
            #expect(again.stdout.contains("nothing to push") && again.stdout.contains("; 1 already there"), "\(again.stdout)")
            #expect(try database.rowCounts() == counts)
            for (name, arguments) in [("file", [directory.file("demo.sqlite")]), ("server", ["--db", database.url])] {
                let report = try runProcess(tradeoff, ["report"] + arguments + ["--out", directory.file(name), "--name", "r"])
                #expect(report.status == 0, "\(report.stderr)")
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: directory.file("file/r.md")))
                    == Data(contentsOf: URL(fileURLWithPath: directory.file("server/r.md"))))
        }
    }

    @Test func reportFromTheServerIsTheReportFromTheFile() throws {
        let database = try PostgresTestDatabase()
        try withTemporaryDirectory { directory in
            _ = try demoRuns(2, into: directory.file("demo.sqlite"))
            let push = try runProcess(tradeoff, ["push", directory.file("demo.sqlite"), "--to", database.url])
            #expect(push.status == 0, "\(push.stderr)")
            for run in ["1", "latest"] {
                let local = try runProcess(tradeoff, ["report", directory.file("demo.sqlite"), "--run", run,
                                                      "--out", directory.file("file-\(run)"), "--name", "r"])
                #expect(local.status == 0, "\(local.stderr)")
                // --db, then the environment alone.
                let arguments = run == "1" ? ["--db", database.url, "--run", run] : ["--run", run]
                let shared = try runProcess(tradeoff, ["report"] + arguments + ["--out", directory.file("server-\(run)"), "--name", "r"],
                                            environment: ["TRADEOFF_DATABASE_URL": database.url])
                #expect(shared.status == 0, "\(shared.stderr)")
                for name in ["r.md", "r.json", "r.csv", "r.tasks.csv", "r.calls.csv", "r.html"] {
                    let fromFile = try Data(contentsOf: URL(fileURLWithPath: directory.file("file-\(run)/\(name)")))
                    let fromServer = try Data(contentsOf: URL(fileURLWithPath: directory.file("server-\(run)/\(name)")))
                    #expect(fromFile == fromServer, "run \(run): \(name) differs")
                }
            }
            let missing = try runProcess(tradeoff, ["report", "--db", database.url, "--run", "9"])
            #expect(missing.status == 2)
            #expect(missing.stderr.contains("error: --run: no run 9 in postgres://tradeoff@127.0.0.1:"), "\(missing.stderr)")
            #expect(missing.stderr.contains("; its last run is 2"))
        }
    }

    /// Two ephemeral CI runners, one run each: the server holds both, and reads them as one history.
    @Test func historyAndBaselineAcrossPushedRuns() throws {
        let database = try PostgresTestDatabase()
        try withTemporaryDirectory { directory in
            for night in ["monday", "tuesday"] {
                _ = try demoRuns(1, into: directory.file("\(night).sqlite"))
                let push = try runProcess(tradeoff, ["push", directory.file("\(night).sqlite"), "--to", database.url])
                #expect(push.status == 0, "\(push.stderr)")
                #expect(push.stdout.contains("(run 1 as \(night == "monday" ? 1 : 2); 156 calls)"), "\(push.stdout)")
            }
            let history = try runProcess(tradeoff, ["history", "--db", database.url, "--model", "gpt-4o",
                                                    "--svg", directory.file("h.svg")])
            #expect(history.status == 0, "\(history.stderr)")
            let rows = history.stdout.split(separator: "\n").filter { $0.hasPrefix("| 1 |") || $0.hasPrefix("| 2 |") }
            #expect(rows.count == 2, "\(history.stdout)")
            #expect(rows.allSatisfy { $0.contains("| completed |") && $0.contains("| 78 |") })
            let unknown = try runProcess(tradeoff, ["history", "--db", database.url, "--model", "gpt-4"])
            #expect(unknown.status == 2)
            #expect(unknown.stderr.contains("models: gpt-4o, llama-3.3-70b"), "\(unknown.stderr)")

            let compare = try runProcess(tradeoff, ["compare", "1", "2", "--db", database.url])
            #expect(compare.status == 0, "\(compare.stderr)")
            #expect(compare.stdout.contains("No statistically real regression"), "\(compare.stdout)")
            let byURL = try runProcess(tradeoff, ["compare", database.url + "#1", database.url])
            #expect(byURL.status == 0, "\(byURL.stderr)")
            #expect(byURL.stdout == compare.stdout)

            // The last night's report checks against the night before; a new run against the server's last.
            let report = try runProcess(tradeoff, ["report", "--db", database.url, "--fail-on-regression",
                                                   "--out", directory.file("reports")])
            #expect(report.status == 0, "\(report.stderr)")
            #expect(report.stdout.contains("checks: 0 regressions against run 1"), "\(report.stdout)")
            let wednesday = try demoRuns(1, into: directory.file("wednesday.sqlite"),
                                         extra: ["--baseline", database.url, "--fail-on-regression"])
            #expect(wednesday.first?.stdout.contains("checks: 0 regressions against run 2") == true,
                    "\(wednesday.first?.stdout ?? "")")
        }
    }

    @Test func aWrongPasswordIsSaidWithoutThePassword() throws {
        let database = try PostgresTestDatabase()
        let password = try Self.password(of: database.url)
        let wrong = database.url.replacingOccurrences(of: ":\(password)@", with: ":wrong-secret-4711@")
        try withTemporaryDirectory { directory in
            _ = try demoRuns(1, into: directory.file("demo.sqlite"))
            for arguments in [["push", directory.file("demo.sqlite"), "--to", wrong], ["report", "--db", wrong],
                              ["history", "--db", wrong, "--model", "gpt-4o"], ["compare", "1", "2", "--db", wrong]] {
                let result = try runProcess(tradeoff, arguments)
                #expect(result.status == 2, "\(arguments)")
                #expect(result.stderr.contains("error: postgres://tradeoff@127.0.0.1:"), "\(result.stderr)")
                #expect(result.stderr.contains("password authentication failed for user \"tradeoff\""), "\(result.stderr)")
                #expect(!(result.stdout + result.stderr).contains("wrong-secret-4711"))
                #expect(!(result.stdout + result.stderr).contains(password))
            }
            // Nothing was written: the right password finds no tables with rows.
            #expect(try database.rowCounts().values.allSatisfy { $0 == 0 })
        }
        // A run is recorded in a file, not on the server.
        let run = try runProcess(tradeoff, ["run", CLITests.repository.appendingPathComponent("suites/demo.yaml").path,
                                            "--db", database.url], environment: ["FAKE_PROVIDER_PORT": "1",
                                                                                 "TRADEOFF_DEMO_API_KEY": "k"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("error: --db: a run is recorded in a SQLite file"), "\(run.stderr)")
        #expect(!run.stderr.contains(password))
        let nowhere = try runProcess(tradeoff, ["push", "x.sqlite"], environment: ["TRADEOFF_DATABASE_URL": ""])
        #expect(nowhere.status == 2)
    }
}
