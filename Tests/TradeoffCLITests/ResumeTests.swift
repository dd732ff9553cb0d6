import FakeProvider
import Foundation
import GRDB
import Testing
import TradeoffTestSupport

/// A run killed with SIGKILL at random moments, resumed each time: every call ends up
/// recorded exactly once and the database stays sound.
struct ResumeTests {
    let tradeoff = builtProduct("tradeoff")

    private func write(_ directory: TemporaryDirectory, port: Int) throws {
        try directory.writeTwoModelSuite(named: "killable", cases: 60, port: port)
    }

    @Test func killedRunsResumeWithoutRepeatingOrLosingACall() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: nil, models: [.init(name: "sim/a", latencyMs: 100), .init(name: "sim/b", latencyMs: 100)]) { server in
                try write(directory, port: server.port)
                var generator = SystemRandomNumberGenerator()
                for round in 0..<3 {
                    let process = Process()
                    process.executableURL = tradeoff
                    process.arguments = ["run", "suite.yaml", "--db", "r.sqlite", "--quiet", "--no-report"]
                        + (round == 0 ? [] : ["--resume", "latest"])
                    process.currentDirectoryURL = URL(fileURLWithPath: directory.path)
                    process.standardOutput = FileHandle.nullDevice
                    process.standardError = FileHandle.nullDevice
                    let before = server.requestCount(model: "sim/a") + server.requestCount(model: "sim/b")
                    try process.run()
                    // Killed at a random moment once it makes calls: on a loaded machine a fixed
                    // delay could kill it before it had begun the run, leaving none to resume.
                    #expect(waitUntil { server.requestCount(model: "sim/a") + server.requestCount(model: "sim/b") > before })
                    usleep(UInt32.random(in: 0...300_000, using: &generator))
                    kill(process.processIdentifier, SIGKILL)
                    process.waitUntilExit()
                }
                let last = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--quiet", "--no-report",
                                                     "--resume", "latest"], directory: directory.path)
                #expect(last.status == 0, "\(last.stderr)")
                #expect(last.stdout.contains("run 1 completed"))

                let database = try DatabaseQueue(path: directory.file("r.sqlite"))
                let (runs, calls, distinct, integrity) = try database.read { db in
                    (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM runs")!,
                     try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM calls")!,
                     try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT model_id || '/' || case_id || '/' || repeat_index) FROM calls")!,
                     try String.fetchOne(db, sql: "PRAGMA integrity_check")!)
                }
                #expect(runs == 1)
                #expect(calls == 120)
                #expect(distinct == 120)
                #expect(integrity == "ok")
                // Calls made after the last kill are only the ones not recorded before it.
                #expect(server.requestCount(model: "sim/a") + server.requestCount(model: "sim/b") >= 120)
            }
        }
    }

    /// Ctrl-C once lets the calls in flight finish; twice abandons them: either way the run is
    /// recorded as interrupted, the command to resume it is printed, and the resume completes it.
    @Test(arguments: [1, 2])
    func ctrlCStopsCleanlyAndTheRunResumes(interrupts: Int) throws {
        try withTemporaryDirectory { directory in
            // Answers take 3 s: a second Ctrl-C comes while the first calls are still in flight.
            try withFakeProvider(apiKey: nil, models: [.init(name: "sim/a", latencyMs: 3_000),
                                                      .init(name: "sim/b", latencyMs: 3_000)]) { server in
                try write(directory, port: server.port)
                let process = Process()
                process.executableURL = tradeoff
                process.arguments = ["run", "suite.yaml", "--db", "r.sqlite", "--quiet", "--no-report", "--cache", "off",
                                     "--name", "my run", "--only-models", "a,b"]
                process.currentDirectoryURL = URL(fileURLWithPath: directory.path)
                let errors = Pipe()
                process.standardOutput = FileHandle.nullDevice
                process.standardError = errors
                let collected = PipeText(errors)
                try process.run()
                // Interrupted once both models' 4 calls are on the server (answers take 3 s).
                #expect(waitUntil { server.requestCount(model: "sim/a") + server.requestCount(model: "sim/b") == 8 })
                let interrupted = Date()
                kill(process.processIdentifier, SIGINT)
                if interrupts == 2 {
                    // The second Ctrl-C once the first was taken in (two signals sent at once are one).
                    #expect(waitUntil { collected.text.contains("interrupted: finishing the calls in flight") })
                    kill(process.processIdentifier, SIGINT)
                }
                process.waitUntilExit()
                let stderr = collected.finish()
                #expect(process.terminationStatus == 3, "\(stderr)")
                // Every flag given comes back, quoted for the shell where it needs to be.
                #expect(stderr.contains("resume with: tradeoff run suite.yaml --db r.sqlite --quiet --no-report --cache off "
                                        + "--name 'my run' --only-models a,b --resume 1\n"), "\(stderr)")
                let recorded = try DatabaseQueue(path: directory.file("r.sqlite")).read { db in
                    (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM calls")!,
                     try String.fetchOne(db, sql: "SELECT status FROM runs WHERE id = 1")!)
                }
                #expect(recorded.1 == "interrupted")
                #expect(stderr.contains("interrupted: finishing the calls in flight (Ctrl-C again to abandon them)"))
                if interrupts == 2 {
                    #expect(stderr.contains("abandoning the calls in flight: they are not recorded, and a resume makes them"))
                }
                if interrupts == 1 {
                    // The 8 calls in flight finished and were recorded.
                    #expect(recorded.0 == 8)
                } else {
                    // Abandoned at once, without waiting for their answers.
                    #expect(recorded.0 == 0)
                    #expect(Date().timeIntervalSince(interrupted) < 2.5)
                }
            }
            // The rest is made by a quick server (the catalog names its port; the models are the same).
            try withFakeProvider(apiKey: nil, models: [.init(name: "sim/a"), .init(name: "sim/b")]) { server in
                try write(directory, port: server.port)
                let resumed = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--quiet", "--no-report",
                                                        "--resume", "1"], directory: directory.path)
                #expect(resumed.status == 0, "\(resumed.stderr)")
                // The summary counts the whole run, not only the calls made since the resume.
                #expect(resumed.stdout.hasPrefix("run 1 completed: 120 answered, 0 failed, 0 not started, $0.00 spent; "),
                        "\(resumed.stdout)")
            }
        }
    }

    /// Resuming a run that is complete says so and changes nothing (it added an hourly-priced
    /// model's cost again).
    @Test func resumingACompletedRunChangesNothing() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: nil, models: [.init(name: "sim/a", latencyMs: 5), .init(name: "sim/b")]) { server in
                try write(directory, port: server.port)
                let models = try String(contentsOfFile: directory.file("models.yaml"), encoding: .utf8)
                try directory.write("models.yaml", models.replacingOccurrences(
                    of: "model: sim/a, class: open,", with: "model: sim/a, class: open, price: {per_hour_usd: 36},"))
                let first = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--quiet", "--no-report"],
                                           directory: directory.path)
                #expect(first.status == 0, "\(first.stderr)")
                func snapshot() throws -> [String] {
                    try DatabaseQueue(path: directory.file("r.sqlite")).read { db in
                        try String.fetchAll(db, sql: """
                            SELECT status || ' ' || IFNULL(finished_at, '-') FROM runs
                            UNION ALL SELECT id || ' ' || IFNULL(cost_micros, '-') FROM calls
                            """)
                    }
                }
                let before = try snapshot()
                let requests = server.requestCount(model: "sim/a") + server.requestCount(model: "sim/b")
                let resumed = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--resume", "latest"],
                                             directory: directory.path)
                #expect(resumed.status == 0, "\(resumed.stderr)")
                #expect(resumed.stdout == "nothing to resume: run 1 is completed, all 120 calls are recorded (120 answered, "
                        + "0 failed); nothing changed\n")
                #expect(try snapshot() == before)
                #expect(server.requestCount(model: "sim/a") + server.requestCount(model: "sim/b") == requests)
                #expect(!FileManager.default.fileExists(atPath: directory.file("reports")))
            }
        }
    }

    /// A finished run whose calls failed: nothing to resume either, and it says how to make them again.
    @Test func resumingAFinishedRunWithFailuresPointsToRetryErrors() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: nil, models: [.init(name: "sim/a"), .init(name: "sim/b", faults: .init(serverError: 1))]) {
                server in
                try write(directory, port: server.port)
                let first = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--quiet", "--no-report",
                                                      "--retries", "0"], directory: directory.path)
                #expect(first.status == 3 && first.stdout.hasPrefix("run 1 incomplete: 60 answered, 60 failed"), "\(first.stdout)")
                let resumed = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--resume", "1"],
                                             directory: directory.path)
                #expect(resumed.status == 3)
                #expect(resumed.stdout == "nothing to resume: run 1 is incomplete, all 120 calls are recorded (60 answered, "
                        + "60 failed); nothing changed; --retry-errors makes the failed calls again\n")
            }
        }
    }

    @Test func retryErrorsMakesOnlyTheFailedCallsAgain() throws {
        try withTemporaryDirectory { directory in
            // First sim/b is missing, so its calls fail; then it is served and the failures are re-made.
            let first = try FakeProviderServer.start(config: FakeProviderConfig(models: [.init(name: "sim/a")]))
            try write(directory, port: first.port)
            let failing = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--quiet", "--no-report"],
                                         directory: directory.path)
            first.shutdown()
            #expect(failing.status == 3)
            try withFakeProvider(apiKey: nil, models: [.init(name: "sim/a"), .init(name: "sim/b")]) { server in
                try write(directory, port: server.port)
                let retried = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--quiet", "--no-report",
                                                        "--resume", "1", "--retry-errors"], directory: directory.path)
                #expect(retried.status == 0, "\(retried.stderr)")
                #expect(server.requestCount(model: "sim/a") == 0)
                // sim/b stopped early after three hard failures; every one of its calls is made now.
                #expect(server.requestCount(model: "sim/b") == 60)
            }
            let errors = try DatabaseQueue(path: directory.file("r.sqlite")).read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM calls WHERE error_class IS NOT NULL")!
            }
            #expect(errors == 0)
        }
    }

    @Test func resumingWithAnotherSuiteVersionIsRefused() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: nil, models: [.init(name: "sim/a"), .init(name: "sim/b")]) { server in
                try write(directory, port: server.port)
                _ = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--quiet", "--no-report"],
                                   directory: directory.path)
                let suite = try String(contentsOfFile: directory.file("suite.yaml"), encoding: .utf8)
                try directory.write("suite.yaml", suite.replacingOccurrences(of: "+ 1", with: "+ 2"))
                let result = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--resume", "latest"],
                                            directory: directory.path)
                #expect(result.status == 2)
                #expect(result.stderr.contains("error: run 1 was made with another version of the suite"))
                let misuse = try runProcess(tradeoff, ["run", "suite.yaml", "--retry-errors"], directory: directory.path)
                #expect(misuse.status == 2)
                #expect(misuse.stderr.contains("--retry-errors goes with --resume"))
                let contradiction = try runProcess(tradeoff, ["run", "suite.yaml", "--no-cache", "--cache", "on"],
                                                   directory: directory.path)
                #expect(contradiction.status == 2)
                #expect(contradiction.stderr.contains("--no-cache and --cache on contradict each other; give one"))
            }
        }
    }
}
