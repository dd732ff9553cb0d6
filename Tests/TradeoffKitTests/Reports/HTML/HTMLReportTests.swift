import Foundation
import Testing
@testable import TradeoffKit

/// The report as a page: its golden file, its order, and hostile content from every source.
struct HTMLReportTests {
    @Test func matchesGoldenFile() throws {
        let mismatch = try Golden.mismatch(HTMLReport(ReportFixture.minimal.summary).render(), "minimal.html")
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    @Test func rendersTheMarkdownReportsDocument() {
        let summary = ReportFixture.decision.summary
        let document = MarkdownReport(summary, chartFile: "chart.svg").document
        let page = HTMLReport(summary).render()
        #expect(page == HTMLRenderer(inlining: ["chart.svg": FrontierChart(summary).render()]).render(document))
        // The headline, with the verdict, comes straight after the title.
        let headline = HTMLRenderer().render(TitleSection(summary).blocks[1])
        #expect(page.contains("<h1>Tradeoff report: helpdesk</h1>\n" + headline + "\n"))
        #expect(page.contains("<figure>\n<svg xmlns=\"http://www.w3.org/2000/svg\""))
    }

    @Test func showsHostileContentAsText() throws {
        let page = HTMLReport(HostileFixture.summary).render()
        for text in HostileFixture.texts {
            #expect(page.contains(HTMLText.escape(text)), "\(text)")
        }
        let tags = Self.tags(in: page)
        #expect(tags.filter { $0.name == "script" }.count == 1)
        #expect(Set(tags.map(\.name)).isSubset(of: Self.renderedTags), "\(Set(tags.map(\.name)).subtracting(Self.renderedTags))")
        for tag in tags {
            #expect(!tag.attributes.contains { $0.hasPrefix("on") }, "\(tag)")
        }
        #expect(!page.lowercased().contains("href=\"javascript"))
        #expect(!page.contains("<script>alert") && !page.contains("</script><script>"))
    }

    /// Every element the renderer and the chart write; anything else came from data.
    static let renderedTags: Set<String> = [
        "!doctype", "html", "head", "meta", "title", "style", "body", "main", "script", "h1", "h2", "h3", "p", "div",
        "table", "thead", "tbody", "tr", "th", "td", "button", "strong", "em", "code", "br", "ul", "li", "aside",
        "figure", "figcaption", "svg", "rect", "text", "line", "circle", "path", "g", "polyline", "tspan",
    ]

    /// The start tags of `page`: each tag's lowercased name and attribute names.
    static func tags(in page: String) -> [(name: String, attributes: [String])] {
        let tag = try! Regex(#"<([!A-Za-z][A-Za-z0-9-]*)([^>]*)>"#)
        let attribute = try! Regex(#"[\s/]([^\s=/>"']+)\s*="#)
        return page.matches(of: tag).map { match in
            let name = String(match.output[1].substring ?? "").lowercased()
            let rest = String(match.output[2].substring ?? "")
            let attributes = rest.matches(of: attribute).map { String($0.output[1].substring ?? "").lowercased() }
            return (name, attributes)
        }
    }
}

/// A run whose suite, model ids, task and case ids, answers and errors are all hostile markup.
enum HostileFixture {
    static let texts = [
        "</script><script>alert(1)</script>", "\" onmouseover=\"alert(1)", "javascript:alert(1)",
        "<img src=x onerror=alert(1)>", "' onfocus='alert(1)' autofocus='", "<a href=\"javascript:alert(1)\">x</a>",
    ]

    static var summary: RunSummary {
        let run = RunRecord(id: 1, suite: texts[0], suitePath: "suites/x.yaml", suiteHash: "abcdef0123456789",
                            catalogPath: "models.yaml", toolVersion: "0.1.0", startedAt: ReportFixture.start,
                            finishedAt: ReportFixture.start.addingTimeInterval(3), status: .completed)
        let models = [ReportFixture.model(texts[1], texts[3], .frontier, price: ("1", "2"), simulated: true, runID: 1),
                      ReportFixture.model(texts[2], "vendor/b", .open, price: ("0.1", "0.2"), simulated: false, runID: 1)]
        let cases = [CaseRecord(runId: 1, taskId: texts[4], caseId: texts[5], position: 0, variables: [:]),
                     CaseRecord(runId: 1, taskId: texts[4], caseId: texts[0], position: 1, variables: [:])]
        let calls = [
            ReportFixture.answer(texts[1], texts[4], texts[5], texts[3], score: 1, cost: 100, latency: 10, runID: 1),
            ReportFixture.answer(texts[1], texts[4], texts[0], texts[5], score: 0, cost: 100, latency: 10, runID: 1),
            ReportFixture.answer(texts[2], texts[4], texts[5], texts[0], score: 0, cost: 10, latency: 5, runID: 1),
            ReportFixture.failure(texts[2], texts[4], texts[0], .server, texts[1], status: 500, runID: 1),
        ]
        return RunSummary(run: run, models: models, cases: cases, calls: calls)
    }
}
