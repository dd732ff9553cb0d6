import Foundation
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

/// What a reader does with the page in a real browser beyond sorting and filtering: opens a case,
/// reaches the chart's points from the keyboard, and sees a first screen with something on it.
@Suite(.enabled(if: Chromium.path != nil, "needs chromium on PATH (scripts/install-deps installs it)"))
struct HTMLInteractionTests {

    /// Focuses the first case's summary (where Tab lands on it), presses it, and records after each
    /// step how many of the case's answers, graders' reasons and judges' verdicts are rendered
    /// (`checkVisibility`: a closed `<details>` keeps its content laid out but hidden), with the
    /// text of the first verdict shown.
    static let caseDriver = """
        (function () {
          var root = document.documentElement;
          var item = document.querySelector("article.case"), summary = item.querySelector("summary");
          function seen(selector) {
            return Array.prototype.filter.call(item.querySelectorAll(selector), function (element) {
              return element.checkVisibility();
            });
          }
          function record(name) {
            root.setAttribute("data-" + name, seen(".answer").length + " answers, " + seen(".grades > li").length
              + " reasons, " + seen(".grades li li").length + " verdicts");
          }
          record("closed");
          summary.focus();
          root.setAttribute("data-focused", String(document.activeElement === summary) + ", tabIndex " + summary.tabIndex);
          summary.click();
          record("opened");
          var verdict = seen(".grades li li")[0];
          root.setAttribute("data-verdict", verdict ? verdict.textContent : "none");
          summary.click();
          record("closed-again");
        })();
        """

    @Test func opensACaseOnItsGradersReasonsAndJudgesVerdicts() throws {
        let (summary, calls) = DrillDownFixture.run
        var cases = try #require(summary.drillDown(calls: calls.map(ReportCall.init)))
        cases.fill(grades: [3: DrillDownFixture.grades(judged: false)], variables: [["ticket": "Refund <now>"]])
        let page = HTMLReport(summary, cases: cases).render()
        let (dom, console) = try HTMLBrowserTests.load(HTMLBrowserTests.page(page, drivenBy: Self.caseDriver))
        #expect(console.isEmpty, "\(console)")
        let root = try #require(dom.firstMatch(of: try Regex(#"<html[^>]*>"#)).map { String(dom[$0.range]) })
        // Folded to its line until pressed: big's exact and judge graders, small's exact; down failed.
        #expect(root.contains(" data-closed=\"0 answers, 0 reasons, 0 verdicts\""), "\(root)")
        #expect(root.contains(" data-focused=\"true, tabIndex 0\""), "\(root)")
        #expect(root.contains(" data-opened=\"3 answers, 3 reasons, 1 verdicts\""), "\(root)")
        #expect(root.contains(" data-verdict=\"judge judge-1: verdict pass, score 1.00, $0.00003: names the &lt;right&gt; queue\""),
                "\(root)")
        #expect(root.contains(" data-closed-again=\"0 answers, 0 reasons, 0 verdicts\""), "\(root)")
    }

    /// Records the chart's points and what is in the tab order before them, then focuses the first
    /// point (as Tab does: it is in the sequential order, `tabIndex` 0, and nothing has a positive
    /// one to jump ahead of it) and records whether its details box shows, what it says a line
    /// each, and the title naming it; then blurs it.
    static let chartDriver = """
        (function () {
          var root = document.documentElement;
          root.setAttribute("data-page-focused", String(document.hasFocus()));
          var points = document.querySelectorAll("svg .point");
          var ahead = Array.prototype.filter.call(document.querySelectorAll("[tabindex]"), function (element) {
            return element.tabIndex > 0;
          }).length;
          var point = points[0], details = point.querySelector(".details");
          // Laid out and drawn: Chromium's checkVisibility() says true for an SVG group with display none.
          function shown() {
            return getComputedStyle(details).display !== "none" && details.getBoundingClientRect().width > 0;
          }
          root.setAttribute("data-points", points.length + " points, tabIndex " + point.tabIndex + ", " + ahead + " ahead, role "
            + point.getAttribute("role"));
          root.setAttribute("data-before", String(shown()));
          point.focus();
          var lines = Array.prototype.map.call(details.querySelectorAll("text"), function (line) { return line.textContent; });
          root.setAttribute("data-focused", String(document.activeElement === point) + ", details " + shown()
            + ": " + lines.join(" | "));
          var box = details.getBoundingClientRect(), chart = point.ownerSVGElement.getBoundingClientRect();
          root.setAttribute("data-inside", String(box.width > 0 && box.left >= chart.left && box.right <= chart.right
            && box.top >= chart.top && box.bottom <= chart.bottom));
          root.setAttribute("data-label", document.getElementById(point.getAttribute("aria-labelledby")).textContent);
          point.blur();
          root.setAttribute("data-blurred", String(shown()));
        })();
        """

    @Test func reachesEachChartPointFromTheKeyboardAndShowsItsDetailsOnFocus() throws {
        let summary = ReportFixture.decision.summary
        let page = HTMLBrowserTests.page(HTMLReport(summary).render(), drivenBy: Self.chartDriver)
        // A reader's window has focus; a headless one started while others start sometimes gets it only
        // after the page has loaded, and then nothing on it matches :focus. Such a load is taken again.
        var root = ""
        for _ in 1...4 where !root.contains(" data-page-focused=\"true\"") {
            let (dom, console) = try HTMLBrowserTests.load(page)
            #expect(console.isEmpty, "\(console)")
            root = try #require(dom.firstMatch(of: try Regex(#"<html[^>]*>"#)).map { String(dom[$0.range]) })
        }
        #expect(root.contains(" data-page-focused=\"true\""), "\(root)")
        let first = try #require(summary.model(summary.frontier.points[0].modelID))
        let onFrontier = summary.frontier.points[0].onFrontier
        #expect(root.contains(" data-points=\"\(summary.frontier.points.count) points, tabIndex 0, 0 ahead, role img\""), "\(root)")
        #expect(root.contains(" data-before=\"false\""), "\(root)")
        let interval = try #require(first.qualityInterval)
        let lines = ["\(first.modelID) (\(first.modelClass.rawValue))", "\(Money.format(micros: try #require(first.costPerCaseMicros))) per case",
                     "quality \(Formatting.quality(try #require(first.quality))) (95% CI \(Formatting.quality(interval.lower))–"
                        + "\(Formatting.quality(interval.upper)))", onFrontier ? "on the frontier" : "off the frontier"]
        #expect(root.contains(" data-focused=\"true, details true: \(lines.joined(separator: " | "))\""), "\(root)")
        #expect(root.contains(" data-inside=\"true\""), "\(root)")
        #expect(root.contains(" data-label=\"\(HTMLText.escape(FrontierChart.tooltip(first, onFrontier: onFrontier)))\""), "\(root)")
        #expect(root.contains(" data-blurred=\"false\""), "\(root)")
    }

    @Test func takesAFirstScreenThatIsNotBlank() throws {
        let (summary, calls) = ReportFixture.decision
        let page = HTMLReport(summary, cases: summary.drillDown(calls: calls.map(ReportCall.init))).render()
        let shot = try PNGImage(Self.screenshot(page, width: 1000, height: 700))
        #expect(shot.width == 1000 && shot.height == 700)
        // Text, tables and rules on white: some ink, far from all of it, and varied.
        #expect(shot.share(darkerThan: 160) > 0.01, "\(shot.share(darkerThan: 160))")
        #expect(shot.share(darkerThan: 160) < 0.5, "\(shot.share(darkerThan: 160))")
        #expect(shot.greyDeviation > 15, "\(shot.greyDeviation)")
        // The same measure says blank for a page with nothing on it.
        let blank = try PNGImage(Self.screenshot("<!DOCTYPE html><html><body></body></html>", width: 1000, height: 700))
        #expect(blank.greyDeviation == 0 && blank.share(darkerThan: 160) == 0)
    }

    /// A PNG of the first `width` × `height` pixels of `page`, taken by headless Chromium.
    static func screenshot(_ page: String, width: Int, height: Int) throws -> Data {
        try withTemporaryDirectory { directory in
            let file = try directory.write("page.html", page)
            let chromium = try #require(Chromium.path)
            let png = directory.file("shot.png")
            let result = try runProcess(URL(fileURLWithPath: "/usr/bin/timeout"), [
                "60", chromium.path, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
                "--user-data-dir=" + directory.file("profile"), "--window-size=\(width),\(height)",
                "--screenshot=" + png, URL(fileURLWithPath: file).absoluteString,
            ])
            #expect(result.status == 0, "\(result.stderr)")
            return try #require(FileManager.default.contents(atPath: png))
        }
    }
}
