import ArgumentParser
import Foundation
import GRDB
import TradeoffKit

/// A run held back by its provider's limits: the fake provider enforces requests and tokens per
/// second (as OpenAI enforces a per-minute limit over shorter periods), and the catalog declares
/// the same limits per minute. Prints the wall time, the least the limits allow, and the 429s.
struct RateLimited: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rate-limited",
                                                    abstract: "Run N calls under requests- and tokens-per-minute limits.")

    @Option var calls = 600
    @Option(help: "Requests per second the provider allows (the catalog declares 60 times as many per minute).")
    var requestsPerSecond = 20
    @Option(help: "Tokens per second the provider allows (prompt plus max_tokens, as OpenAI counts).")
    var tokensPerSecond = 800
    @Option var latencyMs = 50
    @Option var concurrency = 64

    func run() throws {
        let directory = try scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let provider = try FakeProviderProcess(
            directory: directory, latencyMs: latencyMs,
            limits: "{requests: \(requestsPerSecond), tokens: \(tokensPerSecond), window_ms: 1000}")
        defer { provider.stop() }
        let files = try BenchSuite.write(
            in: directory, calls: calls, port: provider.port, concurrency: concurrency, stream: true,
            limits: "requests_per_minute: \(requestsPerSecond * 60), tokens_per_minute: \(tokensPerSecond * 60)")
        let loaded = try SuiteLoader(environment: [:]).load(suitePath: files.suite)
        let databasePath = directory + "/bench.sqlite"
        let store = try ResultStore(path: databasePath)
        let client = try HTTPClient()
        let runner = try Runner(plan: RunPlan(suite: loaded.suite, models: [loaded.models[0]]), store: store,
                                client: client, environment: [:])
        let started = Date()
        let outcome = try runner.run(catalogPath: "bench")
        let wall = Date().timeIntervalSince(started)
        let refusals = provider.refusals(using: client)
        client.shutdown()
        guard outcome.answered == calls else {
            throw ValidationError("only \(outcome.answered) of \(calls) calls answered (\(outcome.failed) failed)")
        }
        try store.close()

        // The provider counts a request's tokens as its prompt plus max_tokens (16 here); the
        // prompts it saw are the input tokens it reported.
        let prompts = try DatabaseQueue(path: databasePath).read { db in
            try Int.fetchOne(db, sql: "SELECT SUM(input_tokens) FROM calls") ?? 0
        }
        let tokens = prompts + 16 * calls
        // Fixed one-second windows from the first request: the last call can start no earlier
        // than the start of the window that the limits let it into.
        let windowsForRequests = (calls + requestsPerSecond - 1) / requestsPerSecond
        let windowsForTokens = (tokens + tokensPerSecond - 1) / tokensPerSecond
        let minimum = Double(max(windowsForRequests, windowsForTokens) - 1) + Double(latencyMs) / 1000
        print("bench wall_seconds \(wall)")
        print("bench minimum_seconds \(minimum)")
        print("bench refusals \(refusals)")
    }
}
