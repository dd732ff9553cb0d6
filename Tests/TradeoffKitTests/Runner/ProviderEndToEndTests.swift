import FakeProvider
import Foundation
import Testing
import TradeoffKit
import TradeoffTestSupport

/// The runner against the fake provider speaking each wire format, with faults injected.
@Suite(.serialized)
struct ProviderEndToEndTests {
    private static let formats: [(ProviderKind, String)] = [
        (.openAI, "sim/openai"), (.anthropic, "sim/anthropic"), (.gemini, "sim/gemini"), (.azureOpenAI, "sim/azure"),
    ]

    private static let price = Price(inputPerMillion: Decimal(string: "3")!, outputPerMillion: Decimal(string: "15")!,
                                     cachedInputPerMillion: Decimal(string: "0.3")!)

    private func suite(cases: Int) -> Suite {
        let cases = (1...cases).map { index in
            TestCase(id: "c\(index)", variables: ["a": "\(index)", "b": "\(index * 7)", "sum": "\(index * 8)"])
        }
        let task = SuiteTask(id: "sums", system: Template("You are a calculator."),
                             prompt: Template("Compute: {{a}} + {{b}}. Answer with the number only."),
                             settings: TaskSettings(temperature: 0, maxTokens: 16, threshold: 1),
                             graders: [GraderSpec(.exact(expected: Template("{{sum}}"), normalize: [.trim]))], cases: cases)
        return Suite(name: "sums", description: nil, path: "sums.yaml", contentHash: "h", tasks: [task])
    }

    private func models(on server: FakeProviderServer, stream: Bool = true, timeout: Double = 10,
                        concurrency: Int = 8) -> [ModelEntry] {
        Self.formats.map { kind, name in
            ModelEntry(id: kind.rawValue, provider: kind, baseURL: kind == .openAI ? server.baseURL : server.rootURL,
                       model: name, modelClass: .frontier, price: Self.price, apiKeyEnv: "KEY", maxConcurrency: concurrency,
                       timeoutSeconds: timeout, stream: stream, deployment: kind == .azureOpenAI ? name : nil)
        }
    }

    private func run(_ suite: Suite, _ models: [ModelEntry], policy: RetryPolicy,
                     in directory: TemporaryDirectory) throws -> (Runner.Outcome, [CallRecord]) {
        let store = try ResultStore(path: directory.file("r.sqlite"))
        let client = try HTTPClient()
        defer { client.shutdown() }
        let runner = try Runner(plan: RunPlan(suite: suite, models: models), store: store, client: client,
                                environment: ["KEY": "sk-e2e-key-000"], retryPolicy: policy)
        let outcome = try runner.run(catalogPath: "models.yaml")
        return (outcome, try store.calls(ofRun: outcome.runID))
    }

    @Test(arguments: [true, false])
    func everyWireFormatAnswersWithUsageInTheRightPartsAndTheCostFromThem(stream: Bool) throws {
        let served = Self.formats.map { _, name in
            FakeProviderConfig.Model(name: name, latencyMs: 5, cachedTokens: 8, cacheWriteTokens: 4, reasoningTokens: 5,
                                     chunkIntervalMs: 2)
        }
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: "sk-e2e-key-000", models: served) { server in
                let (outcome, calls) = try run(suite(cases: 6), models(on: server, stream: stream), policy: .standard,
                                               in: directory)
                #expect(outcome.status == .completed)
                #expect(calls.count == 24)
                for call in calls {
                    #expect(call.passed == true, "\(call.modelId) answered \(call.output ?? call.errorMessage ?? "")")
                    #expect(call.streamed == stream)
                    #expect(call.usageSource == .reported)
                    #expect(call.cachedInputTokens == 8)
                    // Anthropic alone reports cache writes; the others fold them into input.
                    #expect(call.cacheWriteTokens == (call.modelId == "anthropic" ? 4 : 0))
                    #expect(call.reasoningTokens == (call.modelId == "anthropic" ? 0 : 5), "\(call.modelId)")
                    let usage = Usage(uncachedInputTokens: call.inputTokens! - call.cachedInputTokens! - call.cacheWriteTokens!,
                                      cacheReadTokens: call.cachedInputTokens!, cacheWriteTokens: call.cacheWriteTokens!,
                                      outputTokens: call.outputTokens!, source: .reported)
                    #expect(call.costMicros == Self.price.costMicros(of: usage))
                    #expect(call.costSource == .computed)
                    #expect(call.finishReason == "stop")
                    // Each format reads the id from its own header (the fake's ids start `req_`; the
                    // body's message or response id would not).
                    #expect(call.requestId?.hasPrefix("req_") == true, "\(call.modelId): \(call.requestId ?? "none")")
                    if stream {
                        #expect(call.ttftMs != nil && call.ttftMs! <= call.latencyMs!)
                    } else {
                        #expect(call.ttftMs == nil)
                    }
                }
                let inputs = Dictionary(grouping: calls, by: \.modelId).mapValues { $0.map(\.inputTokens!).sorted() }
                // The same prompts cost the same tokens whichever format carried them.
                #expect(Set(inputs.values).count == 1)
            }
        }
    }

    /// The issue's acceptance run: 1,000 calls under 10% 429s, 5% 5xx, 2% malformed bodies and
    /// 2% cut streams. Every call ends scored or recorded, once, and the retries in the database
    /// are exactly the faults the provider says it injected.
    @Test func aThousandCallsUnderFaultsLoseNothingAndRetryExactlyTheFaults() throws {
        let faults = FakeProviderConfig.Faults(rateLimit: 0.10, retryAfterMs: 1, serverError: 0.05, malformed: 0.02,
                                               cutStream: 0.02)
        let served = Self.formats.map { _, name in FakeProviderConfig.Model(name: name, faults: faults) }
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: "sk-e2e-key-000", models: served) { server in
                let policy = RetryPolicy(maxRetries: 10, maxBackoff: 0.002)
                let (outcome, calls) = try run(suite(cases: 250), models(on: server, concurrency: 16), policy: policy,
                                               in: directory)
                #expect(calls.count == 1_000)
                #expect(Set(calls.map { "\($0.modelId)/\($0.caseId)" }).count == 1_000)
                #expect(outcome.answered + outcome.failed == 1_000)
                #expect(outcome.answered == 1_000)
                let injected = server.faultCounts()
                for (kind, name) in Self.formats {
                    let retries = calls.filter { $0.modelId == kind.rawValue }.reduce(0) { $0 + $1.attempts - 1 }
                    let faultsInjected = injected[name, default: [:]].values.reduce(0, +)
                    #expect(retries == faultsInjected, "\(kind.rawValue): \(retries) retries, faults \(injected[name] ?? [:])")
                    #expect(faultsInjected > 0)
                }
                #expect(calls.contains { $0.backoffMs > 0 })
            }
        }
    }

    @Test(arguments: [
        (FakeProviderConfig.Faults(rateLimit: 1, retryAfterMs: 1), CallError.Kind.rateLimited),
        (FakeProviderConfig.Faults(serverError: 1), .server),
        (FakeProviderConfig.Faults(malformed: 1), .malformedResponse),
        (FakeProviderConfig.Faults(cutStream: 1), .cutStream),
        (FakeProviderConfig.Faults(reset: 1), .connection),
        (FakeProviderConfig.Faults(hang: 1), .timeout),
    ])
    func eachFaultIsRetriedThenRecordedWithItsClass(faults: FakeProviderConfig.Faults, kind: CallError.Kind) throws {
        let served = Self.formats.map { _, name in FakeProviderConfig.Model(name: name, faults: faults) }
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: "sk-e2e-key-000", models: served) { server in
                let policy = RetryPolicy(maxRetries: 1, maxBackoff: 0.001, maxRateLimitRetries: 1)
                let (outcome, calls) = try run(suite(cases: 2), models(on: server, timeout: 0.5), policy: policy, in: directory)
                #expect(outcome.status == .incomplete)
                #expect(calls.count == 8)
                for call in calls {
                    #expect(call.errorClass == kind, "\(call.modelId): \(call.errorClass?.rawValue ?? "ok") \(call.errorMessage ?? "")")
                    #expect(call.attempts == 2)
                    #expect(call.output == nil)
                }
            }
        }
    }

    @Test func overloadsAndErrorsSentMidStreamAreRetried() throws {
        let served = Self.formats.map { _, name in
            FakeProviderConfig.Model(name: name, faults: .init(overloaded: 0.3, midStreamError: 0.3))
        }
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: "sk-e2e-key-000", models: served) { server in
                let (outcome, calls) = try run(suite(cases: 20), models(on: server),
                                               policy: RetryPolicy(maxRetries: 12, maxBackoff: 0.001), in: directory)
                #expect(outcome.answered == 80)
                let retries = calls.reduce(0) { $0 + $1.attempts - 1 }
                let injected = server.faultCounts().values.reduce(0) { $0 + $1.values.reduce(0, +) }
                #expect(retries == injected && injected > 0)
            }
        }
    }

    @Test func authFailureIsNotRetried() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(apiKey: "another-key", models: Self.formats.map { .init(name: $0.1) }) { server in
                let (_, calls) = try run(suite(cases: 1), models(on: server), policy: .nightly, in: directory)
                #expect(calls.allSatisfy { $0.errorClass == .auth && $0.attempts == 1 })
                // Gemini says a wrong key with 400 INVALID_ARGUMENT (API_KEY_INVALID); the others with 401.
                #expect(calls.allSatisfy { $0.httpStatus == ($0.modelId == "gemini" ? 400 : 401) },
                        "\(calls.map { "\($0.modelId): \($0.httpStatus ?? 0)" })")
                #expect(calls.allSatisfy { !($0.errorMessage ?? "").contains("sk-e2e-key-000") })
                #expect(calls.allSatisfy { $0.requestId?.hasPrefix("req_") == true }, "\(calls.map { "\($0.modelId): \($0.requestId ?? "none")" })")
            }
        }
    }
}
