import FakeProvider
import Foundation
import GRDB
import Testing
import TradeoffTestSupport

/// `run --batch` killed with SIGKILL at one moment after another of its batches' lives —
/// uploading, creating (before the provider made the batch, and after it made it but before
/// the answer came), listing on resume, polling, reading the results — and resumed each time.
/// The moment is the fake provider's: it withholds the replies of one step, so the test kills
/// the process while a request of that step is in flight, never after a guessed sleep.
struct BatchKillTests {
    let tradeoff = builtProduct("tradeoff")
    private let cases = 10
    private let repeats = 2

    /// One kill: where the fake withholds replies, whether the request takes effect first, and
    /// how many withheld replies to wait for (2: both models' requests are in flight).
    struct Moment: CustomStringConvertible {
        var step: BatchStep
        var acting = false
        var waitFor = 1
        /// Let the held batches end first (so results can be read).
        var release = false

        var description: String { "\(step.rawValue)\(acting ? " (acted on)" : "")" }
    }

    static let moments = [
        Moment(step: .upload),
        Moment(step: .create, waitFor: 2),
        Moment(step: .create, acting: true, waitFor: 2),
        Moment(step: .list),
        Moment(step: .status),
        Moment(step: .results, release: true),
    ]

    /// Both models on OpenAI's Batch API, then one on OpenAI's and one on Anthropic's Message
    /// Batches (which have no upload, so the kills start at creation). A Message Batch
    /// has no tag, so a lost one is recognized by its creation time and size: two Anthropic
    /// models with as many requests, both lost at once, could each take the other's batch, and
    /// their requests would be sent again (never answered by the wrong model). See AnthropicBatch.
    @Test(arguments: [["openai", "openai"], ["openai", "anthropic"]])
    func aRunKilledAtEachMomentAndResumedRecordsEveryCallOnceAndSubmitsNothingTwice(providers: [String]) throws {
        try withTemporaryDirectory { directory in
            var config = FakeProviderConfig(models: [.init(name: "sim/a"), .init(name: "sim/b")])
            config.batches = .init(held: true)
            let server = try FakeProviderServer.start(config: config)
            defer { server.shutdown() }
            try writeSuite(directory, providers: providers, server: server)
            // With an Anthropic model, the OpenAI one alone uploads: the first kill is at creation.
            let moments = providers.allSatisfy { $0 == "openai" } ? Self.moments : Array(Self.moments.dropFirst())

            for (index, moment) in moments.enumerated() {
                if moment.release { server.releaseBatches() }
                server.withholdReplies(at: moment.step, acting: moment.acting)
                let process = try start(in: directory, resuming: index > 0)
                let reached = waitUntil { server.withheldReplies() >= moment.waitFor }
                #expect(reached, "never reached \(moment)")
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                #expect(process.terminationReason == .uncaughtSignal, "\(moment)")
                server.withholdReplies(at: nil)
                guard reached else { return }
            }

            let resumed = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--quiet", "--no-report",
                                                    "--batch", "--batch-poll-seconds", "0.01", "--resume", "1"],
                                         directory: directory.path)
            let total = 2 * cases * repeats
            #expect(resumed.status == 0, "\(resumed.stderr)")
            #expect(resumed.stdout.hasPrefix("run 1 completed: \(total) answered, 0 failed"), "\(resumed.stdout)")
            let (calls, distinct) = try DatabaseQueue(path: directory.file("r.sqlite")).read { db in
                (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM calls") ?? -1,
                 try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (SELECT DISTINCT model_id, task_id, case_id, "
                                  + "repeat_index FROM calls)") ?? -1)
            }
            #expect(calls == total && distinct == total)
            // Every request was in exactly one batch the provider made, and reached its model once.
            let submissions = server.batchSubmissions()
            #expect(submissions.count == total, "\(submissions)")
            #expect(submissions.values.allSatisfy { $0 == 1 }, "\(submissions.filter { $0.value != 1 })")
            #expect(server.batchesCreated() == 2)
            #expect(server.requestCount(model: "sim/a") == cases * repeats)
            #expect(server.requestCount(model: "sim/b") == cases * repeats)
        }
    }

    private func writeSuite(_ directory: TemporaryDirectory, providers: [String], server: FakeProviderServer) throws {
        let list = (1...cases).map { "      - {id: c\($0), vars: {a: \"\($0)\"}}" }.joined(separator: "\n")
        try directory.write("suite.yaml", """
            suite: nightly
            models: models.yaml
            tasks:
              - id: sums
                prompt: "Compute: {{a}} + 1"
                graders: [{type: contains, value: "1"}]
                repeats: \(repeats)
                cases:
            \(list)
            """)
        func base(_ provider: String) -> String { provider == "openai" ? server.baseURL : server.rootURL }
        try directory.write("models.yaml", """
            models:
              - {id: a, provider: \(providers[0]), base_url: "\(base(providers[0]))", model: sim/a, class: open}
              - {id: b, provider: \(providers[1]), base_url: "\(base(providers[1]))", model: sim/b, class: open}
            """)
    }

    /// Starts `tradeoff run suite.yaml --batch` (or its resume) in `directory`, output discarded.
    private func start(in directory: TemporaryDirectory, resuming: Bool) throws -> Process {
        let process = Process()
        process.executableURL = tradeoff
        process.arguments = ["run", "suite.yaml", "--db", "r.sqlite", "--quiet", "--no-report", "--batch",
                             "--batch-poll-seconds", "0.01"] + (resuming ? ["--resume", "1"] : [])
        process.currentDirectoryURL = URL(fileURLWithPath: directory.path)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
}
