import FakeProvider
import Foundation
import Synchronization
import Testing
import TradeoffKit
import TradeoffTestSupport

/// The runner against a fake provider that enforces limits the way providers do: 429s over
/// them, and rate-limit headers on every answer.
@Suite(.serialized)
struct RateLimitTests {
    private func suite(cases: Int) -> Suite {
        let task = SuiteTask(id: "echo", system: nil, prompt: Template("Say {{n}}."),
                             settings: TaskSettings(temperature: 0, maxTokens: 16, threshold: 0),
                             graders: [GraderSpec(.contains(value: Template("{{n}}"), ignoreCase: false))],
                             cases: (1...cases).map { TestCase(id: "c\($0)", variables: ["n": "\($0)"]) })
        return Suite(name: "limits", description: nil, path: "limits.yaml", contentHash: "h", tasks: [task])
    }

    private func run(_ models: [ModelEntry], cases: Int, in directory: TemporaryDirectory,
                     progress: TradeoffKit.Progress? = nil) throws -> Runner.Outcome {
        let store = try ResultStore(path: directory.file("run.sqlite"))
        let client = try HTTPClient()
        defer { client.shutdown() }
        let runner = try Runner(plan: RunPlan(suite: suite(cases: cases), models: models), store: store, client: client,
                                environment: ["TRADEOFF_TEST_KEY": "test-key"], progress: progress)
        return try runner.run(catalogPath: "models.yaml")
    }

    /// A server that answers 3 at a time and refuses the rest with 429: the catalog allows 16,
    /// so without AIMD most of the first burst would fail after its retries. With it the window
    /// shrinks to what the server takes, every call is answered and few are refused.
    @Test func aimdShrinksToWhatTheServerTakes() throws {
        let limited = FakeProviderConfig.Model(name: "sim/narrow", latencyMs: 30,
                                               limits: .init(maxConcurrency: 3))
        try withTemporaryDirectory { directory in
            try withFakeProvider(models: [limited]) { server in
                let model = fakeModelEntry(id: "narrow", served: "sim/narrow", server: server, maxConcurrency: 16)
                let output = Mutex("")
                let progress = TradeoffKit.Progress(mode: .plain(interval: 3_600)) { text in output.withLock { $0 += text } }
                let outcome = try run([model], cases: 120, in: directory, progress: progress)
                // The cut is told, with what the model is held to now.
                #expect(output.withLock { $0 }.contains("narrow: HTTP 429 from the provider; at most 8 calls in flight until "
                                                        + "answers come back"))
                #expect(outcome.status == .completed)
                #expect(outcome.answered == 120)
                let refused = server.faultCounts()["sim/narrow"]?["limited"] ?? 0
                #expect(refused > 0, "the burst at the start goes over the server's limit")
                #expect(refused < 40, "AIMD keeps the refusals to a fraction of the calls, got \(refused)")
                #expect(server.peakInFlight(model: "sim/narrow") == 3)
            }
        }
    }

    /// A server allowing 8 requests a second and saying so in OpenAI's headers: the runner stops
    /// starting calls when the headers say none are left, instead of learning from 429s.
    @Test func rateLimitHeadersThrottleAheadOfTime() throws {
        let limited = FakeProviderConfig.Model(name: "sim/metered", latencyMs: 5,
                                               limits: .init(requests: 8, windowMs: 1_000))
        try withTemporaryDirectory { directory in
            try withFakeProvider(models: [limited]) { server in
                let model = fakeModelEntry(id: "metered", served: "sim/metered", server: server, maxConcurrency: 4)
                let started = Date()
                let outcome = try run([model], cases: 20, in: directory)
                #expect(outcome.answered == 20)
                let refused = server.faultCounts()["sim/metered"]?["limited"] ?? 0
                // Only the first burst, sent before any header came back, can be refused.
                #expect(refused <= 4, "got \(refused) refusals")
                // 20 requests at 8 a window need three windows: the run waited for the resets.
                #expect(Date().timeIntervalSince(started) >= 2)
            }
        }
    }

    /// With the provider's limit in the catalog, no call is ever refused.
    @Test func requestsPerMinuteInTheCatalogAvoidsEveryRefusal() throws {
        let limited = FakeProviderConfig.Model(name: "sim/metered", latencyMs: 5,
                                               limits: .init(requests: 10, windowMs: 1_000))
        try withTemporaryDirectory { directory in
            try withFakeProvider(models: [limited]) { server in
                var model = fakeModelEntry(id: "metered", served: "sim/metered", server: server, maxConcurrency: 8)
                // 600 a minute: 10 at once, then one every 100 ms — never 10 in a fixed second plus more.
                model.rateLimits = RateLimits(requestsPerMinute: 300)
                let outcome = try run([model], cases: 15, in: directory)
                #expect(outcome.answered == 15)
                #expect(server.faultCounts()["sim/metered"]?["limited"] == nil)
            }
        }
    }

    /// Limits declared at exactly what a provider counting in fixed one-second windows allows:
    /// a token bucket refilling while it drained let a second see more than that (429s), and
    /// giving back the unused `max_tokens` let the tokens outpace the limiter.
    @Test func limitsDeclaredAtTheProvidersOwnAreNeverPassed() throws {
        // "Say N." is 5 prompt tokens as the provider counts (2 of text, 3 per message) plus 16
        // of max_tokens: 210 tokens a second is 10 calls; 12 requests a second would be more.
        let limited = FakeProviderConfig.Model(name: "sim/metered", latencyMs: 20,
                                               limits: .init(requests: 12, tokens: 210, windowMs: 1_000))
        try withTemporaryDirectory { directory in
            try withFakeProvider(models: [limited]) { server in
                var model = fakeModelEntry(id: "metered", served: "sim/metered", server: server, maxConcurrency: 8)
                model.rateLimits = RateLimits(requestsPerMinute: 12 * 60, tokensPerMinute: 210 * 60)
                let outcome = try run([model], cases: 36, in: directory)
                #expect(outcome.answered == 36)
                #expect(server.faultCounts()["sim/metered"]?["limited"] == nil)
            }
        }
    }

    /// Two models sharing their provider's concurrency of 3: neither ever has more in flight,
    /// though each alone may have 8.
    @Test func sharedLimitsHoldAcrossModels() throws {
        let models = ["sim/a", "sim/b"].map {
            FakeProviderConfig.Model(name: $0, latencyMs: 20, limits: .init(maxConcurrency: 100))
        }
        try withTemporaryDirectory { directory in
            try withFakeProvider(models: models) { server in
                let shared = SharedLimits(name: "fake", limits: RateLimits(maxConcurrency: 3))
                var a = fakeModelEntry(id: "a", served: "sim/a", server: server, maxConcurrency: 8)
                var b = fakeModelEntry(id: "b", served: "sim/b", server: server, maxConcurrency: 8)
                a.sharedLimits = shared
                b.sharedLimits = shared
                let outcome = try run([a, b], cases: 30, in: directory)
                #expect(outcome.answered == 60)
                #expect(server.peakInFlight(model: "sim/a") <= 3 && server.peakInFlight(model: "sim/b") <= 3)
            }
        }
    }
}
