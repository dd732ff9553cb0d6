import FakeProvider
import Foundation
import GRDB
import Testing
import TradeoffTestSupport

/// A run has one owner at a time: two processes resuming it would pay twice for its calls.
struct RunOwnerTests {
    let tradeoff = builtProduct("tradeoff")

    private func write(_ directory: TemporaryDirectory, port: Int) throws {
        try directory.writeTwoModelSuite(named: "shared", cases: 12, port: port)
    }

    private let resume = ["run", "suite.yaml", "--db", "r.sqlite", "--quiet", "--no-report", "--resume", "1"]

    private func refusal(_ owner: String) -> String {
        "\nerror: run 1 is being made by another tradeoff (\(owner), alive "
    }

    private let refusalEnd = "s ago); nothing was started, so no call is made twice. Wait for it to end, or stop it and "
        + "resume then; if it died without ending the run, it can be resumed once 30s have passed without its heartbeat\n"

    /// While one process makes a run, a second one resuming it is refused before it makes any
    /// call (it made them all again, then failed on a UNIQUE constraint).
    @Test func aSecondProcessResumingTheSameRunIsRefused() throws {
        try withTemporaryDirectory { directory in
            // Answers take 10 s: the first process's calls are in flight while the second starts.
            try withFakeProvider(apiKey: nil, models: [.init(name: "sim/a", latencyMs: 10_000),
                                                      .init(name: "sim/b", latencyMs: 10_000)]) { server in
                try write(directory, port: server.port)
                let first = Process()
                first.executableURL = tradeoff
                first.arguments = ["run", "suite.yaml", "--db", "r.sqlite", "--quiet", "--no-report"]
                first.currentDirectoryURL = URL(fileURLWithPath: directory.path)
                first.standardOutput = FileHandle.nullDevice
                first.standardError = FileHandle.nullDevice
                try first.run()
                #expect(waitUntil { server.requestCount(model: "sim/a") + server.requestCount(model: "sim/b") == 8 })
                let second = try runProcess(tradeoff, resume, directory: directory.path)
                // Still the first process's 8 calls: the second made none.
                let requests = server.requestCount(model: "sim/a") + server.requestCount(model: "sim/b")
                kill(first.processIdentifier, SIGKILL)
                first.waitUntilExit()
                #expect(second.status == 2)
                #expect(second.stderr.contains(refusal("process \(first.processIdentifier)")), "\(second.stderr)")
                #expect(second.stderr.hasSuffix(refusalEnd), "\(second.stderr)")
                #expect(requests == 8)
            }
            // Its owner gone, the run is resumed and completed, each call made once.
            try withFakeProvider(apiKey: nil, models: [.init(name: "sim/a"), .init(name: "sim/b")]) { server in
                try write(directory, port: server.port)
                let resumed = try runProcess(tradeoff, resume, directory: directory.path)
                #expect(resumed.status == 0, "\(resumed.stderr)")
                #expect(server.requestCount(model: "sim/a") + server.requestCount(model: "sim/b") == 24)
            }
        }
    }

    /// An owner on another host (a shared database) cannot be checked: its run is taken over only
    /// once its heartbeat is older than 30 seconds.
    @Test func aRunWhoseOwnerStoppedBeatingCanBeResumed() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: nil, models: [.init(name: "sim/a"), .init(name: "sim/b")]) { server in
                try write(directory, port: server.port)
                let first = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--quiet", "--no-report"],
                                           directory: directory.path)
                #expect(first.status == 0)
                // As a process on another host left it when it died: running, owned, its calls half made.
                func own(heartbeatSecondsAgo: Int) throws {
                    try DatabaseQueue(path: directory.file("r.sqlite")).write { db in
                        try db.execute(sql: "DELETE FROM calls WHERE model_id = 'b'")
                        try db.execute(sql: """
                            UPDATE runs SET status = 'running', finished_at = NULL, owner_host = 'elsewhere', owner_pid = 1,
                              heartbeat_at = datetime('now', '-\(heartbeatSecondsAgo) seconds')
                            """)
                    }
                }
                try own(heartbeatSecondsAgo: 10)
                let refused = try runProcess(tradeoff, resume, directory: directory.path)
                #expect(refused.status == 2)
                #expect(refused.stderr.contains(refusal("process 1 on elsewhere")), "\(refused.stderr)")
                #expect(refused.stderr.hasSuffix(refusalEnd))
                #expect(server.requestCount(model: "sim/b") == 12)

                try own(heartbeatSecondsAgo: 31)
                let resumed = try runProcess(tradeoff, resume, directory: directory.path)
                #expect(resumed.status == 0, "\(resumed.stderr)")
                #expect(server.requestCount(model: "sim/b") == 24)
                let owner = try DatabaseQueue(path: directory.file("r.sqlite")).read { db in
                    try Row.fetchOne(db, sql: "SELECT status, owner_host, owner_pid FROM runs WHERE id = 1")!
                }
                #expect(owner["status"] as String == "completed")
                #expect(owner["owner_host"] as String? == nil)
            }
        }
    }

    /// A run whose owner was killed with `kill -9` on this host is resumed at once: the owner's
    /// process is gone.
    @Test func aRunWhoseOwnerWasKilledIsResumedAtOnce() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: nil, models: [.init(name: "sim/a", latencyMs: 3_000),
                                                      .init(name: "sim/b", latencyMs: 3_000)]) { server in
                try write(directory, port: server.port)
                let first = Process()
                first.executableURL = tradeoff
                first.arguments = ["run", "suite.yaml", "--db", "r.sqlite", "--quiet", "--no-report"]
                first.currentDirectoryURL = URL(fileURLWithPath: directory.path)
                first.standardOutput = FileHandle.nullDevice
                first.standardError = FileHandle.nullDevice
                try first.run()
                #expect(waitUntil { server.requestCount(model: "sim/a") + server.requestCount(model: "sim/b") == 8 })
                kill(first.processIdentifier, SIGKILL)
                first.waitUntilExit()
            }
            try withFakeProvider(apiKey: nil, models: [.init(name: "sim/a"), .init(name: "sim/b")]) { server in
                try write(directory, port: server.port)
                let resumed = try runProcess(tradeoff, resume, directory: directory.path)
                #expect(resumed.status == 0, "\(resumed.stderr)")
                #expect(resumed.stdout.hasPrefix("run 1 completed: 24 answered"), "\(resumed.stdout)")
            }
        }
    }
}
