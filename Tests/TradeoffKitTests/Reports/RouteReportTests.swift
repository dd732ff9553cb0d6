import Foundation
import Testing
import TradeoffTestSupport
@testable import TradeoffKit

/// `tradeoff route`'s output is the report's Routing section, computed nowhere else.
struct RouteReportTests {
    @Test func markdownIsTheReportsRoutingSectionUnderTheRunsLine() {
        let summary = ReportFixture.decision.summary
        let route = RouteReport(summary, label: "run 7 of r.sqlite").markdown()
        let section = MarkdownRenderer().render(ReportDocument(Array(RoutingSection(summary).blocks.dropFirst())))
        #expect(route.hasPrefix("## Routing\n\nRun \(summary.run.id ?? 0) of suite helpdesk (run 7 of r.sqlite).\n\n"), "\(route)")
        #expect(route.hasSuffix(section), "\(route)")
        #expect(route.contains("This is a what-if on the suite's cases, not a measured production router"))
    }

    @Test func jsonCarriesTheReportsRoutingObject() throws {
        let summary = ReportFixture.decision.summary
        let text = RouteReport(summary, label: "run 7 of r.sqlite").json()
        #expect(text.hasSuffix("}\n") && text.filter { $0 == "\n" }.count == 1)
        #expect(try repositorySchema("command-output.schema.json").violations(ofJSON: Data(text.utf8)) == [], "\(text)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(JSONReport(summary).render().utf8)) as? [String: Any])
        #expect(NSDictionary(dictionary: try #require(object["routing"] as? [String: Any]))
                == NSDictionary(dictionary: try #require(report["routing"] as? [String: Any])))
        #expect(object["headline"] as? String == "Route classify to open-good, the rest to frontier: 100% (100–100%) of "
                + "frontier's quality at 55% of the cost.")
        #expect(object["caveat"] as? String == RouteReport.caveat)
        #expect(object["label"] as? String == "run 7 of r.sqlite" && object["command"] as? String == "route")
    }

    @Test func withoutAPortfolioItSaysWhy() throws {
        let summary = ReportFixture.mixed.summary
        let skip = try #require(summary.routing.skip)
        let route = RouteReport(summary, label: "run 42 of r.sqlite")
        #expect(route.markdown().contains("No portfolio: "), "\(route.markdown())")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(route.json().utf8)) as? [String: Any])
        #expect((object["headline"] as? String)?.hasPrefix("No portfolio: ") == true)
        #expect((object["routing"] as? [String: Any])?["skipped"] as? String == skip.code)
        #expect(try repositorySchema("command-output.schema.json").violations(ofJSON: Data(route.json().utf8)) == [])
    }
}
