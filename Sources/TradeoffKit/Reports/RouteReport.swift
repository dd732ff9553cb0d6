import Foundation

/// `tradeoff route`: the report's "Routing" section of one stored run on its own (the portfolio
/// and the cascades), as Markdown for people or as a command document for a CI step. Nothing is computed here: the text is the
/// section's, the JSON's `routing` member the report's.
public struct RouteReport: Sendable {
    /// The run shown.
    public var summary: RunSummary
    /// How the run was named, resolved: `run 7 of results/demo.sqlite`.
    public var label: String

    /// The route report of `summary`, read from `label`.
    public init(_ summary: RunSummary, label: String) {
        self.summary = summary
        self.label = label
    }

    /// Why the report has no Routing section at all (one model or one task), in words; nil
    /// when it has one.
    public var absence: String? {
        if summary.models.count < 2 { return "No portfolio: the run has one model, so there is nothing to route between." }
        if summary.tasks.count < 2 && summary.cascades.isEmpty && summary.cascadeNotes.isEmpty {
            return "No portfolio: the run has one task, so routing by task is the single recommendation."
        }
        return nil
    }

    /// The section as a neutral document, under a line naming the run; the reason alone when there
    /// is nothing to route.
    public var document: ReportDocument {
        let title: Block = .paragraph([.text("Run \(summary.run.id.map(String.init) ?? "?") of suite "), .data(summary.run.suite),
                                       .text(" (\(label)).")])
        if let absence { return ReportDocument([.section("Routing"), title, .paragraph([.text(absence)])]) }
        var blocks = RoutingSection(summary).blocks
        blocks.insert(title, at: min(1, blocks.count))
        return ReportDocument(blocks)
    }

    /// The section as Markdown, ending with a newline.
    public func markdown() -> String {
        MarkdownRenderer().render(document)
    }

    /// The one sentence that says what kind of number the portfolio is.
    public static let caveat = "This is a what-if on the suite's cases, not a measured production router."

    /// The `route` command document, one line: `run_id`, `label`, `suite`, `headline` (the
    /// section's sentence, or why there is no portfolio), `caveat`, and `routing`, the report's
    /// own routing object (`report.schema.json`), whose unknown values are left out as there.
    public func json() -> String {
        let headline: String
        if let absence {
            headline = absence
        } else {
            switch summary.routing {
            case .portfolio(let portfolio): headline = HTMLRenderer.plain(RoutingSection.headline(portfolio))
            case .skipped(let skip) where summary.tasks.count > 1: headline = HTMLRenderer.plain(RoutingSection.reason(skip))
            case .skipped:
                headline = CascadesPart.best(summary.cascades).map { HTMLRenderer.plain(CascadesPart.headline($0)) }
                    ?? summary.cascadeNotes.first ?? ""
            }
        }
        let document = Document(schemaVersion: CommandOutput.schemaVersion, runId: summary.run.id ?? 0, label: label,
                                suite: summary.run.suite, headline: headline, caveat: Self.caveat,
                                routing: JSONReport.routing(summary))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let data = (try? encoder.encode(document)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private struct Document: Encodable {
        var schemaVersion: Int
        var command = "route"
        var runId: Int64
        var label, suite, headline, caveat: String
        var routing: JSONReport.RoutingEntry

        init(schemaVersion: Int, runId: Int64, label: String, suite: String, headline: String, caveat: String,
             routing: JSONReport.RoutingEntry) {
            (self.schemaVersion, self.runId, self.label, self.suite) = (schemaVersion, runId, label, suite)
            (self.headline, self.caveat, self.routing) = (headline, caveat, routing)
        }
    }
}
