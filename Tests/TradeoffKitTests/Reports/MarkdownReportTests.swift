import Foundation
import Testing
@testable import TradeoffKit

struct MarkdownReportTests {
    @Test(arguments: [
        ("mixed.md", ReportFixture.mixed.summary),
        ("minimal.md", ReportFixture.minimal.summary),
        ("decision.md", ReportFixture.decision.summary),
    ])
    func matchesGoldenFile(name: String, summary: RunSummary) throws {
        let mismatch = try Golden.mismatch(MarkdownReport(summary, chartFile: "report.svg").render(), name)
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    @Test(arguments: [
        ("plain text", "plain text"),
        ("a | b", #"a \| b"#),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("Q&A", "Q&amp;A"),
        ("&lt;", "&amp;lt;"),
        ("one\ntwo", "one<br>two"),
        ("one\r\ntwo\rthree", "one<br>two<br>three"),
        (#"a\|b"#, #"a\\\|b"#),
        ("`code`", #"\`code\`"#),
        ("**bold** _it_", #"\*\*bold\*\* \_it\_"#),
        ("[x](javascript:alert(1))", #"\[x\](javascript:alert(1))"#),
        ("", ""),
    ])
    func escapesCellText(text: String, expected: String) {
        #expect(MarkdownText.escape(text) == expected)
    }

    @Test(arguments: [
        ("suites/a.yaml", "`suites/a.yaml`"),
        ("a`b", "``a`b``"),
        ("`x`", "`` `x` ``"),
        ("two\nlines", "`two lines`"),
    ])
    func fencesCodeSpans(text: String, expected: String) {
        #expect(MarkdownText.code(text) == expected)
    }

    @Test(arguments: [
        (0.0, "0.0 s"), (12.34, "12.3 s"), (59.96, "1 min 0 s"), (252.4, "4 min 12 s"), (3_725, "1 h 02 min"),
        (-3, "0.0 s"),
    ])
    func formatsDurations(seconds: Double, expected: String) {
        #expect(Formatting.duration(seconds) == expected)
    }

    @Test func neverShowsAnUnpricedCostAsZero() {
        let report = MarkdownReport(ReportFixture.mixed.summary).render()
        let local = report.split(separator: "\n").first { $0.hasPrefix("| local-c | unpriced") }
        #expect(local != nil)
        #expect(report.contains("- **Total spend:** $0.007952 (priced models only; unpriced: local-c)"))
        #expect(!report.contains("| local-c | $0"))
    }

    @Test func saysWhenModelsAreSimulated() {
        let mixed = MarkdownReport(ReportFixture.mixed.summary).render()
        #expect(mixed.contains("> **Simulated results.** frontier-a and open-b are simulated by Tradeoff's fake provider"))
        let minimal = MarkdownReport(ReportFixture.minimal.summary).render()
        #expect(!minimal.contains("Simulated"))
        #expect(!minimal.contains("## Errors"))
    }

    @Test func escapedTextCannotAddTableColumns() {
        let report = MarkdownReport(ReportFixture.mixed.summary).render()
        let errorRows = report.split(separator: "\n").filter { $0.hasPrefix("| open-b | rate_limited") }
        #expect(errorRows.count == 1)
        // Cells are separated by " | "; an escaped pipe is "\|".
        let unescapedPipes = errorRows[0].replacingOccurrences(of: #"\|"#, with: "").filter { $0 == "|" }.count
        #expect(unescapedPipes == 5)
        #expect(!report.contains("<b>") && !report.contains("<script"))
    }

    @Test func disagreementsShowEscapedAnswers() throws {
        let report = MarkdownReport(ReportFixture.mixed.summary).render()
        let section = try #require(report.components(separatedBy: "## Where the models disagree most").last)
        #expect(section.contains("&lt;script&gt;alert('x')&lt;/script&gt;"))
        #expect(section.contains("line one<br>line two"))
        for row in section.split(separator: "\n").filter({ $0.hasPrefix("| classify") || $0.hasPrefix("| extract") }) {
            let cells = row.replacingOccurrences(of: #"\|"#, with: "").filter { $0 == "|" }.count
            #expect(cells == 5, "\(row)")
        }
    }

    /// The headline says what to run and why, from the numbers.
    @Test func headlineRecommendsTheCheaperModelWhenItIsShownNonInferior() {
        let headline = Headline.text(ReportFixture.decision.summary)
        #expect(headline.hasPrefix("**open-good reaches 98% (95% CI "))
        #expect(headline.contains("of frontier's quality, non-inferior at δ = 10 points, at 10% of the cost**: "
                                  + "$200.00 instead of $2,000.00 a month at 2M/month."))
        #expect(headline.hasSuffix("Per task: open-good is enough for classify; frontier stays the choice for extract."))
    }

    @Test func headlineSaysWhenNoCandidateIsShownNonInferior() {
        let headline = Headline.text(ReportFixture.mixed.summary)
        #expect(headline.hasPrefix("**No cheaper model is shown non-inferior to frontier-a at δ = 5 points on this "
                                   + "suite's 5 cases**, so frontier-a stays the choice."))
        #expect(headline.contains("The closest, open-b, reaches"))
    }

    @Test func linksTheChartAndShowsChecks() throws {
        let (summary, _) = ReportFixture.decision
        let checks = Checks(gates: [try Gate(parsing: "quality(open-bad) >= 0.9"), try Gate(parsing: "p95_latency(*) <= 2s")],
                            summary: summary)
        let report = MarkdownReport(summary, checks: checks, chartFile: "my%20report.svg").render()
        #expect(report.contains("![Cost per case (log scale) against quality, with 95% intervals](my%20report.svg)"))
        #expect(report.contains("**Checks failed.**"))
        #expect(report.contains("| `quality(open-bad) >= 0.9` | open-bad | 0.688 | **FAIL** |"))
        #expect(report.contains("| `p95_latency(*) <= 2s` | frontier | 1,085 ms | pass |"))
    }
}
