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
        #expect((cost["per_case_micros"] as? NSNumber)?.intValue == 100 && cost["monthly_micros"] as? Int == 200_000_000)
        let recommendation = try #require(object["recommendation"] as? [String: Any])
        #expect(recommendation["model_id"] as? String == "open-good")
    }

    /// A key has one JSON type wherever it appears (a frontier point's `quality` was a number,
    /// every other `quality` an object).
    @Test(arguments: [("mixed", ReportFixture.mixed.summary), ("decision", ReportFixture.decision.summary)])
    func jsonGivesEachKeyOneType(name: String, summary: RunSummary) throws {
        let tree = try JSONTree.parse(Data(JSONReport(summary).render().utf8), file: "\(name).json").get()
        var kinds: [String: Set<String>] = [:]
        func walk(_ node: JSONTree.Node, key: String?) {
            let kind: String? = switch node.value {
            case .object: "object"
            case .array: "array"
            case .string: "string"
            case .number: "number"
            case .bool: "bool"
            case .null: nil
            }
            if let key, let kind { kinds[key, default: []].insert(kind) }
            switch node.value {
            case .object(let members): for member in members { walk(member.value, key: member.key) }
            case .array(let items): for item in items { walk(item, key: key.map { $0 + "[]" }) }
            default: break
            }
        }
        walk(tree.root, key: nil)
        #expect(kinds.filter { $0.value.count > 1 } == [:])
        #expect(kinds["quality"] == ["object"])
    }

    /// Costs per case keep the fractions of a micro-dollar: 7 micro-dollars over 3 answers is
    /// 2.333333 a case, not 2 (16% off).
    @Test func costsPerCaseKeepTheirFractionsInJSONAndCSV() throws {
        let run = RunRecord(id: 3, suite: "cheap", suitePath: "cheap.yaml", suiteHash: "h", catalogPath: "c.yaml",
                            toolVersion: "0.1.0", startedAt: ReportFixture.start, status: .completed)
        let cases = (1...3).map { CaseRecord(runId: 3, taskId: "t", caseId: "\($0)", position: $0, variables: [:]) }
        let calls = zip(1...3, [2, 2, 3] as [Int64]).map { index, cost in
            ReportFixture.answer("tiny", "t", "\(index)", "ok", score: index == 3 ? 0 : 1, cost: cost, latency: 10, runID: 3)
        }
        let summary = RunSummary(run: run, models: [ReportFixture.model("tiny", "x/tiny", .open, price: ("0.01", "0.02"),
                                                                        simulated: true, runID: 3)],
                                 cases: cases, calls: calls)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(JSONReport(summary).render().utf8))
                                  as? [String: Any])
        let cost = try #require((object["models"] as? [[String: Any]])?.first?["cost"] as? [String: Any])
        #expect((cost["per_case_micros"] as? NSNumber)?.doubleValue == 2.333333)
        #expect((cost["per_correct_micros"] as? NSNumber)?.doubleValue == 3.5)
        let task = try #require(((object["tasks"] as? [[String: Any]])?.first?["models"] as? [[String: Any]])?.first)
        #expect((task["cost_per_case_micros"] as? NSNumber)?.doubleValue == 2.333333)
        let csv = CSVReport(summary)
        let row = try #require(csv.models().split(separator: "\r\n").dropFirst().first).split(separator: ",")
        let column = { (name: String) in String(row[CSVReport.modelColumns.firstIndex(of: name)!]) }
        #expect(column("cost_per_case_usd") == "0.000002333333")
        #expect(column("cost_per_correct_usd") == "0.0000035")
        #expect(column("cost_total_usd") == "0.000007")
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
        #expect(xml.contains("<testsuites name=\"tradeoff: support-triage\" tests=\"11\" failures=\"2\" errors=\"3\" time=\"21.367\">"))
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
