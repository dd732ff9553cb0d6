/// The report of a run as one HTML page that works offline: the same document as the Markdown
/// report, so the two never disagree, with the cost–quality chart inline and every table sortable.
public struct HTMLReport: Sendable {
    /// What the report shows.
    public var summary: RunSummary
    /// Gates and regressions checked, if any.
    public var checks: Checks?

    /// The page of `summary`.
    ///
    /// - Parameters:
    ///   - summary: The run's summary.
    ///   - checks: The gates and regressions checked, shown in a "Checks" section.
    public init(_ summary: RunSummary, checks: Checks? = nil) {
        self.summary = summary
        self.checks = checks
    }

    /// The page, ending with a newline.
    public func render() -> String {
        // The figure's source only pairs it with the chart inlined in its place.
        let chart = "chart.svg"
        let document = MarkdownReport(summary, checks: checks, chartFile: chart).document
        return HTMLRenderer(inlining: [chart: FrontierChart(summary).render()]).render(document)
    }
}
