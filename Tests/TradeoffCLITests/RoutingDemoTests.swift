import FakeProvider
import Foundation
import Testing
import TradeoffTestSupport

/// The demo's second suite end to end (`suites/routing.yaml` on `suites/routing.fake-provider.yaml`,
/// as `make demo` runs it): enough cases per task for a verdict on each, so the portfolio sends
/// the easy tasks to cheaper open models and keeps the hard one on the reference, and the suite's
/// cascade is weighed next to it.
struct RoutingDemoTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    let tradeoff = builtProduct("tradeoff")
    private static let reference = "claude-sonnet-4.5"

    @Test func validateAcceptsTheRoutingSuite() throws {
        let result = try runProcess(tradeoff, ["validate", "suites/routing.yaml", "suites/demo.models.yaml"],
                                    environment: ["FAKE_PROVIDER_PORT": "8089"], directory: Self.repository.path)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout == "suites/routing.yaml: ok\nsuites/demo.models.yaml: ok\n")
    }

    @Test func theRoutingDemoShowsAPortfolioAndItsCascade() throws {
        let config = try FakeProviderConfig(contentsOf: Self.repository.appendingPathComponent("suites/routing.fake-provider.yaml").path)
        #expect(config.answerKey?.count == 162, "every case has an answer the simulated models can give")
        let server = try FakeProviderServer.start(config: config)
        defer { server.shutdown() }
        try withTemporaryDirectory { directory in
            let environment = ["FAKE_PROVIDER_PORT": "\(server.port)", "TRADEOFF_DEMO_API_KEY": "demo-key"]
            let run = try runProcess(tradeoff, ["run", Self.repository.appendingPathComponent("suites/routing.yaml").path,
                                                "--db", "routing.sqlite", "--out", ".", "--name", "routing", "--quiet"],
                                     environment: environment, directory: directory.path)
            #expect(run.status == 0, "stderr: \(run.stderr)")

            // The JSON report's routing object: each task's route, weighed by the stated volumes.
            let json = try Data(contentsOf: URL(fileURLWithPath: directory.file("routing.json")))
            #expect(try repositorySchema("report.schema.json").violations(ofJSON: json) == [])
            let report = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
            let routing = try #require(report["routing"] as? [String: Any])
            let portfolio = try #require(routing["portfolio"] as? [String: Any], "no portfolio: \(routing)")
            #expect(portfolio["reference"] as? String == Self.reference)
            #expect(portfolio["weights"] as? String == "volume")
            let routes = try #require(portfolio["routes"] as? [[String: Any]])
            let routed = Dictionary(uniqueKeysWithValues: routes.compactMap { route in
                (route["task"] as? String).map { ($0, route["model"] as? String ?? "") }
            })
            #expect(routed.values.contains { $0 != Self.reference }, "some task leaves the reference: \(routed)")
            #expect(routed.values.contains(Self.reference), "some task stays on the reference: \(routed)")
            // As the config's accuracies make it, whichever cases each model misses.
            #expect(routed == ["triage": "qwen-2.5-7b", "order-number": "llama-3.3-70b", "refund-decision": Self.reference])
            let cost = try #require(portfolio["cost"] as? [String: Any])
            #expect(cost["monthly_micros"] is Int, "costed at the tasks' 1M/month: \(cost)")
            let cascades = try #require(routing["cascades"] as? [[String: Any]])
            let named = try #require(cascades.first { $0["automatic"] as? Bool == false }, "\(cascades)")
            #expect(named["models"] as? [String] == ["qwen-2.5-7b", Self.reference])
            // Wrong order numbers fail the format check and wrong decisions the schema: some
            // answers escalate, most do not.
            let escalation = try #require(named["escalation_rate"] as? Double)
            #expect(escalation > 0 && escalation < 0.5, "escalation rate \(escalation)")

            // The Markdown report's Routing section shows both.
            let markdown = try String(contentsOfFile: directory.file("routing.md"), encoding: .utf8)
            let section = try #require(markdown.components(separatedBy: "\n## Routing\n").dropFirst().first,
                                       "no Routing section")
            #expect(section.contains("Route triage to qwen-2.5-7b"), "\(section)")
            #expect(section.contains("| triage | 60 | qwen-2.5-7b | non-inferior on 60 cases |"), "\(section)")
            #expect(section.contains("| order-number | 60 | llama-3.3-70b | non-inferior on 60 cases |"), "\(section)")
            #expect(section.contains("| refund-decision | 42 | \(Self.reference) | reference |"), "\(section)")
            #expect(section.contains("qwen-2.5-7b → \(Self.reference)"), "the cascade: \(section)")

            // plan, before the next run, costs that portfolio at the stated volume, in text and JSON.
            let plan = try runProcess(tradeoff, ["plan", Self.repository.appendingPathComponent("suites/routing.yaml").path,
                                                 "--db", "routing.sqlite", "--format", "json"],
                                      environment: environment, directory: directory.path)
            #expect(plan.status == 0, "stderr: \(plan.stderr)")
            let planned = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
            let forecast = try #require(planned["portfolio"] as? [String: Any])
            #expect(forecast["volume"] as? String == "1M/month" && forecast["cases_per_month"] as? Int == 1_000_000)
            #expect(forecast["monthly_cost_micros"] as? Int == cost["monthly_micros"] as? Int)
            #expect((forecast["routes"] as? [[String: Any]])?.map { $0["model"] as? String }
                    == ["qwen-2.5-7b", "llama-3.3-70b", Self.reference])
        }
    }
}
