import Crypto
import Foundation
import Testing
@testable import TradeoffKit

/// The HTML renderer on its own: every block, escaping, links, and the page's policy.
struct HTMLRendererTests {
    private let renderer = HTMLRenderer()

    @Test(arguments: [
        ("</script><script>alert(1)</script>", "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("\" onmouseover=\"alert(1)", "&quot; onmouseover=&quot;alert(1)"),
        ("' onfocus='x", "&apos; onfocus=&apos;x"),
        ("javascript:alert(1)", "javascript:alert(1)"),
        ("Q&A &lt;", "Q&amp;A &amp;lt;"),
        ("one\ntwo\r\nthree", "one<br>two<br>three"),
        ("nul\u{0}bell\u{7}", "nul\u{FFFD}bell\u{FFFD}"),
        ("a | b **c**", "a | b **c**"),
    ])
    func escapesDataInACell(text: String, expected: String) {
        let html = renderer.render(.table(Table([.text("Answer", .leading)], [[.data(text)]])))
        #expect(html.contains("<tr><td>\(expected)</td></tr>"), "\(html)")
    }

    @Test func rendersATableSortableByTypedValues() {
        let table = Table([.text("Model", .leading), .text("Cost", .trailing), .text("Gate", .leading)], [
            [.data("gpt_4o"), .money(161, "$0.000161"), .code("quality(*) >= 0.9")],
            [Cell([.data("local"), .text(" (reference)")]), .none, .strong("FAIL")],
            [.data("x"), .money(nil, "unpriced"), Cell([.strong([.value(Quantity(.percent, 0.5, display: "50.0%"))])])],
        ])
        #expect(renderer.render(.table(table)) == """
            <div class="table">
            <table class="sortable">
            <thead>
            <tr>
            <th scope="col"><button type="button">Model</button></th>
            <th scope="col" class="num"><button type="button">Cost</button></th>
            <th scope="col"><button type="button">Gate</button></th>
            </tr>
            </thead>
            <tbody>
            <tr><td>gpt_4o</td><td class="num" data-value="161.0">$0.000161</td><td><code>quality(*) &gt;= 0.9</code></td></tr>
            <tr><td>local (reference)</td><td class="num">—</td><td><strong>FAIL</strong></td></tr>
            <tr><td>x</td><td class="num">unpriced</td><td data-value="0.5"><strong>50.0%</strong></td></tr>
            </tbody>
            </table>
            </div>
            """)
    }

    @Test func sortsByTheFirstMeasuredValueOfACell() {
        let score = Cell([.value(Quantity(.number, 0.25, display: "0.25")), .text(": "), .data("42"),
                          .value(Quantity(.number, 9, display: "9"))])
        #expect(HTMLRenderer.sortValue(score.content) == "0.25")
        #expect(HTMLRenderer.sortValue(Cell.count(1_234).content) == "1234.0")
        #expect(HTMLRenderer.sortValue(Cell.number(.infinity, "∞").content) == nil)
        #expect(HTMLRenderer.sortValue(Cell.data("12").content) == nil)
    }

    @Test func rendersHeadingsNotesListsAndInlines() {
        #expect(renderer.render(.heading(level: 2, [.text("Models")])) == "<h2>Models</h2>")
        #expect(renderer.render(.heading(level: 9, [.data("<x>")])) == "<h6>&lt;x&gt;</h6>")
        #expect(renderer.render(.paragraph([.text("p < 0.05 for "), .emphasis([.data("a_b")]), .text(".")]))
                == "<p>p &lt; 0.05 for <em>a_b</em>.</p>")
        #expect(renderer.render(.note(Note(.caution, title: "Partial run.", paragraphs: [[.text("one")], [.code("two")]])))
                == "<aside class=\"note caution\" role=\"note\">\n<p><strong>Partial run.</strong> one</p>\n"
                + "<p><code>two</code></p>\n</aside>")
        #expect(renderer.render(.list([ListItem([.text("a")], children: [ListItem([.data("b&c")])]), ListItem([.text("d")])]))
                == "<ul>\n<li>a\n<ul>\n<li>b&amp;c</li>\n</ul></li>\n<li>d</li>\n</ul>")
    }

    @Test(arguments: [
        ("report.md", true), ("my%20report.svg", true), ("#models", true), ("a/b:c", true), ("?q=a:b", true),
        ("https://example.com/x", true), ("HTTP://example.com", true), ("mailto:a@example.com", true),
        ("javascript:alert(1)", false), (" JavaScript:alert(1)", false), ("java\tscript:alert(1)", false),
        ("java\nscript:x", false), ("\u{1}javascript:x", false), ("data:text/html,<script>x</script>", false),
        ("vbscript:msgbox", false), ("file:///etc/passwd", false),
    ])
    func linksOnlyToPagesAndWebAddresses(target: String, safe: Bool) {
        #expect(HTMLText.isSafeLink(target) == safe)
        let html = renderer.render([.link([.text("here")], target: target)])
        #expect(html == (safe ? "<a href=\"\(HTMLText.escape(target))\">here</a>" : "here"))
    }

    @Test func inlinesAKnownFigureAndLinksAnyOther() {
        let figure = Figure(source: "chart.svg", description: "Cost \"against\" quality")
        let inlining = HTMLRenderer(inlining: ["chart.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>\n"])
        #expect(inlining.render(.figure(figure)) == "<figure>\n<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>\n"
                + "<figcaption>Cost &quot;against&quot; quality</figcaption>\n</figure>")
        #expect(renderer.render(.figure(figure)) == "<figure><a href=\"chart.svg\">Cost &quot;against&quot; quality</a></figure>")
        #expect(renderer.render(.figure(Figure(source: "javascript:x", description: "d"))) == "<figure>d</figure>")
    }

    @Test func pageAllowsOnlyItsOwnScriptAndStyle() throws {
        let page = renderer.render(ReportDocument([.heading(level: 1, [.text("Tradeoff report: "), .data("a</title>")])]))
        #expect(page.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"))
        #expect(page.contains("<title>Tradeoff report: a&lt;/title&gt;</title>"))
        let script = try #require(Self.content(of: "script", in: page))
        let style = try #require(Self.content(of: "style", in: page))
        let policy = "default-src 'none'; script-src '\(Self.hash(script))'; style-src '\(Self.hash(style))'; "
            + "base-uri 'none'; form-action 'none'"
        #expect(page.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"\(HTMLText.escape(policy))\">"))
        // Offline: nothing is fetched, so nothing names a source to fetch from.
        for fetch in ["src=", "<link", "@import", "url(", "http:", "https:"] {
            #expect(!page.contains(fetch), "\(fetch)")
        }
        #expect(page.components(separatedBy: "<script").count == 2)
    }

    @Test func pageIsTitledEvenWithoutAHeading() {
        #expect(renderer.render(ReportDocument()).contains("<title>Tradeoff report</title>"))
    }

    /// The text between `<name>` and `</name>`.
    static func content(of name: String, in page: String) -> String? {
        guard let open = page.range(of: "<\(name)>"), let close = page.range(of: "</\(name)>", range: open.upperBound..<page.endIndex)
        else { return nil }
        return String(page[open.upperBound..<close.lowerBound])
    }

    /// `sha256-BASE64` of `text`, computed here independently of the renderer.
    static func hash(_ text: String) -> String {
        "sha256-" + Data(SHA256.hash(data: Data(text.utf8))).base64EncodedString()
    }
}
