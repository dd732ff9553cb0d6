import FakeProvider
import Foundation
import GRDB
import Testing
import TradeoffTestSupport

/// End to end: the built `tradeoff` binary, its output, exit code and files.
struct CLITests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    let tradeoff = builtProduct("tradeoff")

    private func tradeoff(_ arguments: [String], environment: [String: String] = [:], in directory: String? = nil) throws -> ProcessResult {
        try runProcess(tradeoff, arguments, environment: environment, directory: directory)
    }

    /// Three sums, exact-graded: the suite the CLI tests run unless they need another.
    static let smallSuite = """
        suite: small
        models: models.yaml
        defaults: {max_tokens: 16}
        tasks:
          - id: sums
            prompt: "Compute: {{a}} + {{b}}. Answer with the number only."
            graders:
              - {type: exact, expected: "{{sum}}", normalize: [trim]}
            cases:
              - {id: one, vars: {a: "1", b: "2", sum: "3"}}
              - {id: two, vars: {a: "20", b: "22", sum: "42"}}
              - {id: three, vars: {a: "7", b: "8", sum: "15"}}
        """

    private func catalog(port: Int, extra: String = "") -> String {
        """
        models:
          - id: good
            base_url: http://127.0.0.1:${FAKE_PROVIDER_PORT}/v1
            model: sim/good
            class: frontier
            price: {input: 2.50, output: 10.00}
            api_key_env: TRADEOFF_CLI_TEST_KEY
          - id: cheap
            base_url: http://127.0.0.1:${FAKE_PROVIDER_PORT}/v1
            model: sim/cheap
            class: open
            price: {input: 0.04, output: 0.10}
            api_key_env: TRADEOFF_CLI_TEST_KEY
        \(extra)
        """
    }

    private let secret = "sk-cli-secret-0123456789"

    @Test func runRecordsEveryCallAndWritesTheReport() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: secret, models: [.init(name: "sim/good"), .init(name: "sim/cheap", accuracy: 0)]) { server in
                try directory.write("suite.yaml", Self.smallSuite)
                try directory.write("models.yaml", catalog(port: server.port))
                let result = try tradeoff(["run", "suite.yaml", "--db", "out/r.sqlite", "--out", "rep", "--quiet"],
                                          environment: ["FAKE_PROVIDER_PORT": "\(server.port)", "TRADEOFF_CLI_TEST_KEY": secret],
                                          in: directory.path)
                #expect(result.status == 0, "stderr: \(result.stderr)")
                #expect(result.stdout.contains("run 1 completed: 6 answered, 0 failed"))
                #expect(result.stdout.contains("report: rep/small.md\nreport: rep/small.svg\nreport: rep/small.html\n"))

                let database = try DatabaseQueue(path: directory.file("out/r.sqlite"))
                let rows = try database.read { db in
                    try Row.fetchAll(db, sql: "SELECT model_id, case_id, passed, cost_micros FROM calls ORDER BY model_id, case_id")
                }
                #expect(rows.count == 6)
                #expect(rows.filter { $0["model_id"] == "good" }.allSatisfy { $0["passed"] == true })
                #expect(rows.filter { $0["model_id"] == "cheap" }.allSatisfy { $0["passed"] == false })
                #expect(rows.allSatisfy { ($0["cost_micros"] as Int64?) ?? 0 > 0 })

                let report = try String(contentsOfFile: directory.file("rep/small.md"), encoding: .utf8)
                #expect(report.contains("good"))
                #expect(FileManager.default.fileExists(atPath: directory.file("rep/small.csv")))
                let page = try String(contentsOfFile: directory.file("rep/small.html"), encoding: .utf8)
                #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("<title>Tradeoff report: small</title>"))
                // The drill-down reads what the summary leaves out: each case's variables, every grader's reason.
                #expect(page.contains("Variables: <code>a</code> = 1; <code>b</code> = 2; <code>sum</code> = 3.</p>"))
                #expect(page.components(separatedBy: "<ul class=\"grades\">\n<li><code>exact</code> <strong>pass</strong> 1.00: ")
                    .count == 4)
                #expect(!page.contains("No grader reasons are stored"))

                // The key is in no file the run wrote and in nothing it printed.
                #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret))
                for file in try FileManager.default.subpathsOfDirectory(atPath: directory.path) {
                    guard let data = FileManager.default.contents(atPath: directory.file(file)) else { continue }
                    #expect(data.range(of: Data(secret.utf8)) == nil, "the key leaked into \(file)")
                }
            }
        }
    }

    @Test func aRunRecordsTheCommitOfItsSuitesRepository() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: secret, models: [.init(name: "sim/good"), .init(name: "sim/cheap")]) { server in
                try directory.write("suites/small.yaml", Self.smallSuite.replacingOccurrences(of: "models.yaml", with: "../models.yaml"))
                try directory.write("models.yaml", catalog(port: server.port))
                let env = URL(fileURLWithPath: "/usr/bin/env")
                let git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
                for arguments in [["init", "-q"], ["add", "."], ["commit", "-q", "-m", "suite"]] {
                    #expect(try runProcess(env, git + arguments, directory: directory.path).status == 0)
                }
                let head = try runProcess(env, ["git", "rev-parse", "HEAD"], directory: directory.path).stdout
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                let environment = ["FAKE_PROVIDER_PORT": "\(server.port)", "TRADEOFF_CLI_TEST_KEY": secret]
                // Named by a relative path, as users do; the database is untracked, so the tree is clean.
                var result = try tradeoff(["run", "suites/small.yaml", "--db", "out/r.sqlite", "--no-report", "--quiet"],
                                          environment: environment, in: directory.path)
                #expect(result.status == 0, "stderr: \(result.stderr)")
                try directory.write("suites/small.yaml", Self.smallSuite.replacingOccurrences(of: "models.yaml", with: "../models.yaml") + "\n")
                result = try tradeoff(["run", "suites/small.yaml", "--db", "out/r.sqlite", "--no-report", "--quiet"],
                                      environment: environment, in: directory.path)
                #expect(result.status == 0, "stderr: \(result.stderr)")
                let commits = try DatabaseQueue(path: directory.file("out/r.sqlite")).read { db in
                    try String?.fetchAll(db, sql: "SELECT git_commit FROM runs ORDER BY id")
                }
                #expect(head.count == 40 && commits == [head, head + "-dirty"])
            }
        }
    }

    /// libcurl and libpq are opened by the commands that use them, not as the program starts:
    /// loading them and the thirty libraries each brings was half of every command's start-up.
    /// The dynamic loader says what it opens (`LD_DEBUG=libs`, glibc's).
    @Test func libcurlIsOpenedByARunAndNeitherItNorLibpqByValidate() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: secret, models: [.init(name: "sim/good"), .init(name: "sim/cheap")]) { server in
                try directory.write("suite.yaml", Self.smallSuite)
                try directory.write("models.yaml", catalog(port: server.port))
                let environment = ["FAKE_PROVIDER_PORT": "\(server.port)", "TRADEOFF_CLI_TEST_KEY": secret, "LD_DEBUG": "libs"]
                let validate = try tradeoff(["validate", "suite.yaml"], environment: environment, in: directory.path)
                #expect(validate.status == 0, "stderr: \(validate.stderr)")
                #expect(validate.stderr.contains("find library=libsqlite3.so"))
                #expect(!validate.stderr.contains("libcurl.so") && !validate.stderr.contains("libpq.so"))
                let run = try tradeoff(["run", "suite.yaml", "--db", "r.sqlite", "--no-report", "--quiet"],
                                       environment: environment, in: directory.path)
                #expect(run.status == 0)
                #expect(run.stderr.contains("find library=libcurl.so.4"))
                #expect(!run.stderr.contains("libpq.so"))
            }
        }
    }

    @Test func failingModelIsRecordedAndExitsThree() throws {
        try withTemporaryDirectory { directory in
            // sim/cheap is not served: every call to it ends in a 404.
            try withFakeProvider(apiKey: secret, models: [.init(name: "sim/good")]) { server in
                try directory.write("suite.yaml", Self.smallSuite)
                try directory.write("models.yaml", catalog(port: server.port))
                let result = try tradeoff(["run", "suite.yaml", "--db", "r.sqlite", "--out", "rep", "--quiet"],
                                          environment: ["FAKE_PROVIDER_PORT": "\(server.port)", "TRADEOFF_CLI_TEST_KEY": secret],
                                          in: directory.path)
                #expect(result.status == 3)
                #expect(result.stdout.contains("run 1 incomplete: 3 answered, 3 failed"))
                #expect(result.stderr.contains("3 calls failed"))
                let errors = try DatabaseQueue(path: directory.file("r.sqlite")).read { db in
                    try String.fetchAll(db, sql: "SELECT error_class FROM calls WHERE model_id = 'cheap'")
                }
                #expect(errors == ["not_found", "not_found", "not_found"])
            }
        }
    }

    @Test func missingKeyVariableStopsBeforeAnyCall() throws {
        try withTemporaryDirectory { directory in
            try directory.write("suite.yaml", Self.smallSuite)
            try directory.write("models.yaml", catalog(port: 1))
            let result = try tradeoff(["run", "suite.yaml", "--db", "r.sqlite", "--quiet"],
                                      environment: ["FAKE_PROVIDER_PORT": "1", "TRADEOFF_CLI_TEST_KEY": ""], in: directory.path)
            #expect(result.status == 2)
            #expect(result.stderr.contains("models.yaml:2:5: error: environment variable 'TRADEOFF_CLI_TEST_KEY' for model 'good' is not set"))
            #expect(!FileManager.default.fileExists(atPath: directory.file("r.sqlite")))
        }
    }

    @Test func unknownModelInOnlyModelsIsBadInput() throws {
        try withTemporaryDirectory { directory in
            try directory.write("suite.yaml", Self.smallSuite)
            try directory.write("models.yaml", catalog(port: 1))
            let result = try tradeoff(["run", "suite.yaml", "--only-models", "god", "--quiet"],
                                      environment: ["FAKE_PROVIDER_PORT": "1", "TRADEOFF_CLI_TEST_KEY": "k"], in: directory.path)
            #expect(result.status == 2)
            #expect(result.stderr.contains("error: unknown model 'god' in --only-models (did you mean 'good'?); models.yaml has: good, cheap"))
        }
    }

    @Test func validateReportsEveryProblemWithItsPositionAndWritesNothing() throws {
        try withTemporaryDirectory { directory in
            try directory.write("models.yaml", catalog(port: 1))
            try directory.write("broken.yaml", """
                suite: broken
                models: models.yaml
                tasks:
                  - id: a
                    promt: "Hello {{name}}"
                    cases:
                      - vars: {name: x}
                    graders:
                      - {type: exakt, expected: "x"}
                  - id: a
                    prompt: "Bye {{nmae}}"
                    cases:
                      - vars: {name: x}
                    graders:
                      - {type: regex, pattern: "(unclosed"}
                """)
            let before = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            let result = try tradeoff(["validate", "broken.yaml"], environment: ["FAKE_PROVIDER_PORT": "1"], in: directory.path)
            #expect(result.status == 2)
            #expect(result.stderr.contains("broken.yaml:5:5: error: unknown key 'promt'"))
            #expect(result.stderr.contains("broken.yaml:9:16: error: unknown grader type 'exakt' (did you mean 'exact'?)"))
            #expect(result.stderr.contains("broken.yaml:10:9: error: duplicate task id 'a'"))
            #expect(result.stderr.contains("broken.yaml:11:13: error: placeholder '{{nmae}}'"))
            #expect(result.stderr.contains("broken.yaml:15:32: error: invalid regex '(unclosed'"))
            #expect(result.stderr.hasSuffix("\nbroken.yaml: 6 errors\n"), "\(result.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == before)
        }
    }

    @Test func validateAcceptsTheDemoSuiteAndCatalog() throws {
        let result = try tradeoff(["validate", "suites/demo.yaml", "suites/demo.models.yaml"],
                                  environment: ["FAKE_PROVIDER_PORT": "8089"], in: Self.repository.path)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout == "suites/demo.yaml: ok\nsuites/demo.models.yaml: ok\n")
    }

    @Test func badFlagIsBadInput() throws {
        let result = try tradeoff(["run", "suite.yaml", "--no-such-flag"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("Unknown option '--no-such-flag'"))
    }

    @Test func reportOfAMissingDatabaseIsBadInput() throws {
        try withTemporaryDirectory { directory in
            let result = try tradeoff(["report", "nope.sqlite"], in: directory.path)
            #expect(result.status == 2)
            #expect(result.stderr.contains("error: no results database at 'nope.sqlite'"))
        }
    }

    @Test func theDemoRunsEndToEnd() throws {
        let config = try FakeProviderConfig(contentsOf: Self.repository.appendingPathComponent("suites/demo.fake-provider.yaml").path)
        let server = try FakeProviderServer.start(config: config)
        defer { server.shutdown() }
        try withTemporaryDirectory { directory in
            let result = try tradeoff(["run", Self.repository.appendingPathComponent("suites/demo.yaml").path,
                                       "--db", directory.file("demo.sqlite"), "--out", directory.path, "--name", "demo", "--quiet"],
                                      environment: ["FAKE_PROVIDER_PORT": "\(server.port)", "TRADEOFF_DEMO_API_KEY": "demo-key"])
            #expect(result.status == 0, "stderr: \(result.stderr)")
            let (calls, distinct, cases, models) = try DatabaseQueue(path: directory.file("demo.sqlite")).read { db in
                (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM calls")!,
                 try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT model_id || '/' || task_id || '/' || case_id) FROM calls")!,
                 try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases")!,
                 try String.fetchAll(db, sql: "SELECT provider FROM run_models"))
            }
            #expect(cases >= 60)
            #expect(calls == cases * models.count)
            // The demo reaches its models over every wire format.
            #expect(Set(models).isSuperset(of: ["openai", "anthropic", "gemini", "openai-compatible"]))
            #expect(distinct == calls)
            let report = try String(contentsOfFile: directory.file("demo.md"), encoding: .utf8)
            #expect(report.lowercased().contains("simulated"))
            let json = try Data(contentsOf: URL(fileURLWithPath: directory.file("demo.json")))
            #expect(try repositorySchema("report.schema.json").violations(ofJSON: json) == [])
            // The page holds every case, each judge's verdict with its cost, and stays mailable.
            let page = try String(contentsOfFile: directory.file("demo.html"), encoding: .utf8)
            #expect(page.components(separatedBy: "<article class=\"case\"").count == cases + 1)
            #expect(page.contains("<li>judge <code>gpt-4.1-mini-judge</code>: verdict "))
            #expect(page.utf8.count < 2_000_000, "\(page.utf8.count) bytes")
        }
    }

    @Test func reportPrintsThePageToPDFOrSaysNoBrowserIsFound() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: secret, models: [.init(name: "sim/good"), .init(name: "sim/cheap", accuracy: 0)]) { server in
                try directory.write("suite.yaml", Self.smallSuite)
                try directory.write("models.yaml", catalog(port: server.port))
                let run = try tradeoff(["run", "suite.yaml", "--db", "r.sqlite", "--no-report", "--quiet"],
                                       environment: ["FAKE_PROVIDER_PORT": "\(server.port)", "TRADEOFF_CLI_TEST_KEY": secret],
                                       in: directory.path)
                #expect(run.status == 0, "stderr: \(run.stderr)")
            }
            // No browser: bad input, said before anything is written.
            let missing = try tradeoff(["report", "r.sqlite", "--out", "none", "--pdf"], environment: ["PATH": directory.file("empty")],
                                       in: directory.path)
            #expect(missing.status == 2)
            #expect(missing.stderr == "error: --pdf needs a headless Chromium, and none of chromium, chromium-browser, "
                    + "google-chrome, google-chrome-stable is on PATH; install one (scripts/install-deps does) or open "
                    + "NAME.html in a browser and print it to PDF\n")
            #expect(!FileManager.default.fileExists(atPath: directory.file("none")))
            guard ProcessInfo.processInfo.environment["PATH"].map({ PDFSearch.hasBrowser(in: $0) }) == true else { return }
            let printed = try tradeoff(["report", "r.sqlite", "--out", "rep", "--pdf"], in: directory.path)
            #expect(printed.status == 0, "stderr: \(printed.stderr)")
            #expect(printed.stdout.hasSuffix("rep/small.calls.csv\nrep/small.pdf\n"), "\(printed.stdout)")
            let pdf = try #require(FileManager.default.contents(atPath: directory.file("rep/small.pdf")))
            #expect(pdf.starts(with: Data("%PDF-".utf8)))
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.file("rep")).allSatisfy { !$0.hasSuffix(".tmp") })
        }
    }

    @Test func runPrintsThePageToPDFAsReportDoesOrSaysNoBrowserIsFoundBeforeAnyCall() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: secret, models: [.init(name: "sim/good"), .init(name: "sim/cheap", accuracy: 0)]) { server in
                try directory.write("suite.yaml", Self.smallSuite)
                try directory.write("models.yaml", catalog(port: server.port))
                let environment = ["FAKE_PROVIDER_PORT": "\(server.port)", "TRADEOFF_CLI_TEST_KEY": secret]
                // No browser: bad input, said before the first call (no database, no request, no report).
                var empty = environment
                empty["PATH"] = directory.file("empty")
                let missing = try tradeoff(["run", "suite.yaml", "--db", "r.sqlite", "--out", "none", "--pdf", "--quiet"],
                                           environment: empty, in: directory.path)
                #expect(missing.status == 2)
                #expect(missing.stderr == "error: --pdf needs a headless Chromium, and none of chromium, chromium-browser, "
                        + "google-chrome, google-chrome-stable is on PATH; install one (scripts/install-deps does) or open "
                        + "NAME.html in a browser and print it to PDF\n")
                #expect(server.requestCount(model: "sim/good") == 0 && server.requestCount(model: "sim/cheap") == 0)
                #expect(!FileManager.default.fileExists(atPath: directory.file("r.sqlite")))
                #expect(!FileManager.default.fileExists(atPath: directory.file("none")))
                // --no-report writes no page to print.
                let contradiction = try tradeoff(["run", "suite.yaml", "--db", "r.sqlite", "--no-report", "--pdf"],
                                                 environment: environment, in: directory.path)
                #expect(contradiction.status == 2)
                #expect(contradiction.stderr.contains("--pdf prints the report's page, and --no-report writes none; give one of them"),
                        "\(contradiction.stderr)")
                #expect(server.requestCount(model: "sim/good") == 0 && server.requestCount(model: "sim/cheap") == 0)
                guard ProcessInfo.processInfo.environment["PATH"].map({ PDFSearch.hasBrowser(in: $0) }) == true else { return }
                let printed = try tradeoff(["run", "suite.yaml", "--db", "r.sqlite", "--out", "rep", "--pdf", "--quiet"],
                                           environment: environment, in: directory.path)
                #expect(printed.status == 0, "stderr: \(printed.stderr)")
                #expect(printed.stdout.hasSuffix("report: rep/small.calls.csv\nreport: rep/small.pdf\n"), "\(printed.stdout)")
                let pdf = try #require(FileManager.default.contents(atPath: directory.file("rep/small.pdf")))
                #expect(pdf.starts(with: Data("%PDF-".utf8)))
            }
        }
    }
}

/// Whether a browser `report --pdf` can drive is on a PATH.
enum PDFSearch {
    static func hasBrowser(in path: String) -> Bool {
        path.split(separator: ":").contains { folder in
            ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"].contains { name in
                FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)")
            }
        }
    }
}
