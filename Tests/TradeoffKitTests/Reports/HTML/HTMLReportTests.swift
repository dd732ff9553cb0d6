import Foundation
import Testing
@testable import TradeoffKit

/// The report as a page: its golden file, its order, and hostile content from every source.
struct HTMLReportTests {
    @Test func matchesGoldenFile() throws {
        let (summary, calls) = ReportFixture.minimal
        let cases = summary.drillDown(calls: calls.map(ReportCall.init))
        let mismatch = try Golden.mismatch(HTMLReport(summary, cases: cases, callsFile: "tiny.calls.csv").render(), "minimal.html")
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    @Test func rendersTheMarkdownReportsDocument() {
        let summary = ReportFixture.decision.summary
        let document = MarkdownReport(summary, chartFile: "chart.svg").document
        let page = HTMLReport(summary).render()
        #expect(page == HTMLRenderer(inlining: ["chart.svg": FrontierChart(summary).render(focusablePoints: true)]).render(document))
        // The headline, with the verdict, comes straight after the title.
        let headline = HTMLRenderer().render(TitleSection(summary).blocks[1])
        #expect(page.contains("<h1>Tradeoff report: helpdesk</h1>\n" + headline + "\n"))
        #expect(page.contains("<figure>\n<svg xmlns=\"http://www.w3.org/2000/svg\""))
    }

    @Test func showsTheRoutingSectionLikeTheMarkdown() {
        let summary = ReportFixture.decision.summary
        let section = RoutingSection(summary).blocks
        #expect(section.count == 5)
        let page = HTMLReport(summary).render()
        #expect(page.contains(HTMLRenderer().render(section[0]) + "\n" + HTMLRenderer().render(section[1])))
        #expect(page.contains("not a measured production router"))
    }

    @Test func showsHostileContentAsText() throws {
        let page = HostileFixture.page
        #expect(page.contains("<section id=\"cases\""))
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
        // Data reaches the drill-down's text only: its attributes name tasks and models by position.
        let drillDown = try #require(page.firstRange(of: "<section id=\"cases\"").map { String(page[$0.lowerBound...]) })
        for text in HostileFixture.texts where text != HostileFixture.texts[3] {
            #expect(drillDown.contains("<code>\(HTMLText.escape(text))</code>"), "\(text)")
        }
        #expect(drillDown.contains("<pre>\(HTMLText.escape(HostileFixture.texts[3]))</pre>"))
        #expect(drillDown.contains("<option value=\"0\">\(HTMLText.escape(HostileFixture.texts[1]))</option>"))
        #expect(drillDown.contains("<div class=\"answer failed\" data-model=\"1\" data-outcome=\"failed\">"))
    }

    @Test func drillsDownToEveryModelsAnswerWithItsGradersAndCosts() throws {
        let (summary, calls) = DrillDownFixture.run
        var cases = try #require(summary.drillDown(calls: calls.map(ReportCall.init)))
        #expect(cases.callIDsWithoutGrades == [3])
        cases.fill(grades: [3: DrillDownFixture.grades(judged: false)], variables: [["ticket": "Refund <now>", "label": "billing"]])
        let page = HTMLReport(summary, cases: cases, callsFile: "desk.calls.csv").render()
        let section = try #require(HTMLRendererTests.content(of: "section", in: page.replacingOccurrences(
            of: "<section id=\"cases\" aria-labelledby=\"cases-title\">", with: "<section>")))
        // Before the run's facts, as the Markdown's order has them last.
        let facts = try #require(page.range(of: "<h2>Run</h2>"))
        #expect(try #require(page.range(of: "<h2 id=\"cases-title\">")).lowerBound < facts.lowerBound)
        #expect(section.contains("<p>All 1 case: the 1 the models disagree on, widest spread first.</p>"))
        #expect(section.contains("<h3><code>triage</code> / <code>t1</code></h3>"))
        #expect(section.contains("<strong>Models disagree</strong>: scores differ by 1.00. "
                                 + "Variables: <code>label</code> = billing; <code>ticket</code> = Refund &lt;now&gt;.</p>"))
        #expect(section.contains("<h4><code>big</code>: <strong>passed</strong>, score 1.00</h4>"))
        #expect(section.contains("<p class=\"facts\">100 tokens in · 10 out · $0.0015 · 812 ms · judges $0.00003</p>"))
        #expect(section.contains("<li><code>exact</code> <strong>pass</strong> 1.00 (accuracy): matches &quot;billing&quot;</li>"))
        #expect(section.contains("<li>judge <code>judge-1</code>: verdict pass, score 1.00, $0.00003: names the &lt;right&gt; queue</li>"))
        // The small model's grades came from the store; its long answer is folded.
        #expect(section.contains("<h4><code>small</code>: <strong>failed</strong>, score 0.00</h4>"))
        #expect(section.contains("<li><code>exact</code> <strong>fail</strong> 0.00 (accuracy): expected &quot;billing&quot;</li>"))
        #expect(section.contains("<details><summary>Answer: 400 characters, 1 line</summary>\n<pre>" + String(repeating: "x", count: 400)))
        // An error shows its class and message; a model without a call says so.
        #expect(section.contains("<h4><code>down</code>: <strong>error</strong></h4>"))
        #expect(section.contains("<p>Error <code>server</code> (HTTP 503): upstream &lt;overloaded&gt;</p>"))
        #expect(section.contains("<p>Prompts are not kept with a run: each case shows its task, its id and the variables"))
        #expect(section.contains("<p class=\"print-only\">Printed: the 1 case the models disagree on; the page has all 1.</p>"))
        #expect(section.contains("<div class=\"filters\" role=\"group\" aria-label=\"Filter the cases\" hidden>"))
        #expect(section.contains("<label for=\"case-model\">Model</label> <select id=\"case-model\"><option value=\"\">All models</option>"
                                 + "<option value=\"0\">big</option><option value=\"1\">small</option><option value=\"2\">down</option></select>"))
        #expect(!section.contains("class=\"left-out\""))
    }

    @Test func boundsTheCasesAndSaysHowManyAreLeftOut() throws {
        let (summary, calls) = ReportFixture.decision
        let cases = try #require(summary.drillDown(calls: calls.map(ReportCall.init), limit: 30))
        let page = HTMLReport(summary, cases: cases, callsFile: "helpdesk.calls.csv").render()
        #expect(page.components(separatedBy: "<article class=\"case\"").count == 31)
        #expect(page.components(separatedBy: "data-disagree=\"yes\">").count == 28)
        #expect(page.contains("<p>30 of the run&apos;s 80 cases: the 27 the models disagree on, widest spread first, then the rest "
                              + "(these in suite order).</p>"))
        #expect(page.contains("<p class=\"left-out\"><strong>50 cases left out</strong> to keep the page small; "
                              + "<code>helpdesk.calls.csv</code> has every call of every case.</p>"))
        #expect(page.contains("<p>Prompts and variables are not in this report: each case shows its task and id.</p>"))
        // Without a bound the demo-sized run is whole, and its page stays small.
        let whole = HTMLReport(summary, cases: summary.drillDown(calls: calls.map(ReportCall.init))).render()
        #expect(whole.components(separatedBy: "<article class=\"case\"").count == 81)
        #expect(!whole.contains("class=\"left-out\""))
        #expect(whole.utf8.count < 400_000)
    }

    @Test func keepsThePageOfALargeRunUnderTwoMegabytes() throws {
        // 20,000 cases × 3 models, every case a disagreement with answers of 3,000 characters, and a
        // few of 50,000: 500 cases kept would be 4.5 MB of answers alone.
        let run = RunRecord(id: 9, suite: "large", suitePath: "suites/large.yaml", suiteHash: "abcdef0123456789",
                            catalogPath: "models.yaml", toolVersion: "0.1.0", startedAt: ReportFixture.start,
                            finishedAt: ReportFixture.start.addingTimeInterval(600), status: .completed)
        let modelIDs = ["big", "mid", "small"]
        let models = modelIDs.map { ReportFixture.model($0, "v/\($0)", .open, price: ("1", "2"), simulated: true, runID: 9) }
        let caseCount = 20_000
        let cases = (0..<caseCount).map { CaseRecord(runId: 9, taskId: "t\($0 % 4)", caseId: "c\($0)", position: $0, variables: [:]) }
        let answer = String(repeating: "an answer <of> some length. ", count: 108)
        let huge = String(repeating: "y", count: 50_000)
        var calls: [CallRecord] = []
        calls.reserveCapacity(caseCount * 3)
        for index in 0..<caseCount {
            for (model, id) in modelIDs.enumerated() {
                calls.append(ReportFixture.answer(id, "t\(index % 4)", "c\(index)", index < 3 && model == 0 ? huge : answer,
                                                  score: model == 0 || (index + model) % 3 == 0 ? 1 : 0, cost: 100, latency: 50, runID: 9))
                calls[calls.count - 1].id = Int64(calls.count)
            }
        }
        let summary = RunSummary(run: run, models: models, cases: cases, calls: calls)
        let drillDown = try #require(summary.drillDown(calls: calls.map(ReportCall.init)))
        #expect(drillDown.cases.count == CaseDrillDown.defaultLimit)
        let page = HTMLReport(summary, cases: drillDown, callsFile: "large.calls.csv").render()
        #expect(page.utf8.count < 2_000_000, "\(page.utf8.count)")
        let shown = page.components(separatedBy: "<article class=\"case\"").count - 1
        #expect(shown > 100 && shown < CaseDrillDown.defaultLimit, "\(shown)")
        #expect(page.contains("<p>\(Formatting.grouped(shown)) of the run&apos;s 20,000 cases: the \(Formatting.grouped(shown)) "
                              + "the models disagree on, widest spread first.</p>"), "\(page.prefix(200))")
        #expect(page.contains("<p class=\"left-out\"><strong>\(Formatting.grouped(caseCount - shown)) cases left out</strong> to keep "
                              + "the page small; <code>large.calls.csv</code> has every call of every case.</p>"))
        // A very long answer is cut, and says where the rest is.
        #expect(page.contains("<p>The first 20,000 characters of 50,000; <code>large.calls.csv</code> has the whole answer.</p>"))
        #expect(!page.contains(String(repeating: "y", count: 20_001)))
    }

    /// Every element the renderer and the chart write; anything else came from data.
    static let renderedTags: Set<String> = [
        "!doctype", "html", "head", "meta", "title", "style", "body", "main", "script", "h1", "h2", "h3", "p", "div",
        "table", "thead", "tbody", "tr", "th", "td", "button", "strong", "em", "code", "br", "ul", "li", "aside",
        "figure", "figcaption", "svg", "rect", "text", "line", "circle", "path", "g", "polyline", "tspan",
        "section", "article", "h4", "pre", "details", "summary", "label", "select", "option", "input", "span",
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

    /// The page, with the drill-down, the hostile texts as variables and grader reasons too.
    static var page: String {
        let (summary, calls) = run
        var cases = summary.drillDown(calls: calls.map(ReportCall.init))
        let reason = GraderOutcome(type: texts[0], score: 0, weight: 1, reason: texts[3], metric: texts[4], judges: [
            JudgeOpinion(model: texts[1], score: 0, passed: false, verdict: texts[2], reason: texts[5], costMicros: 7)])
        let grades = Dictionary(uniqueKeysWithValues: (cases?.callIDsWithoutGrades ?? []).map { ($0, GraderOutcome.encoded([reason])) })
        cases?.fill(grades: grades, variables: [[texts[0]: texts[1]], [texts[2]: texts[3]]])
        return HTMLReport(summary, cases: cases, callsFile: texts[0]).render()
    }

    static var summary: RunSummary { run.summary }

    static var run: (summary: RunSummary, calls: [CallRecord]) {
        let run = RunRecord(id: 1, suite: texts[0], suitePath: "suites/x.yaml", suiteHash: "abcdef0123456789",
                            catalogPath: "models.yaml", toolVersion: "0.1.0", startedAt: ReportFixture.start,
                            finishedAt: ReportFixture.start.addingTimeInterval(3), status: .completed)
        let models = [ReportFixture.model(texts[1], texts[3], .frontier, price: ("1", "2"), simulated: true, runID: 1),
                      ReportFixture.model(texts[2], "vendor/b", .open, price: ("0.1", "0.2"), simulated: false, runID: 1)]
        let cases = [CaseRecord(runId: 1, taskId: texts[4], caseId: texts[5], position: 0, variables: [:]),
                     CaseRecord(runId: 1, taskId: texts[4], caseId: texts[0], position: 1, variables: [:])]
        var calls = [
            ReportFixture.answer(texts[1], texts[4], texts[5], texts[3], score: 1, cost: 100, latency: 10, runID: 1),
            ReportFixture.answer(texts[1], texts[4], texts[0], texts[5], score: 0, cost: 100, latency: 10, runID: 1),
            ReportFixture.answer(texts[2], texts[4], texts[5], texts[0], score: 0, cost: 10, latency: 5, runID: 1),
            ReportFixture.failure(texts[2], texts[4], texts[0], .server, texts[1], status: 500, runID: 1),
        ]
        for index in calls.indices { calls[index].id = Int64(index + 1) }
        return (RunSummary(run: run, models: models, cases: cases, calls: calls), calls)
    }
}
