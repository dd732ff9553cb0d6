import FakeProvider
import Foundation
import GRDB
import Testing
import TradeoffTestSupport

/// Signals, pipes, disks and other processes: what a run does when its world ends around it.
struct SignalTests {
    let tradeoff = builtProduct("tradeoff")
    /// The test runner ignores SIGPIPE, and a child inherits what is ignored: `env` gives the
    /// child the default actions a shell in CI gives it (SIGPIPE and SIGXFSZ kill).
    let withDefaultSignals = ["/usr/bin/env", "--default-signal=PIPE,XFSZ"]

    private func write(_ directory: TemporaryDirectory, port: Int, cases count: Int = 60) throws {
        try directory.writeTwoModelSuite(named: "stoppable", cases: count, port: port)
    }

    private func start(_ arguments: [String], in directory: TemporaryDirectory, output: Pipe) throws -> Process {
        let process = Process()
        process.executableURL = tradeoff
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory.path)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = output
        try process.run()
        return process
    }

    private func runRow(_ directory: TemporaryDirectory) throws -> (calls: Int, distinct: Int, status: String) {
        try DatabaseQueue(path: directory.file("r.sqlite")).read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM calls")!,
             try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT model_id || '/' || case_id || '/' || repeat_index) FROM calls")!,
             try String.fetchOne(db, sql: "SELECT status FROM runs WHERE id = 1") ?? "no run")
        }
    }

    private func resumeCompletes(_ directory: TemporaryDirectory, cases: Int = 60) throws {
        try withFakeProvider(apiKey: nil, models: [.init(name: "sim/a"), .init(name: "sim/b")]) { server in
            try write(directory, port: server.port, cases: cases)
            let resumed = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--quiet", "--no-report",
                                                    "--resume", "1"], directory: directory.path)
            #expect(resumed.status == 0, "\(resumed.stderr)")
            #expect(resumed.stdout.hasPrefix("run 1 completed: \(2 * cases) answered, 0 failed, 0 not started"),
                    "\(resumed.stdout)")
        }
        let row = try runRow(directory)
        #expect(row.calls == 2 * cases && row.distinct == 2 * cases)
    }

    /// `docker stop`, Kubernetes and a cancelled CI job send SIGTERM; a closed terminal SIGHUP:
    /// like Ctrl-C, the calls in flight finish and are recorded, and the run can be resumed.
    @Test(arguments: [(SIGTERM, "SIGTERM"), (SIGHUP, "SIGHUP")])
    func stopSignalsFinishTheCallsInFlight(signal: Int32, name: String) throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: nil, models: [.init(name: "sim/a", latencyMs: 3_000),
                                                      .init(name: "sim/b", latencyMs: 3_000)]) { server in
                try write(directory, port: server.port)
                let errors = Pipe()
                let collected = PipeText(errors)
                let process = try start(["run", "suite.yaml", "--db", "r.sqlite", "--quiet", "--no-report"],
                                        in: directory, output: errors)
                #expect(waitUntil { server.requestCount(model: "sim/a") + server.requestCount(model: "sim/b") == 8 })
                kill(process.processIdentifier, signal)
                process.waitUntilExit()
                let stderr = collected.finish()
                #expect(process.terminationReason == .exit && process.terminationStatus == 3, "\(stderr)")
                #expect(stderr.contains("\n\(name) received: finishing the calls in flight for up to 8s, then abandoning "
                                        + "them (a second signal abandons them now)\n"), "\(stderr)")
                #expect(stderr.contains("resume with: tradeoff run suite.yaml --db r.sqlite --quiet --no-report --resume 1\n"))
                let row = try runRow(directory)
                #expect(row.status == "interrupted")
                #expect(row.calls == 8)
            }
            try resumeCompletes(directory)
        }
    }

    /// Calls that do not finish within the grace period are abandoned, so the run is recorded as
    /// interrupted before docker's SIGKILL comes; a second SIGTERM abandons them at once.
    @Test(arguments: [1, 2])
    func callsInFlightAreAbandonedAfterTheGracePeriod(signals: Int) throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: nil, models: [.init(name: "sim/a", latencyMs: 20_000),
                                                      .init(name: "sim/b", latencyMs: 20_000)]) { server in
                try write(directory, port: server.port)
                let errors = Pipe()
                let collected = PipeText(errors)
                let process = try start(["run", "suite.yaml", "--db", "r.sqlite", "--quiet", "--no-report"],
                                        in: directory, output: errors)
                #expect(waitUntil { server.requestCount(model: "sim/a") + server.requestCount(model: "sim/b") == 8 })
                kill(process.processIdentifier, SIGTERM)
                if signals == 2 {
                    #expect(waitUntil { collected.text.contains("SIGTERM received") })
                    kill(process.processIdentifier, SIGTERM)
                }
                process.waitUntilExit()
                let stderr = collected.finish()
                #expect(process.terminationStatus == 3, "\(stderr)")
                if signals == 1 {
                    #expect(stderr.contains("the calls still in flight after 8s are abandoned: they are not recorded, "
                                            + "and a resume makes them\n"), "\(stderr)")
                } else {
                    #expect(stderr.contains("abandoning the calls in flight: they are not recorded, and a resume makes "
                                            + "them (SIGTERM again to quit at once)\n"), "\(stderr)")
                }
                #expect(stderr.contains("resume with: "))
                let row = try runRow(directory)
                #expect(row.status == "interrupted")
                #expect(row.calls == 0)
            }
        }
    }

    /// `tradeoff run ... 2>&1 | head -1`: the reader goes away after one line. The run goes on
    /// without its output and records every call (SIGPIPE killed it with nothing recorded).
    @Test func aClosedOutputEndsTheOutputNotTheRun() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: nil, models: [.init(name: "sim/a", latencyMs: 50),
                                                      .init(name: "sim/b", latencyMs: 50)]) { server in
                try write(directory, port: server.port)
                let output = Pipe()
                let process = Process()
                process.executableURL = URL(fileURLWithPath: withDefaultSignals[0])
                process.arguments = withDefaultSignals.dropFirst() + [tradeoff.path, "run", "suite.yaml", "--db", "r.sqlite"]
                process.currentDirectoryURL = URL(fileURLWithPath: directory.path)
                process.standardInput = FileHandle.nullDevice
                process.standardOutput = output
                process.standardError = output
                try process.run()
                // `head -1`: read up to the first newline, then close the only read end.
                let reader = output.fileHandleForReading
                var first = Data()
                while !first.contains(UInt8(ascii: "\n")) {
                    let chunk = try reader.read(upToCount: 1) ?? Data()
                    if chunk.isEmpty { break }
                    first.append(chunk)
                }
                try reader.close()
                process.waitUntilExit()
                #expect(!first.isEmpty)
                #expect(process.terminationReason == .exit && process.terminationStatus == 0)
                let row = try runRow(directory)
                #expect(row.status == "completed")
                #expect(row.calls == 120)
            }
        }
    }

    /// A disk that fills up during the run (here: a file size limit, which needs no mount and
    /// fails writes with EFBIG as a full disk fails them with ENOSPC) stops the run as
    /// interrupted, with the command to resume it; the resume completes it.
    @Test func aFullDiskStopsTheRunAsInterrupted() throws {
        let prlimit = "/usr/bin/prlimit"
        try #require(FileManager.default.isExecutableFile(atPath: prlimit), "util-linux's prlimit sets the file size limit")
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: nil, models: [.init(name: "sim/a", latencyMs: 5), .init(name: "sim/b", latencyMs: 5)]) {
                server in
                // The schema (its migrations pass through the write-ahead log) and the run's first
                // rows fit under the limit; 4,000 calls do not.
                try write(directory, port: server.port, cases: 2_000)
                let limit = 1_024 * 1024
                let full = try runProcess(URL(fileURLWithPath: prlimit),
                                          ["--fsize=\(limit)"] + withDefaultSignals
                                            + [tradeoff.path, "run", "suite.yaml", "--db", "r.sqlite", "--quiet", "--no-report"],
                                          directory: directory.path)
                #expect(full.status == 3, "\(full.stderr)")
                #expect(full.stderr.contains("\nerror: r.sqlite: database error: "), "\(full.stderr)")
                #expect(full.stderr.hasSuffix("\nthe run stopped, as interrupted: the calls recorded are kept and a resume "
                                              + "makes the others; free some space, then resume with: tradeoff run suite.yaml "
                                              + "--db r.sqlite --quiet --no-report --resume 1\n"), "\(full.stderr)")
                let row = try runRow(directory)
                #expect(row.status == "interrupted")
                #expect(row.calls < 4_000)
            }
            try resumeCompletes(directory, cases: 2_000)
        }
    }

    /// A model stopped (its name is not served: 404) and then a SIGTERM: the closing summary and
    /// the run's row keep both causes, where the row used to keep the signal's alone.
    @Test func theClosingSummaryNamesEveryCause() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: nil, models: [.init(name: "sim/a", latencyMs: 3_000)]) { server in
                try write(directory, port: server.port)
                let (output, errors) = (Pipe(), Pipe())
                let (stdout, stderr) = (PipeText(output), PipeText(errors))
                let process = Process()
                process.executableURL = tradeoff
                process.arguments = ["run", "suite.yaml", "--db", "r.sqlite", "--quiet", "--no-report"]
                process.currentDirectoryURL = URL(fileURLWithPath: directory.path)
                process.standardInput = FileHandle.nullDevice
                process.standardOutput = output
                process.standardError = errors
                try process.run()
                #expect(waitUntil { server.requestCount(model: "sim/a") == 4 && server.requestCount(model: "sim/b") >= 3 })
                kill(process.processIdentifier, SIGTERM)
                process.waitUntilExit()
                let (printed, warned) = (stdout.finish(), stderr.finish())
                #expect(process.terminationStatus == 3, "\(warned)")
                #expect(printed.contains("\nwhy it stopped early: a model was stopped (b stopped: 3 calls in a row failed "
                                         + "with not_found (HTTP 404): "), "\(printed)")
                #expect(printed.contains("); it was interrupted\n"), "\(printed)")
                let stored = try DatabaseQueue(path: directory.file("r.sqlite")).read { db in
                    try String.fetchOne(db, sql: "SELECT stop_reason FROM runs WHERE id = 1")
                }
                let lines = stored?.split(separator: "\n") ?? []
                #expect(lines.count == 2 && lines.first?.hasPrefix("b stopped: 3 calls in a row") == true
                        && lines.last == "cancelled", "\(stored ?? "nil")")
            }
        }
    }
}
