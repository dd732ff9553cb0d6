import FakeProvider
import Foundation
import GRDB
import Testing
import TradeoffTestSupport

/// `run --batch` end to end with the built binary: submitting and leaving (`--no-wait`), being
/// killed while the batches are pending, and resuming, without a batch submitted twice.
struct BatchTests {
    let tradeoff = builtProduct("tradeoff")
    private let cases = 10

    private func withHeldBatches<T>(createReplyDelayMs: Int = 0, _ body: (FakeProviderServer) throws -> T) throws -> T {
        var config = FakeProviderConfig(models: [.init(name: "sim/a"), .init(name: "sim/b")])
        config.batches = .init(held: true, createReplyDelayMs: createReplyDelayMs)
        let server = try FakeProviderServer.start(config: config)
        defer { server.shutdown() }
        return try body(server)
    }

    /// The two-model suite, its models on OpenAI's API (which `--batch` batches) at the fake.
    private func writeSuite(_ directory: TemporaryDirectory, port: Int) throws {
        try directory.writeTwoModelSuite(named: "nightly", cases: cases, port: port)
        try directory.write("models.yaml", """
            models:
              - {id: a, provider: openai, base_url: "http://127.0.0.1:\(port)/v1", model: sim/a, class: open}
              - {id: b, provider: openai, base_url: "http://127.0.0.1:\(port)/v1", model: sim/b, class: open}
            """)
    }

    /// The batches recorded with a provider id, and the calls recorded.
    private func recorded(_ directory: TemporaryDirectory) throws -> (submitted: Int, calls: Int, distinct: Int) {
        guard FileManager.default.fileExists(atPath: directory.file("r.sqlite")) else { return (0, 0, 0) }
        return try DatabaseQueue(path: directory.file("r.sqlite")).read { db in
            guard try db.tableExists("batches") else { return (0, 0, 0) }
            return (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM batches WHERE provider_batch_id IS NOT NULL")!,
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM calls")!,
                    try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT model_id || '/' || case_id) FROM calls")!)
        }
    }

    @Test func noWaitSubmitsAndExitsAndAResumeCollects() throws {
        try withTemporaryDirectory { directory in
            try withHeldBatches { server in
                try writeSuite(directory, port: server.port)
                let submitted = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--quiet", "--no-report",
                                                          "--batch", "--no-wait", "--batch-poll-seconds", "0.01"],
                                               directory: directory.path)
                #expect(submitted.status == 0, "\(submitted.stderr)")
                #expect(submitted.stdout.contains("run 1 interrupted: 0 answered, 0 failed, 20 not started"), "\(submitted.stdout)")
                #expect(submitted.stdout.contains("20 calls are in provider batches; collect them with: tradeoff run suite.yaml "
                                                  + "--db r.sqlite --quiet --no-report --batch --batch-poll-seconds 0.01 "
                                                  + "--resume 1\n"), "\(submitted.stdout)")
                #expect(try recorded(directory).submitted == 2)
                #expect(server.batchesCreated() == 2)

                server.releaseBatches()
                let collected = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--quiet", "--no-report",
                                                          "--batch-poll-seconds", "0.01", "--resume", "1"],
                                               directory: directory.path)
                #expect(collected.status == 0, "\(collected.stderr)")
                #expect(collected.stdout.hasPrefix("run 1 completed: 20 answered, 0 failed, 0 not started"), "\(collected.stdout)")
                #expect(collected.stdout.contains("20 calls answered through provider batches at batch prices (0 of them sent "
                                                  + "again after their requests expired or failed); their latency is not measured"))
                #expect(server.batchesCreated() == 2)
                let row = try recorded(directory)
                #expect(row.calls == 20 && row.distinct == 20)
            }
        }
    }

    /// `kill -9` once the batches are submitted, while the run waits for them: the resume
    /// collects the same batches and submits none.
    @Test func aRunKilledAfterSubmittingIsResumedWithoutSubmittingAgain() throws {
        try withTemporaryDirectory { directory in
            try withHeldBatches { server in
                try writeSuite(directory, port: server.port)
                let process = try startBatchRun(in: directory, ["--batch-poll-seconds", "0.05"])
                #expect(waitUntil { (try? recorded(directory).submitted) == 2 })
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                #expect(process.terminationReason == .uncaughtSignal)
                #expect(try recorded(directory).calls == 0)

                server.releaseBatches()
                let resumed = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--quiet", "--no-report",
                                                        "--batch-poll-seconds", "0.01", "--resume", "1"],
                                             directory: directory.path)
                #expect(resumed.status == 0, "\(resumed.stderr)")
                #expect(resumed.stdout.hasPrefix("run 1 completed: 20 answered"), "\(resumed.stdout)")
                #expect(server.batchesCreated() == 2)
                let row = try recorded(directory)
                #expect(row.calls == 20 && row.distinct == 20)
            }
        }
    }

    /// `kill -9` after the provider made the batches and before the run heard of them: nothing
    /// in the database says they exist but their intents; the resume finds them by their tags
    /// instead of submitting their calls again.
    @Test func aRunKilledBeforeHearingOfItsBatchesFindsThemOnResume() throws {
        try withTemporaryDirectory { directory in
            try withHeldBatches(createReplyDelayMs: 60_000) { server in
                try writeSuite(directory, port: server.port)
                let process = try startBatchRun(in: directory)
                #expect(waitUntil { server.batchesCreated() == 2 })
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                let intents = try DatabaseQueue(path: directory.file("r.sqlite")).read { db in
                    try String.fetchAll(db, sql: "SELECT status FROM batches WHERE provider_batch_id IS NULL")
                }
                #expect(intents == ["uploaded", "uploaded"])

                server.releaseBatches()
                let resumed = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--quiet", "--no-report",
                                                        "--batch-poll-seconds", "0.01", "--resume", "1"],
                                             directory: directory.path)
                #expect(resumed.status == 0, "\(resumed.stderr)")
                #expect(resumed.stdout.hasPrefix("run 1 completed: 20 answered"), "\(resumed.stdout)")
                #expect(server.batchesCreated() == 2)
                let row = try recorded(directory)
                #expect(row.submitted == 2 && row.calls == 20 && row.distinct == 20)
            }
        }
    }

    /// `kill -9` while the run polls its Anthropic Message Batches: the resume collects the same
    /// batches, and the fake's ledger shows every request reached its model exactly once.
    @Test func anAnthropicRunKilledWhilePollingIsResumedWithEveryCallOnce() throws {
        try withTemporaryDirectory { directory in
            try withHeldBatches { server in
                try directory.writeTwoModelSuite(named: "nightly", cases: cases, port: server.port)
                try directory.write("models.yaml", """
                    models:
                      - {id: a, provider: anthropic, base_url: "\(server.rootURL)", model: sim/a, class: open}
                      - {id: b, provider: anthropic, base_url: "\(server.rootURL)", model: sim/b, class: open}
                    """)
                let process = try startBatchRun(in: directory, ["--batch-poll-seconds", "0.05"])
                #expect(waitUntil { (try? recorded(directory).submitted) == 2 })
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                #expect(process.terminationReason == .uncaughtSignal)

                server.releaseBatches()
                let resumed = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--quiet", "--no-report",
                                                        "--batch-poll-seconds", "0.01", "--resume", "1"],
                                             directory: directory.path)
                #expect(resumed.status == 0, "\(resumed.stderr)")
                #expect(resumed.stdout.hasPrefix("run 1 completed: 20 answered"), "\(resumed.stdout)")
                #expect(server.batchesCreated() == 2)
                #expect(server.requestCount(model: "sim/a") == cases && server.requestCount(model: "sim/b") == cases)
                let row = try recorded(directory)
                #expect(row.calls == 20 && row.distinct == 20)
                let ids = try DatabaseQueue(path: directory.file("r.sqlite")).read { db in
                    try String.fetchAll(db, sql: "SELECT provider_batch_id FROM batches")
                }
                #expect(ids.count == 2 && ids.allSatisfy { $0.hasPrefix("msgbatch_") })
            }
        }
    }

    /// `plan --batch`: the batch cost beside the usual one, half for the OpenAI and Anthropic
    /// models, the same for a model that cannot run in batch mode.
    @Test func planWithBatchShowsBothCosts() throws {
        try withTemporaryDirectory { directory in
            try directory.writeTwoModelSuite(named: "nightly", cases: cases, port: 1)
            try directory.write("models.yaml", """
                models:
                  - {id: a, provider: openai, model: gpt-a, class: open, price: {input: 2, output: 4}}
                  - {id: b, provider: anthropic, model: claude-b, class: open, price: {input: 2, output: 4}}
                  - {id: c, preset: vllm, model: qwen, class: open, price: {input: 2, output: 4}}
                """)
            let plan = try runProcess(tradeoff, ["plan", "suite.yaml", "--batch"], directory: directory.path)
            #expect(plan.status == 0, "\(plan.stderr)")
            let lines = plan.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            #expect(plan.stdout.contains("OUTPUT FROM  EST. COST  WITH --BATCH\n"), "\(plan.stdout)")
            let a = try #require(lines.first { $0.first == "a" }), b = try #require(lines.first { $0.first == "b" })
            let total = try #require(lines.first { $0.first == "TOTAL" })
            func micros(_ text: String) -> Double { Double(text.dropFirst()) ?? -1 }
            #expect(micros(a[a.count - 1]) * 2 == micros(a[a.count - 2]), "\(plan.stdout)")
            // Anthropic's Message Batches: half too.
            #expect(micros(b[b.count - 1]) * 2 == micros(b[b.count - 2]), "\(plan.stdout)")
            let c = try #require(lines.first { $0.first == "c" })
            #expect(c.last == "usual", "\(plan.stdout)")
            #expect(micros(total[total.count - 1]) == micros(a[a.count - 1]) + micros(b[b.count - 1]) + micros(c[c.count - 3]),
                    "\(plan.stdout)")
        }
    }

    /// Ctrl-C while the run waits for its batches: it ends at once, leaving them to a resume.
    @Test func ctrlCLeavesTheBatchesToAResume() throws {
        try withTemporaryDirectory { directory in
            try withHeldBatches { server in
                try writeSuite(directory, port: server.port)
                let errors = Pipe()
                let collected = PipeText(errors)
                let process = try startBatchRun(in: directory, ["--batch-poll-seconds", "0.05"], standardError: errors)
                #expect(waitUntil { (try? recorded(directory).submitted) == 2 })
                kill(process.processIdentifier, SIGINT)
                process.waitUntilExit()
                let stderr = collected.finish()
                #expect(process.terminationReason == .exit && process.terminationStatus == 3, "\(stderr)")
                #expect(stderr.contains("20 calls are in provider batches, left for the resume to collect\n"), "\(stderr)")
                #expect(server.batchesCancelled() == 0)
                #expect(stderr.contains("resume with: tradeoff run suite.yaml --db r.sqlite --quiet --no-report --batch "
                                        + "--batch-poll-seconds 0.05 --resume 1\n"), "\(stderr)")
                #expect(server.batchesCreated() == 2)
            }
        }
    }

    /// The run's models: `a` on OpenAI's API, `b` on Anthropic's, both at the fake.
    private func writeMixedSuite(_ directory: TemporaryDirectory, server: FakeProviderServer) throws {
        try directory.writeTwoModelSuite(named: "nightly", cases: cases, port: server.port)
        try directory.write("models.yaml", """
            models:
              - {id: a, provider: openai, base_url: "\(server.baseURL)", model: sim/a, class: open}
              - {id: b, provider: anthropic, base_url: "\(server.rootURL)", model: sim/b, class: open}
            """)
    }

    private func batchStatuses(_ directory: TemporaryDirectory) throws -> [String] {
        try DatabaseQueue(path: directory.file("r.sqlite")).read { db in
            try String.fetchAll(db, sql: "SELECT status FROM batches ORDER BY model_id")
        }
    }

    /// `tradeoff batch cancel`: both providers' batches are cancelled and it is recorded; the
    /// resume collects them and sends none of their requests again.
    @Test func batchCancelCancelsTheRunsBatchesAtBothProviders() throws {
        try withTemporaryDirectory { directory in
            try withHeldBatches { server in
                try writeMixedSuite(directory, server: server)
                let submitted = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--quiet", "--no-report",
                                                          "--batch", "--no-wait"], directory: directory.path)
                #expect(submitted.status == 0, "\(submitted.stderr)")
                let cancel = try runProcess(tradeoff, ["batch", "cancel", "suite.yaml", "latest", "--db", "r.sqlite"],
                                            directory: directory.path)
                #expect(cancel.status == 0, "\(cancel.stderr)")
                let lines = cancel.stdout.split(separator: "\n").map(String.init)
                #expect(lines.count == 2 && lines.allSatisfy { $0.hasPrefix("cancelled batch ") }, "\(cancel.stdout)")
                #expect(cancel.stdout.contains("(cancelling)") && cancel.stdout.contains("(canceling)"))
                #expect(server.batchesCancelled() == 2)
                #expect(try batchStatuses(directory) == ["cancelling", "canceling"])

                let again = try runProcess(tradeoff, ["batch", "cancel", "suite.yaml", "1", "--db", "r.sqlite"],
                                           directory: directory.path)
                #expect(again.stdout == "2 batches were already over or being cancelled\nrun 1 has no batch running at the provider\n",
                        "\(again.stdout)")
                #expect(server.batchesCancelled() == 2)

                let resumed = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--quiet", "--no-report",
                                                        "--batch-poll-seconds", "0.01", "--resume", "1"],
                                             directory: directory.path)
                #expect(resumed.status == 3)
                #expect(resumed.stdout.hasPrefix("run 1 incomplete: 0 answered, 20 failed"), "\(resumed.stdout)")
                #expect(server.batchesCreated() == 2)
            }
        }
    }

    @Test func batchCancelNamesAMissingRun() throws {
        try withTemporaryDirectory { directory in
            try withHeldBatches { server in
                try writeMixedSuite(directory, server: server)
                _ = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--quiet", "--no-report", "--batch",
                                              "--no-wait"], directory: directory.path)
                let result = try runProcess(tradeoff, ["batch", "cancel", "suite.yaml", "7", "--db", "r.sqlite"],
                                            directory: directory.path)
                #expect(result.status == 2)
                #expect(result.stderr == "error: no run '7' in 'r.sqlite'; runs: 1\n", "\(result.stderr)")
            }
        }
    }

    /// Ctrl-C twice while the run waits for its batches: the providers' batches are cancelled.
    @Test func ctrlCTwiceCancelsTheBatchesAtTheProviders() throws {
        try withTemporaryDirectory { directory in
            try withHeldBatches { server in
                try writeMixedSuite(directory, server: server)
                let errors = Pipe()
                let collected = PipeText(errors)
                let process = try startBatchRun(in: directory, ["--batch-poll-seconds", "0.05"], standardError: errors)
                #expect(waitUntil { (try? recorded(directory).submitted) == 2 })
                kill(process.processIdentifier, SIGINT)
                #expect(waitUntil { collected.text.contains("Ctrl-C again") })
                kill(process.processIdentifier, SIGINT)
                process.waitUntilExit()
                let stderr = collected.finish()
                #expect(process.terminationStatus == 3, "\(stderr)")
                #expect(server.batchesCancelled() == 2, "\(stderr)")
                #expect(try batchStatuses(directory) == ["cancelling", "canceling"])
            }
        }
    }

    /// A compatible host without a known Batch API (here one without a preset) runs as usual.
    @Test func batchLeavesHostsWithoutABatchAPIToRunAsUsual() throws {
        try withTemporaryDirectory { directory in
            try withHeldBatches { server in
                try directory.writeTwoModelSuite(named: "nightly", cases: cases, port: server.port)
                let result = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--quiet", "--no-report",
                                                       "--batch"], directory: directory.path)
                #expect(result.status == 0, "\(result.stderr)")
                #expect(result.stderr.contains("warning: a runs as usual: its host is not known to serve OpenAI's Batch API "
                                               + "(set 'batch: true' on it in the catalog if it does)\n"), "\(result.stderr)")
                #expect(result.stdout.hasPrefix("run 1 completed: 20 answered"))
                #expect(server.batchesCreated() == 0)
            }
        }
    }

    /// `--batch-fallback` end to end: the expired requests are made as ordinary calls, and the
    /// run's last lines say how many.
    @Test func batchFallbackRetriesExpiredRequestsAsOrdinaryCalls() throws {
        try withTemporaryDirectory { directory in
            var config = FakeProviderConfig(models: [.init(name: "sim/a"), .init(name: "sim/b")])
            config.batches = .init(expireRequests: 3)
            let server = try FakeProviderServer.start(config: config)
            defer { server.shutdown() }
            try writeMixedSuite(directory, server: server)
            let result = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--quiet", "--no-report", "--batch",
                                                   "--batch-fallback", "--batch-poll-seconds", "0.01"],
                                        directory: directory.path)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.hasPrefix("run 1 completed: 20 answered"), "\(result.stdout)")
            #expect(result.stdout.contains("17 calls answered through provider batches"), "\(result.stdout)")
            #expect(result.stdout.contains("3 requests that expired or failed in their batch were sent again as ordinary "
                                           + "calls, at the usual price (--batch-fallback)\n"), "\(result.stdout)")
            #expect(server.batchesCreated() == 2)
        }
    }

    @Test func batchFallbackNeedsBatch() throws {
        let result = try runProcess(tradeoff, ["run", "suite.yaml", "--batch-fallback"], directory: NSTemporaryDirectory())
        #expect(result.status == 2)
        #expect(result.stderr.contains("Error: --batch-fallback goes with --batch (it retries failed batch requests as "
                                       + "ordinary calls)"), "\(result.stderr)")
    }

    @Test func noWaitNeedsBatch() throws {
        let result = try runProcess(tradeoff, ["run", "suite.yaml", "--no-wait"], directory: NSTemporaryDirectory())
        #expect(result.status == 2)
        #expect(result.stderr.contains("Error: --no-wait goes with --batch (it leaves the batches for --resume to collect)"),
                "\(result.stderr)")
    }

    /// Starts `tradeoff run suite.yaml --batch` in `directory` as a child process (stdout
    /// discarded), for the tests that kill or interrupt it while it waits on its batches.
    private func startBatchRun(in directory: TemporaryDirectory, _ extra: [String] = [],
                               standardError: Any = FileHandle.nullDevice) throws -> Process {
        let process = Process()
        process.executableURL = tradeoff
        process.arguments = ["run", "suite.yaml", "--db", "r.sqlite", "--quiet", "--no-report", "--batch"] + extra
        process.currentDirectoryURL = URL(fileURLWithPath: directory.path)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = standardError
        try process.run()
        return process
    }

    @Test func batchCancelHelpHasAnExample() throws {
        let help = try runProcess(tradeoff, ["batch", "cancel", "--help"], directory: NSTemporaryDirectory())
        #expect(help.stdout.contains("  tradeoff batch cancel suites/nightly.yaml latest\n"), "\(help.stdout)")
    }

    @Test func runHelpDocumentsBatchMode() throws {
        let help = try runProcess(tradeoff, ["run", "--help"], directory: NSTemporaryDirectory())
        #expect(help.stdout.contains("--batch"))
        #expect(help.stdout.contains("--no-wait"))
        #expect(help.stdout.contains("--batch-fallback"))
        #expect(help.stdout.contains("  tradeoff run nightly.yaml --batch --no-wait  # submit and exit; later:\n"))
    }
}
