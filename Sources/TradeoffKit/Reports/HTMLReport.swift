/// The report of a run as one HTML page that works offline: the same document as the Markdown
/// report, so the two never disagree, with the cost–quality chart inline, every table sortable
/// and, what only a page can hold, the cases one by one before the run's facts.
public struct HTMLReport: Sendable {
    /// What the report shows.
    public var summary: RunSummary
    /// Gates and regressions checked, if any.
    public var checks: Checks?
    /// The cases shown one by one; nil leaves the drill-down out.
    public var cases: CaseDrillDown?
    /// The calls CSV beside the page, named where cases are left out.
    public var callsFile: String?

    /// The page of `summary`.
    ///
    /// - Parameters:
    ///   - summary: The run's summary.
    ///   - checks: The gates and regressions checked, shown in a "Checks" section.
    ///   - cases: The cases to show one by one (`RunSummary.drillDown(calls:limit:)`).
    ///   - callsFile: The calls CSV's file name, relative to the page.
    public init(_ summary: RunSummary, checks: Checks? = nil, cases: CaseDrillDown? = nil, callsFile: String? = nil) {
        self.summary = summary
        self.checks = checks
        self.cases = cases
        self.callsFile = callsFile
    }

    /// The page, ending with a newline.
    public func render() -> String {
        // The figure's source only pairs it with the chart inlined in its place.
        let chart = "chart.svg"
        let document = MarkdownReport(summary, checks: checks, chartFile: chart).document
        let renderer = HTMLRenderer(inlining: [chart: FrontierChart(summary).render(focusablePoints: true)])
        guard let cases, !cases.cases.isEmpty else { return renderer.render(document) }
        // The run's facts and the method close the report, as in the Markdown; the cases go before them.
        let position = document.blocks.count - RunSection(summary).blocks.count
        return renderer.render(document, inserting: HTMLDrillDown(drillDown: cases, callsFile: callsFile).render(),
                               before: position)
    }
}
