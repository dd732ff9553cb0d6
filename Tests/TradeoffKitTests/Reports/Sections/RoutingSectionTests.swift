import Foundation
import Testing
@testable import TradeoffKit

/// The "Routing" section's sentence: tasks grouped by the model they go to, the reference last.
struct RoutingSectionTests {
    private static func route(_ task: String, _ model: String, _ reason: Portfolio.Reason) -> Portfolio.Route {
        Portfolio.Route(taskID: task, caseCount: 10, weight: 0.25, modelID: model, reason: reason, quality: 0.9,
                        costPerCaseMicros: 1)
    }

    private static func portfolio(_ routes: [Portfolio.Route]) -> Portfolio {
        let reference = Portfolio.Baseline(modelID: "claude", role: .reference, quality: 0.9, costPer1kCasesMicros: 1000,
                                           relativeQuality: 0.97,
                                           relativeQualityInterval: Interval(lower: 0.95, upper: 0.99, method: .bootstrapStratified),
                                           relativeCost: 0.31)
        return Portfolio(referenceID: "claude", routes: routes, quality: 0.87, costPer1kCasesMicros: 310, baselines: [reference])
    }

    @Test func headlineGroupsTasksByModelAndEndsWithTheReference() {
        let portfolio = Self.portfolio([
            Self.route("triage", "llama", .nonInferior(cases: 40)), Self.route("extraction", "mini", .nonInferior(cases: 40)),
            Self.route("tagging", "llama", .better(cases: 40)), Self.route("writing", "claude", .reference),
        ])
        #expect(HTMLRenderer.plain(RoutingSection.headline(portfolio))
            == "Route triage and tagging to llama and extraction to mini, the rest to claude: 97% (95–99%) of claude's "
            + "quality at 31% of the cost.")
    }

    @Test func headlineWithoutTheReferenceHasNoRest() {
        let portfolio = Self.portfolio([Self.route("a", "llama", .nonInferior(cases: 40)), Self.route("b", "mini", .better(cases: 12))])
        #expect(HTMLRenderer.plain(RoutingSection.headline(portfolio))
            == "Route a to llama and b to mini: 97% (95–99%) of claude's quality at 31% of the cost.")
    }

    @Test func aModelIDIsDataNotProse() {
        let portfolio = Self.portfolio([Self.route("a", "gpt|4*o", .nonInferior(cases: 40)), Self.route("b", "claude", .reference)])
        #expect(RoutingSection.headline(portfolio).contains(.data("gpt|4*o")))
    }
}
