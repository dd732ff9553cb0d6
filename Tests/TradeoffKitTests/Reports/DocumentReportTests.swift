import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import TradeoffKit

/// The JSON summary, the SVG charts and the JUnit file: golden files, well-formedness and escaping.
struct DocumentReportTests {
    @Test(arguments: [("mixed", ReportFixture.mixed.summary), ("decision", ReportFixture.decision.summary)])
    func jsonAndChartMatchGoldenFiles(name: String, summary: RunSummary) throws {
        let json = try Golden.mismatch(JSONReport(summary).render(), "\(name).json")
        #expect(json == nil, "\(json ?? "")")
        let svg = try Golden.mismatch(FrontierChart(summary).render(), "\(name).svg")
        #expect(svg == nil, "\(svg ?? "")")
    }

    @Test func jsonCarriesItsSchemaVersionAndParses() throws {
        let text = JSONReport(ReportFixture.decision.summary).render()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["schema_version"] as? Int == JSONReport.schemaVersion)
        let models = try #require(object["models"] as? [[String: Any]])
        #expect(models.map { $0["id"] as? String } == ["frontier", "open-good", "open-bad"])
        let cost = try #require(models[1]["cost"] as? [String: Any])
        #expect(cost["per_case_micros"] as? Int == 100 && cost["monthly_micros"] as? Int == 200_000_000)
        let recommendation = try #require(object["recommendation"] as? [String: Any])
        #expect(recommendation["model_id"] as? String == "open-good")
    }

    @Test(arguments: [("mixed", ReportFixture.mixed.summary), ("decision", ReportFixture.decision.summary)])
    func chartIsWellFormedXML(name: String, summary: RunSummary) throws {
        try expectWellFormed(FrontierChart(summary).render())
    }

    @Test func chartEscapesModelIDsAndMarksClasses() throws {
        let svg = FrontierChart(ReportFixture.decision.summary).render()
        #expect(svg.contains("<rect x=") && svg.contains("<circle cx="))  // a frontier square, open circles
        #expect(svg.contains("<polyline points="))  // the frontier line
        #expect(svg.contains("Cost per case (USD, log scale)"))
        #expect(XMLText.escape("a<b & \"c\" 'd'\u{1}") == "a&lt;b &amp; &quot;c&quot; &apos;d&apos;\u{FFFD}")
    }

    @Test func junitHasATestPerGateAndModelTask() throws {
        let (summary, _) = ReportFixture.mixed
        let checks = Checks(gates: [try Gate(parsing: "quality(*) >= 0.5"), try Gate(parsing: "cost_per_case(*) <= $0.001")],
                            summary: summary)
        let xml = JUnitReport(summary, checks: checks).render()
        try expectWellFormed(xml)
        let mismatch = try Golden.mismatch(xml, "mixed.junit.xml")
        #expect(mismatch == nil, "\(mismatch ?? "")")
        #expect(xml.contains("<testsuites name=\"tradeoff: support-triage\" tests=\"11\" failures=\"5\">"))
    }

    @Test func historyReportAndSparkline() throws {
        let (summary, _) = ReportFixture.decision
        let entries = [7, 8, 9].map { runID in
            ModelHistory.Entry(runID: Int64(runID), startedAt: ReportFixture.start.addingTimeInterval(Double(runID) * 86_400),
                               status: .completed, suiteHash: summary.run.suiteHash, summary: summary.models[1])
        }
        let report = HistoryReport(ModelHistory(modelID: "open-good", entries: entries))
        let markdown = try Golden.mismatch(report.markdown(), "history.md")
        #expect(markdown == nil, "\(markdown ?? "")")
        let svg = report.svg()
        try expectWellFormed(svg)
        let golden = try Golden.mismatch(svg, "history.svg")
        #expect(golden == nil, "\(golden ?? "")")
    }

    private func expectWellFormed(_ xml: String) throws {
        let parser = XMLParser(data: Data(xml.utf8))
        #expect(parser.parse(), "not well-formed: \(parser.parserError.map { "\($0)" } ?? "")")
    }
}
