import FakeProvider
import Foundation
import GRDB
import Testing
import TradeoffTestSupport

/// Hostile paths and flags, end to end: nothing crashes, everything the flags name is checked
/// before the first call, a command that fails on input writes nothing, and the exit code says
/// which kind of failure it was (1 is only ever a failed gate).
struct InputTests {
    let tradeoff = builtProduct("tradeoff")
    private let key = "sk-input-test-0123456789"

    /// Port 1 by default: nothing listens there, so a call that was made would fail the run
    /// (exit 3) and leave a database behind.
    private func tradeoff(_ arguments: [String], port: Int = 1, in directory: TemporaryDirectory) throws -> ProcessResult {
        try runProcess(tradeoff, arguments, environment: ["FAKE_PROVIDER_PORT": "\(port)", "INPUT_TEST_KEY": key,
                                                          "GITHUB_STEP_SUMMARY": ""],
                       directory: directory.path)
    }

    private func write(_ directory: TemporaryDirectory) throws {
        try directory.write("suite.yaml", """
            suite: sums
            models: models.yaml
            defaults: {max_tokens: 16}
            tasks:
              - id: add
                prompt: "Compute: {{a}} + {{b}}. Answer with the number only."
                graders:
                  - {type: exact, expected: "{{sum}}", normalize: [trim]}
                cases:
                  - {id: one, vars: {a: "1", b: "2", sum: "3"}}
                  - {id: two, vars: {a: "20", b: "22", sum: "42"}}
            """)
        try directory.write("models.yaml", """
            models:
              - id: good
                base_url: http://127.0.0.1:${FAKE_PROVIDER_PORT}/v1
                model: sim/good
                class: frontier
                price: {input: 2.50, output: 10.00}
                api_key_env: INPUT_TEST_KEY
              - id: cheap
                base_url: http://127.0.0.1:${FAKE_PROVIDER_PORT}/v1
                model: sim/cheap
                class: open
                price: {input: 0.04, output: 0.10}
                api_key_env: INPUT_TEST_KEY
            """)
        try directory.write("notes.txt", "not a folder, not a database\n")
    }

    /// `.` and `./` trapped in `deletingLastPathComponent` (SIGILL, exit 132) — `--junit .`
    /// after the whole run was paid for.
    @Test(arguments: [
        (["report", "."], 2, "error: '.' is a folder, not a results database; name the database file (like results/demo.sqlite)"),
        (["report", "./"], 2, "error: './' is a folder, not a results database; name the database file (like results/demo.sqlite)"),
        (["history", ".", "--model", "good"], 2,
         "error: '.' is a folder, not a results database; name the database file (like results/demo.sqlite)"),
        (["compare", ".", "./"], 2,
         "error: baseline: '.' is a folder, not a results database; name the database file (like results/demo.sqlite)"),
        (["merge", ".", "-o", "m.sqlite"], 2,
         "error: '.' is a folder, not a results database; name the database file (like results/demo.sqlite)"),
        (["merge", "notes.txt", "-o", "."], 3, "error: -o: '.' is a folder, not a file; name a file in it, like './merged.sqlite'"),
        (["plan", "suite.yaml", "--db", "./"], 2,
         "error: './' is a folder, not a results database; name the database file (like results/demo.sqlite)"),
        (["run", "suite.yaml", "--db", "."], 3, "error: --db: '.' is a folder, not a file; name a file in it, like './sums.sqlite'"),
        (["run", "suite.yaml", "--db", "r.sqlite", "--junit", "."], 3,
         "error: --junit: '.' is a folder, not a file; name a file in it, like './junit.xml'"),
        (["run", "suite.yaml", "--db", "notes.txt/r.sqlite"], 3, "error: --db: 'notes.txt' is a file, not a folder"),
        (["run", "suite.yaml", "--db", "r.sqlite", "--junit", ""], 3, "error: --junit: the path is empty; name a file, like 'junit.xml'"),
        (["run", "suite.yaml", "--db", "r.sqlite", "--out", ""], 3,
         "error: --out: the folder path is empty; the reports cannot be written there"),
    ])
    func aFolderGivenAsAFileIsRefusedNotACrash(arguments: [String], status: Int32, message: String) throws {
        try withTemporaryDirectory { directory in
            try write(directory)
            let before = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            let result = try tradeoff(arguments, in: directory)
            #expect(result.status == status, "\(result.stderr)")
            #expect(result.stderr == message + "\n")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == before)
        }
    }

    /// Each of these used to be found only after every call was paid for, or never: an empty
    /// `--only-models` ran 0 models and exited 0. Now nothing is called and nothing written.
    @Test(arguments: [
        (["--only-models", ""], 2, "error: --only-models names no model (got ''); models.yaml has: good, cheap"),
        (["--only-models", ","], 2, "error: --only-models names no model (got ','); models.yaml has: good, cheap"),
        (["--reference", "gud"], 2, "error: unknown model 'gud' in --reference (did you mean 'good'?); the run has: good, cheap"),
        (["--only-models", "good", "--gate", "quality(cheap) >= 0.5"], 2,
         "error: unknown model 'cheap' in gate 'quality(cheap) >= 0.5'; the run has: good"),
        (["--baseline", "3"], 2, "error: --baseline: no results database at 'r.sqlite'"),
        (["--baseline", "old.sqlite"], 2, "error: --baseline: no results database at 'old.sqlite'"),
        (["--resume", "999"], 2,
         "error: no results database at 'r.sqlite' to resume a run from; name the one the run was recorded in with --db"),
        (["--out", "notes.txt"], 3, "error: --out: 'notes.txt' is a file, not a folder; the reports cannot be written there"),
    ])
    func whatTheFlagsNameIsCheckedBeforeTheFirstCall(flags: [String], status: Int32, message: String) throws {
        try withTemporaryDirectory { directory in
            try write(directory)
            let result = try tradeoff(["run", "suite.yaml", "--db", "r.sqlite", "--quiet"] + flags, in: directory)
            #expect(result.status == status, "\(result.stderr)")
            #expect(result.stderr == message + "\n")
            #expect(!FileManager.default.fileExists(atPath: directory.file("r.sqlite")))
        }
    }

    /// argument-parser reads `-1` as a flag, so these said "Missing value"; now the range is named.
    @Test(arguments: [
        (["run", "suite.yaml", "--budget-usd", "-1"], "--budget-usd must be 0 or more, got -1"),
        (["run", "suite.yaml", "--retries", "-1"], "--retries must be 0 or more, got -1"),
        (["run", "suite.yaml", "--max-backoff", "-2"], "--max-backoff must be more than 0 seconds"),
        (["report", "r.sqlite", "--margin", "-0.1"], "--margin must be between 0 and 1 (0.05 = 5 points), got -0.1"),
        (["models", "check", "models.yaml", "--only-models", ","],
         "error: --only-models names no model (got ','); models.yaml has: good, cheap"),
    ])
    func negativeNumbersAndEmptyListsGetTheirOwnMessage(arguments: [String], message: String) throws {
        try withTemporaryDirectory { directory in
            try write(directory)
            let result = try tradeoff(arguments, in: directory)
            #expect(result.status == 2)
            let first = result.stderr.split(separator: "\n").first.map(String.init)
            #expect(first == message || first == "Error: " + message, "\(result.stderr)")
        }
    }

    /// Exit 1 means a gate failed, and CI reads it so: a report that cannot be written is 3,
    /// whether found before writing (`--out` is a file) or while writing (a folder that cannot be made).
    @Test func aReportThatCannotBeWrittenExitsThree() throws {
        try withTemporaryDirectory { directory in
            try write(directory)
            try withFakeProvider(apiKey: key, models: [.init(name: "sim/good"), .init(name: "sim/cheap")]) { server in
                let run = try tradeoff(["run", "suite.yaml", "--db", "r.sqlite", "--no-report", "--quiet"], port: server.port,
                                       in: directory)
                #expect(run.status == 0, "\(run.stderr)")
            }
            let cases: [([String], String)] = [
                (["report", "r.sqlite", "--out", "notes.txt"],
                 "error: --out: 'notes.txt' is a file, not a folder; the reports cannot be written there\n"),
                (["report", "r.sqlite", "--junit", "./"],
                 "error: --junit: './' is a folder, not a file; name a file in it, like './junit.xml'\n"),
                (["history", "r.sqlite", "--model", "good", "--svg", "."],
                 "error: --svg: '.' is a folder, not a file; name a file in it, like './good.history.svg'\n"),
                (["compare", "r.sqlite", "r.sqlite", "--output", "."],
                 "error: --output: '.' is a folder, not a file; name a file in it, like './comparison.md'\n"),
                // Not a path problem: the folder cannot be made (/sys is read-only, even to root).
                (["report", "r.sqlite", "--out", "/sys/tradeoff-reports"],
                 "error: /sys/tradeoff-reports: cannot write report: cannot create the folder ("),
            ]
            for (arguments, message) in cases {
                let result = try tradeoff(arguments, in: directory)
                #expect(result.status == 3, "\(arguments): \(result.stderr)")
                #expect(result.stderr.hasPrefix(message), "\(arguments): \(result.stderr)")
            }
            // grade checks its flags before recording a new run (or asking a judge).
            let grade = try tradeoff(["grade", "r.sqlite", "--gate", "quality(nope) >= 1", "--out", "notes.txt"], in: directory)
            #expect(grade.status == 2)
            #expect(grade.stderr == "error: unknown model 'nope' in gate 'quality(nope) >= 1'; the run has: good, cheap\n")
            let regradeOut = try tradeoff(["grade", "r.sqlite", "--out", "notes.txt"], in: directory)
            #expect(regradeOut.status == 3)
            #expect(regradeOut.stderr == "error: --out: 'notes.txt' is a file, not a folder; the reports cannot be written there\n")
            let runs = try DatabaseQueue(path: directory.file("r.sqlite")).read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM runs")
            }
            #expect(runs == 1)

            // The CI step summary is written like a report.
            let summary = try runProcess(tradeoff, ["report", "r.sqlite", "--out", "rep"],
                                         environment: ["GITHUB_STEP_SUMMARY": "."], directory: directory.path)
            #expect(summary.status == 3)
            #expect(summary.stderr.hasSuffix("error: .: cannot write report: '.' is a folder, not a file\n"), "\(summary.stderr)")

            let plan = try tradeoff(["plan", "suite.yaml", "--db", "notes.txt"], in: directory)
            #expect(plan.status == 2)
            #expect(plan.stderr.hasPrefix("error: notes.txt: database error: file is not a database"), "\(plan.stderr)")
        }
    }

    /// A results database SQLite cannot open or create says where and what to check, before any call.
    @Test func aDatabaseThatCannotBeOpenedSaysWhereAndWhy() throws {
        try withTemporaryDirectory { directory in
            try write(directory)
            let result = try tradeoff(["run", "suite.yaml", "--db", "/sys/tradeoff-test.sqlite", "--quiet"], in: directory)
            #expect(result.status == 3)
            #expect(result.stderr == "error: /sys/tradeoff-test.sqlite: database error: unable to open database file; check "
                    + "that the folder '/sys' exists and can be written: SQLite keeps the database's -wal and -shm files "
                    + "beside it, even to read it (from a read-only mount, copy the database somewhere writable first)\n")
        }
    }

    /// A 3 MB dataset row with a typo at its end printed all 3 MB to stderr.
    @Test func aLongDatasetRowIsShownAroundTheProblem() throws {
        try withTemporaryDirectory { directory in
            try write(directory)
            try directory.write("long.yaml", """
                suite: long
                models: models.yaml
                tasks:
                  - id: t
                    prompt: "{{q}}"
                    dataset: long.jsonl
                    graders: [{type: exact, expected: x}]
                """)
            try directory.write("long.jsonl", "{\"q\": \"" + String(repeating: "x", count: 3_000_000) + "\", typo}\n")
            let result = try tradeoff(["validate", "long.yaml"], in: directory)
            #expect(result.status == 2)
            #expect(result.stderr == """
                long.jsonl:1:3000011: error: invalid JSON: expected a quoted key
                …\(String(repeating: "x", count: 57))", typo}
                \(String(repeating: " ", count: 61))^
                long.yaml: 1 error

                """)
        }
    }
}
