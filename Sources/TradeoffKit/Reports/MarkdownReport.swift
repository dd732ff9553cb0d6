/// The Markdown report of a run: GitHub-flavoured, readable by someone who buys as well as in a
/// CI job summary.
///
/// It opens with a headline generated from the numbers, then the models with their intervals,
/// each model against the reference (paired), the cost–quality frontier with its chart, the
/// same per task with a recommendation each, the cases the models disagree on most, the errors,
/// the checks, the run's facts and how everything was computed. The text depends only on the
/// summary (no "generated at" time; the bootstrap is seeded), so the same results always give the
/// same report. Each section (`Sections/`) builds its blocks of one `ReportDocument`; the
/// `MarkdownRenderer` escapes everything in it that came from a model or a user file.
public struct MarkdownReport: Sendable {
    /// What the report shows.
    public var summary: RunSummary
    /// Gates and regressions checked, if any.
    public var checks: Checks?
    /// The chart's file name, relative to the report (`demo.svg`); nil leaves the chart out.
    public var chartFile: String?

    /// A report of `summary`.
    ///
    /// - Parameters:
    ///   - summary: The run's summary.
    ///   - checks: The gates and regressions checked, shown in a "Checks" section.
    ///   - chartFile: The SVG chart's path relative to the report, linked from the frontier section.
    public init(_ summary: RunSummary, checks: Checks? = nil, chartFile: String? = nil) {
        self.summary = summary
        self.checks = checks
        self.chartFile = chartFile
    }

    /// The report as a neutral document, section by section.
    public var document: ReportDocument {
        var blocks = TitleSection(summary).blocks
        if let checks { blocks += ChecksSection(checks).blocks }
        blocks += ModelsSection(summary).blocks
        blocks += ReferenceSection(summary).blocks
        blocks += PromptVariantsSection(summary).blocks
        blocks += FrontierSection(summary, chartFile: chartFile).blocks
        blocks += TasksSection(summary).blocks
        blocks += RoutingSection(summary).blocks
        blocks += GradingSection(summary).blocks
        blocks += CasesSection(summary).blocks
        blocks += RunSection(summary).blocks
        return ReportDocument(blocks)
    }

    /// The report as Markdown, ending with a newline.
    public func render() -> String {
        MarkdownRenderer().render(document)
    }
}
