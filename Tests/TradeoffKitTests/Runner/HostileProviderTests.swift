import Foundation
import Testing
import TradeoffKit
import TradeoffTestSupport

/// A run against a provider whose replies are hostile (a small server on 127.0.0.1 serving them
/// byte for byte): the answers are kept and graded, usage that cannot be true is estimated and
/// flagged, never lowers the spend, and the report says so.
@Suite(.serialized)
struct HostileProviderTests {
    private static let price = Price(inputPerMillion: 3, outputPerMillion: 15)

    private func suite(cases: Int) -> Suite {
        let cases = (1...cases).map { TestCase(id: "c\($0)", variables: ["n": "\($0)"]) }
        let task = SuiteTask(id: "echo", system: nil, prompt: Template("Say 5. ({{n}})"),
                             settings: TaskSettings(temperature: 0, maxTokens: 16, threshold: 1),
                             graders: [GraderSpec(.exact(expected: Template("5"), normalize: [.trim]))], cases: cases)
        return Suite(name: "hostile", description: nil, path: "hostile.yaml", contentHash: "h", tasks: [task])
    }

    /// Runs `cases` cases on one model served by `server`; the run's outcome, its calls and its report.
    private func run(cases: Int, on server: HostileServer, stream: Bool = false, budget: Decimal? = nil,
                     in directory: TemporaryDirectory) throws -> (Runner.Outcome, [CallRecord], String) {
        let store = try ResultStore(path: directory.file("r.sqlite"))
        let client = try HTTPClient()
        defer { client.shutdown() }
        let model = ModelEntry(id: "hostile", baseURL: server.rootURL + "/v1", model: "m", modelClass: .open,
                               price: Self.price, apiKeyEnv: "KEY", maxConcurrency: 1, timeoutSeconds: 10, stream: stream)
        let runner = try Runner(plan: RunPlan(suite: suite(cases: cases), models: [model]), store: store, client: client,
                                environment: ["KEY": "sk-hostile-0000000000"], retryPolicy: .standard,
                                budgetMicros: budget.map { Money.micros(dollars: $0) })
        let outcome = try runner.run(catalogPath: "models.yaml")
        let report = MarkdownReport(try RunSummary.load(from: store, runID: outcome.runID)).render()
        return (outcome, try store.calls(ofRun: outcome.runID), report)
    }

    private static func completion(usage: String) -> HostileServer.Answer {
        HostileServer.Answer(#"{"id":"c","choices":[{"message":{"content":"5"},"finish_reason":"stop"}],"usage":\#(usage)}"#)
    }

    @Test(arguments: [
        (#"{"prompt_tokens":-3500000,"completion_tokens":2}"#, "the provider reported -3500000 input tokens, below zero"),
        (#"{"prompt_tokens":10,"completion_tokens":1000000000000000}"#,
         "the provider reported 1000000000000000 output tokens, more than the request allowed (at most 84)"),
    ])
    func impossibleUsageKeepsTheAnswerIsEstimatedAndFlagged(_ usage: String, _ reason: String) throws {
        try withTemporaryDirectory { directory in
            try withHostileServer({ _ in Self.completion(usage: usage) }) { server in
                let (outcome, calls, report) = try run(cases: 3, on: server, in: directory)
                #expect(outcome.status == .completed)
                #expect(calls.count == 3)
                for call in calls {
                    #expect(call.output == "5" && call.passed == true && call.attempts == 1)
                    #expect(call.usageSource == .estimated)
                    #expect(call.usageUntrusted == reason)
                    let estimate = Usage(uncachedInputTokens: call.inputTokens!, outputTokens: call.outputTokens!,
                                         source: .estimated)
                    #expect(call.costMicros == Self.price.costMicros(of: estimate))
                    #expect(call.costMicros! > 0 && call.costMicros! < 1_000)
                }
                let paragraph = report.components(separatedBy: "\n").first { $0.hasPrefix("**Usage not trusted:**") }
                #expect(paragraph == "**Usage not trusted:** hostile (3 calls) reported usage that could not be true of "
                        + "the request (below zero, more output than max_tokens allows, more input than the prompt could "
                        + "make, or unreadable). Their answers and grades are kept; their cost is estimated from the prompt "
                        + "and the answer (about 4 characters a token), and `usage_untrusted` in the database says why.")
                #expect(!report.contains("-$"))
            }
        }
    }

    @Test func aNegativeChargeCannotLetARunPassItsBudget() throws {
        // Each call would cost about $0.0001 at catalog prices; the provider claims -$50.
        let reply = Self.completion(usage: #"{"prompt_tokens":10,"completion_tokens":2,"cost":-50}"#)
        try withTemporaryDirectory { directory in
            try withHostileServer({ _ in reply }) { server in
                let (outcome, calls, _) = try run(cases: 3, on: server, in: directory)
                #expect(calls.allSatisfy { $0.costMicros == Self.price.costMicros(of: Usage(inputTokens: 10, outputTokens: 2,
                                                                                           source: .reported)) })
                #expect(calls.allSatisfy { $0.reportedCostMicros == nil && $0.costSource == .computed })
                #expect(calls.allSatisfy { $0.usageUntrusted == "the provider reported a charge of -$50.00, below zero" })
                #expect(outcome.costMicros > 0)
            }
        }
    }

    @Test(arguments: [true, false])
    func numbersSentAsStringsKeepTheAnswerAfterOneAttempt(stream: Bool) throws {
        let usage = #"{"prompt_tokens":"10","completion_tokens":"2"}"#
        let reply = stream
            ? HostileServer.Answer(contentType: "application/json",
                                  "data: {\"id\":\"c\",\"choices\":[{\"delta\":{\"content\":\"5\"},\"finish_reason\":\"stop\"}]}\n\n"
                                    + "data: {\"id\":\"c\",\"choices\":[],\"usage\":\(usage)}\n\ndata: [DONE]\n\n")
            : Self.completion(usage: usage)
        try withTemporaryDirectory { directory in
            try withHostileServer({ _ in reply }) { server in
                let (outcome, calls, _) = try run(cases: 2, on: server, stream: stream, in: directory)
                #expect(outcome.status == .completed)
                for call in calls {
                    #expect(call.output == "5" && call.attempts == 1)
                    #expect(call.inputTokens == 10 && call.outputTokens == 2 && call.usageSource == .reported)
                    #expect(call.usageUntrusted == nil)
                }
                #expect(server.requestTargets.count == 2)
            }
        }
    }

    @Test func aTokenFromABaseURLVariableIsRedactedFromWhatTheProviderQuotes() throws {
        let token = "tok-abcdefgh12345678"
        try withTemporaryDirectory { directory in
            try withHostileServer({ target in HostileServer.Answer(status: 404, contentType: "text/html",
                                                                  "<pre>Cannot POST \(target)</pre>") }) { server in
                var model = ModelEntry(id: "gw", baseURL: server.rootURL + "/v1?team=a&token=" + token, model: "m",
                                       modelClass: .open, price: nil, apiKeyEnv: nil, timeoutSeconds: 10)
                model.baseURLTemplate = server.rootURL + "/v1?team=a&token=${GW_TOKEN}"
                #expect(model.baseURLSecrets == [token])
                let store = try ResultStore(path: directory.file("r.sqlite"))
                let client = try HTTPClient()
                defer { client.shutdown() }
                let runner = try Runner(plan: RunPlan(suite: suite(cases: 1), models: [model]), store: store, client: client,
                                        environment: [:], retryPolicy: .standard)
                let outcome = try runner.run(catalogPath: "models.yaml")
                let call = try #require(try store.calls(ofRun: outcome.runID).first)
                #expect(call.errorMessage == "<pre>Cannot POST /v1/chat/completions?team=a&token=[redacted]</pre>")
                #expect(try store.models(ofRun: outcome.runID).first?.baseUrl.hasSuffix("token=${GW_TOKEN}") == true)
            }
        }
    }
}
