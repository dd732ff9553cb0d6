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
        let page = HTMLRenderer().render(ReportDocument([.heading(level: 1, [.text("Sorting")]), .table(table)]))
        let (dom, console) = try Self.load(Self.page(page, drivenBy: Self.driver))
        #expect(console.isEmpty, "\(console)")
        let root = try #require(dom.firstMatch(of: try Regex(#"<html[^>]*>"#)).map { String(dom[$0.range]) })
        #expect(root.contains(" data-script=\"ready\""))
        #expect(root.contains(" data-ascending=\"9.0 10.0 100.0 2000.0 -\""), "\(root)")
        #expect(root.contains(" data-ascending-sort=\"ascending\""))
        #expect(root.contains(" data-descending=\"2000.0 100.0 10.0 9.0 -\""), "\(root)")
        #expect(root.contains(" data-descending-sort=\"descending\""))
    }

    @Test func showsHostileContentAsTextInTheBrowser() throws {
        let (dom, console) = try Self.load(HostileFixture.page)
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

    /// Sets the drill-down's filters as a reader would (a choice, then a `change` event) and
    /// records after each which cases and answers are still shown: how many cases, which models'
    /// answers (by position), whether those cases disagree, and what the status line says.
    static let filterDriver = """
        (function () {
          var root = document.documentElement;
          function shown(selector) {
            return Array.prototype.filter.call(document.querySelectorAll(selector), function (element) {
              return element.closest("[hidden]") === null;
            });
          }
          function distinct(elements, attribute) {
            var seen = {};
            elements.forEach(function (element) { seen[element.getAttribute(attribute)] = true; });
            return Object.keys(seen).sort().join(" ");
          }
          function record(name) {
            var cases = shown("article.case");
            root.setAttribute("data-" + name, cases.length + " | " + distinct(shown("article.case .answer"), "data-model")
              + " | " + distinct(cases, "data-disagree") + " | " + document.getElementById("case-status").textContent);
          }
          function choose(id, value) {
            var control = document.getElementById(id);
            if (control.type === "checkbox") { control.checked = value; } else { control.value = value; }
            control.dispatchEvent(new Event("change"));
          }
          root.setAttribute("data-filters-shown", String(!document.querySelector(".filters").hidden));
          record("all");
          choose("case-model", "2");
          record("model");
          choose("case-outcome", "failed");
          record("model-failing");
          choose("case-model", "");
          choose("case-outcome", "");
          choose("case-disagree", true);
          record("disagree");
          choose("case-task", "1");
          record("disagree-task");
        })();
        """

    @Test func filtersTheCasesByModelResultAndDisagreement() throws {
        let (summary, calls) = ReportFixture.decision
        let page = HTMLReport(summary, cases: summary.drillDown(calls: calls.map(ReportCall.init))).render()
        let (dom, console) = try Self.load(Self.page(page, drivenBy: Self.filterDriver))
        #expect(console.isEmpty, "\(console)")
        let root = try #require(dom.firstMatch(of: try Regex(#"<html[^>]*>"#)).map { String(dom[$0.range]) })
        #expect(root.contains(" data-filters-shown=\"true\""), "\(root)")
        // open-bad (model 2) fails 20 classify and 5 extract cases; every case it fails, the others pass.
        #expect(root.contains(" data-all=\"80 | 0 1 2 | no yes | Showing 80 of 80 cases.\""), "\(root)")
        #expect(root.contains(" data-model=\"80 | 2 | no yes | Showing 80 of 80 cases.\""), "\(root)")
        #expect(root.contains(" data-model-failing=\"25 | 2 | yes | Showing 25 of 80 cases.\""), "\(root)")
        #expect(root.contains(" data-disagree=\"27 | 0 1 2 | yes | Showing 27 of 80 cases.\""), "\(root)")
        #expect(root.contains(" data-disagree-task=\"7 | 0 1 2 | yes | Showing 7 of 80 cases.\""), "\(root)")
    }

    @Test func showsEveryCaseWithTheScriptBlocked() throws {
        let (summary, calls) = ReportFixture.decision
        let page = HTMLReport(summary, cases: summary.drillDown(calls: calls.map(ReportCall.init))).render()
        // Blocked as a strict mail client or proxy blocks it: the policy names no script.
        let own = HTMLAssets.hash(HTMLAssets.script)
        let (dom, _) = try Self.load(page.replacingOccurrences(of: "script-src &apos;\(own)&apos;", with: "script-src &apos;none&apos;"))
        #expect(!dom.contains("data-script=\"ready\""))
        #expect(dom.contains("<p id=\"case-status\" class=\"status\" role=\"status\" aria-live=\"polite\"></p>"))
        let tags = dom.matches(of: try Regex(#"<(article|div) class="(case|answer|filters)[^>]*>"#)).map { String(dom[$0.range]) }
        #expect(tags.filter { $0.hasPrefix("<article") }.count == 80)
        #expect(tags.filter { $0.contains("class=\"answer") }.count == 240)
        #expect(tags.filter { $0.contains("hidden") } == ["<div class=\"filters\" role=\"group\" aria-label=\"Filter the cases\" hidden=\"\">"])
    }

    /// Applies the page's print rules to the screen (copied through the CSSOM, which the policy
    /// allows) after a model filter hid most answers, then says as `beforeprint` would be sent,
    /// and records what a printout would show: the cases and answers displayed, whether the
    /// filters and the print-only note are, and how many folds (cases, long answers) are open.
    static let printDriver = """
        (function () {
          var root = document.documentElement, sheet = document.styleSheets[0];
          var model = document.getElementById("case-model");
          model.value = "0";
          model.dispatchEvent(new Event("change"));
          Array.prototype.forEach.call(sheet.cssRules, function (rule) {
            if (!rule.media || rule.media.mediaText !== "print") { return; }
            Array.prototype.forEach.call(rule.cssRules, function (inner) { sheet.insertRule(inner.cssText, sheet.cssRules.length); });
          });
          window.dispatchEvent(new Event("beforeprint"));
          function displayed(selector) {
            return Array.prototype.filter.call(document.querySelectorAll(selector), function (element) {
              return element.checkVisibility();
            });
          }
          var cases = displayed("article.case");
          root.setAttribute("data-printed", cases.length + " cases, " + displayed("article.case .answer").length + " answers, "
            + cases.filter(function (item) { return item.getAttribute("data-disagree") === "yes"; }).length + " disagreeing, "
            + displayed(".filters").length + " filters, " + displayed(".print-only").length + " notes, "
            + document.querySelectorAll("details[open]").length + " of " + document.querySelectorAll("details").length + " open");
        })();
        """

    @Test func printsOnlyTheDisagreementCasesWithTheirAnswersOpen() throws {
        let (summary, calls) = ReportFixture.decision
        let page = HTMLReport(summary, cases: summary.drillDown(calls: calls.map(ReportCall.init))).render()
        let (dom, console) = try Self.load(Self.page(page, drivenBy: Self.printDriver))
        #expect(console.isEmpty, "\(console)")
        // Every answer of the 27 disagreement cases, whatever the screen's filter hid.
        #expect(dom.contains(" data-printed=\"27 cases, 81 answers, 27 disagreeing, 0 filters, 1 notes, 27 of 80 open\""), "\(dom.prefix(600))")

        let (folded, _) = try Self.load(Self.page(HTMLReport(DrillDownFixture.run.summary, cases: DrillDownFixture.run.summary
            .drillDown(calls: DrillDownFixture.run.calls.map(ReportCall.init))).render(), drivenBy: Self.printDriver))
        #expect(folded.contains(" data-printed=\"1 cases, 3 answers, 1 disagreeing, 0 filters, 1 notes, 2 of 2 open\""),
                "\(folded.prefix(600))")
    }

    /// `page` with `driver` run after the page's own script, and allowed by the policy as the
    /// page's own script is (by hash).
    static func page(_ page: String, drivenBy driver: String) -> String {
        let own = HTMLAssets.hash(HTMLAssets.script)
        return page.replacingOccurrences(of: "script-src &apos;\(own)&apos;",
                                         with: "script-src &apos;\(own)&apos; &apos;\(HTMLAssets.hash(driver))&apos;")
            .replacingOccurrences(of: "</body>", with: "<script>\(driver)</script>\n</body>")
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
