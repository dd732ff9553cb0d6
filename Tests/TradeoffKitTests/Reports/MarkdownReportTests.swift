import Foundation
import Testing
@testable import TradeoffKit

struct MarkdownReportTests {
    @Test(arguments: [
        ("mixed.md", ReportFixture.mixed.summary),
        ("minimal.md", ReportFixture.minimal.summary),
    ])
    func matchesGoldenFile(name: String, summary: RunSummary) throws {
        let mismatch = try Golden.mismatch(MarkdownReport(summary).render(), name)
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
        ("", ""),
    ])
    func escapesCellText(text: String, expected: String) {
        #expect(MarkdownReport.escape(text) == expected)
    }

    @Test(arguments: [
        ("suites/a.yaml", "`suites/a.yaml`"),
        ("a`b", "``a`b``"),
        ("`x`", "`` `x` ``"),
        ("two\nlines", "`two lines`"),
    ])
    func fencesCodeSpans(text: String, expected: String) {
        #expect(MarkdownReport.code(text) == expected)
    }

    @Test(arguments: [
        (0.0, "0.0 s"), (12.34, "12.3 s"), (59.96, "1 min 0 s"), (252.4, "4 min 12 s"), (3_725, "1 h 02 min"),
        (-3, "0.0 s"),
    ])
    func formatsDurations(seconds: Double, expected: String) {
        #expect(MarkdownReport.duration(seconds) == expected)
    }

    @Test func neverShowsAnUnpricedCostAsZero() {
        let report = MarkdownReport(ReportFixture.mixed.summary).render()
        let local = report.split(separator: "\n").first { $0.hasPrefix("| local-c |") }
        #expect(local == "| local-c | open | 3 | 1.000 | 100.0% | unpriced | unpriced | 4,000 ms | 4,450 ms | 2 |")
        #expect(report.contains("- **Total spend:** $0.007952 (priced models only; unpriced: local-c)"))
    }

    @Test func saysWhenModelsAreSimulated() {
        let mixed = MarkdownReport(ReportFixture.mixed.summary).render()
        #expect(mixed.contains("> **Simulated results.** frontier-a, open-b are simulated by Tradeoff's fake provider"))
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
}
