import FakeProvider
import Foundation
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

/// Cascades in a run of prompt variants, end to end against the fake provider: each (model,
/// variant) is an arm, a cascade over models becomes one cascade per variant, and a cascade may
/// name arms directly.
struct PromptVariantCascadeTests {
    /// `PromptVariantRunTests.suite` (the fake answers the `compute` wording, not `ask`) with an
    /// online check that the answer is a number, a cascade over the models and one over arms.
    static let suite: Suite = {
        var suite = PromptVariantRunTests.suite
        var check = GraderSpec(.regex(pattern: "^[0-9]+$", ignoreCase: false), metric: "number")
        check.online = true
        suite.tasks[0].graders.append(check)
        // The third is the second's `compute` arm, weighed once.
        suite.cascades = [CascadeSpec(models: ["a", "b"]), CascadeSpec(models: ["a · ask", "b · compute"]),
                          CascadeSpec(models: ["a · compute", "b"])]
        return suite
    }()

    @Test func aCascadeOverModelsIsOnePerVariantAndOneOverArmsIsKept() throws {
        try withTemporaryDirectory { directory in
            try withFakeProvider(models: [.init(name: "sim/a", latencyMs: 1), .init(name: "sim/b", latencyMs: 1)]) { server in
                let store = try ResultStore(path: directory.file("r.sqlite"))
                let models = [fakeModelEntry(id: "a", served: "sim/a", server: server),
                              fakeModelEntry(id: "b", served: "sim/b", server: server, modelClass: .frontier)]
                let plan = RunPlan(suite: Self.suite, models: models)
                let client = try HTTPClient()
                defer { client.shutdown() }
                let runner = try Runner(plan: plan, store: store, client: client,
                                        environment: ["TRADEOFF_TEST_KEY": "test-key"], cache: .write)
                let context = plan.suite.context(reference: "b · compute", margin: 0.05, gates: [], volume: nil,
                                                 models: ["a", "b"])
                let runID = try runner.run(catalogPath: "models.yaml", context: context).runID
                let summary = try RunSummary.load(from: store, runID: runID,
                                                  settings: AnalysisSettings(reference: "b · compute"))

                // The suite's cascades, the first once per variant, the third once per variant of b
                // but for the arms the first already has; the automatic open →
                // frontier pairs are those same-variant cascades, so none is added, and no pair
                // crosses variants.
                #expect(summary.cascades.map(\.spec.name) == ["a → b · compute", "a → b · ask", "a · ask → b · compute",
                                                              "a · compute → b · ask"])
                #expect(summary.cascades.allSatisfy { !$0.automatic })
                #expect(summary.cascadeNotes.isEmpty)
                let byName = Dictionary(uniqueKeysWithValues: summary.cascades.map { ($0.spec.name, $0) })
                let compute = try #require(byName["a → b · compute"])
                #expect(compute.spec.models == ["a · compute", "b · compute"])
                #expect(compute.escalationRate == 0 && compute.quality == 1)
                // In the `ask` wording neither model answers a number: every case escalates, to no avail.
                let ask = try #require(byName["a → b · ask"])
                #expect(ask.escalationRate == 1 && ask.quality == 0)
                // Named arms: a asked one way, b the other; escalating rescues every case.
                let arms = try #require(byName["a · ask → b · compute"])
                #expect(arms.spec.variant == nil)
                #expect(arms.escalationRate == 1 && arms.quality == 1)
                #expect(arms.lastModelID == "b · compute")

                let json = RouteReport(summary, label: "run").json()
                #expect(json.contains("\"name\":\"a → b · ask\""))
                #expect(json.contains("\"variant\":\"ask\""))
                let markdown = MarkdownRenderer().render(ReportDocument(RoutingSection(summary).blocks))
                #expect(markdown.contains("| a → b · compute |"))
                #expect(!markdown.contains("not in this run"))
            }
        }
    }

    @Test func aCascadeOverModelsBecomesItsArmsInEachVariant() {
        let spec = CascadeSpec(models: ["a", "b"], escalateWhen: ["number"])
        let arms = spec.arms(variants: ["compute", "ask"])
        #expect(arms.map(\.models) == [["a · compute", "b · compute"], ["a · ask", "b · ask"]])
        #expect(arms.map(\.variant) == ["compute", "ask"])
        #expect(arms.allSatisfy { $0.escalateWhen == ["number"] })
        // Mixed: the arm stays, the model takes each variant.
        let mixed = CascadeSpec(models: ["a · ask", "b"]).arms(variants: ["compute", "ask"])
        #expect(mixed.map(\.name) == ["a · ask → b · compute", "a · ask → b · ask"])
        // Without variants, or naming arms only: itself.
        #expect(spec.arms(variants: []) == [spec])
        let named = CascadeSpec(models: ["a · ask", "b · ask"])
        #expect(named.arms(variants: ["compute", "ask"]) == [named])
    }
}
