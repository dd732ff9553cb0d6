import Foundation
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

/// The page in a real browser: headless Chromium (Debian's `chromium`, installed by
/// `scripts/install-deps`) loads it from a file and prints the DOM after its scripts ran.
@Suite(.enabled(if: Chromium.path != nil, "needs chromium on PATH (scripts/install-deps installs it)"))
struct HTMLBrowserTests {

    /// Presses the "Cost / case" header twice and records the column's values after each press:
    /// a test of the page's script driven by a second script the test adds to the page.
    static let driver = """
        (function () {
          var root = document.documentElement;
          var tables = document.querySelectorAll("table.sortable");
          for (var t = 0; t < tables.length; t++) {
            var headers = tables[t].querySelectorAll("thead th");
            for (var c = 0; c < headers.length; c++) {
              if (headers[c].textContent !== "Cost / case") { continue; }
              var table = tables[t], column = c;
              var values = function () {
                return Array.prototype.map.call(table.tBodies[0].rows, function (row) {
                  return row.cells[column].getAttribute("data-value") || "-";
                }).join(" ");
              };
              var button = headers[c].querySelector("button");
              button.click();
              root.setAttribute("data-ascending", values());
              root.setAttribute("data-ascending-sort", headers[c].getAttribute("aria-sort"));
              button.click();
              root.setAttribute("data-descending", values());
              root.setAttribute("data-descending-sort", headers[c].getAttribute("aria-sort"));
              return;
            }
          }
        })();
        """

    @Test func sortsANumberColumnBothWaysWithoutConsoleErrors() throws {
        // Text order would put 10 before 9 and 2,000 before 100; a cell without a value goes last either way.
        let table = Table([.text("Model", .leading), .text("Cost / case", .trailing)], [
            [.data("a"), .money(100, "$0.000100")], [.data("b"), .money(nil, "unpriced")],
            [.data("c"), .money(2_000, "$0.002000")], [.data("d"), .money(9, "$0.000009")], [.data("e"), .money(10, "$0.000010")],
        ])
        var page = HTMLRenderer().render(ReportDocument([.heading(level: 1, [.text("Sorting")]), .table(table)]))
        // The driver runs only if the policy names it too, as the page's own script is named.
        let own = HTMLAssets.hash(HTMLAssets.script)
        page = page.replacingOccurrences(of: "script-src &apos;\(own)&apos;",
                                         with: "script-src &apos;\(own)&apos; &apos;\(HTMLAssets.hash(Self.driver))&apos;")
        page = page.replacingOccurrences(of: "</body>", with: "<script>\(Self.driver)</script>\n</body>")
        let (dom, console) = try Self.load(page)
        #expect(console.isEmpty, "\(console)")
        let root = try #require(dom.firstMatch(of: try Regex(#"<html[^>]*>"#)).map { String(dom[$0.range]) })
        #expect(root.contains(" data-script=\"ready\""))
        #expect(root.contains(" data-ascending=\"9.0 10.0 100.0 2000.0 -\""), "\(root)")
        #expect(root.contains(" data-ascending-sort=\"ascending\""))
        #expect(root.contains(" data-descending=\"2000.0 100.0 10.0 9.0 -\""), "\(root)")
        #expect(root.contains(" data-descending-sort=\"descending\""))
    }

    @Test func showsHostileContentAsTextInTheBrowser() throws {
        let (dom, console) = try Self.load(HTMLReport(HostileFixture.summary).render())
        #expect(console.isEmpty, "\(console)")
        #expect(dom.contains("data-script=\"ready\""))
        let tags = HTMLReportTests.tags(in: dom)
        #expect(tags.filter { $0.name == "script" }.count == 1)
        #expect(Set(tags.map(\.name)).isSubset(of: HTMLReportTests.renderedTags),
                "\(Set(tags.map(\.name)).subtracting(HTMLReportTests.renderedTags))")
        for tag in tags {
            #expect(!tag.attributes.contains { $0.hasPrefix("on") }, "\(tag)")
        }
        #expect(dom.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"))
    }

    /// The DOM of `page` after load, and the console messages Chromium logged (CSP refusals,
    /// uncaught errors).
    static func load(_ page: String) throws -> (dom: String, console: [String]) {
        try withTemporaryDirectory { directory in
            let file = try directory.write("page.html", page)
            let chromium = try #require(Chromium.path)
            // `timeout` so a hung browser fails the test instead of the suite; no sandbox because CI
            // containers run as root; a profile of its own so tests running at once do not share one.
            let result = try runProcess(URL(fileURLWithPath: "/usr/bin/timeout"), [
                "60", chromium.path, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--user-data-dir=" + directory.file("profile"), "--enable-logging=stderr", "--v=0",
                "--dump-dom", URL(fileURLWithPath: file).absoluteString,
            ])
            #expect(result.status == 0, "\(result.stderr)")
            let console = result.stderr.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
            return (result.stdout, console)
        }
    }
}

/// The browser the tests drive.
enum Chromium {
    /// `chromium` on PATH, if any.
    static let path: URL? = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        .map { URL(fileURLWithPath: String($0)).appendingPathComponent("chromium") }
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }
}
