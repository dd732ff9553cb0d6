/// The top of a run's report: the title, the headline and, when some models are simulated, a
/// notice saying so.
struct TitleSection: Sendable {
    /// The run shown.
    var summary: RunSummary

    /// The top of the report of `summary`.
    init(_ summary: RunSummary) {
        self.summary = summary
    }

    /// The title, the headline and the notice.
    var blocks: [Block] {
        var blocks: [Block] = [.heading(level: 1, [.text("Tradeoff report: "), .data(summary.run.suite)]),
                               .paragraph(Headline.inlines(summary))]
        if let notice = simulationNotice { blocks.append(.note(notice)) }
        return blocks
    }

    private var simulationNotice: Note? {
        let simulated = summary.simulatedModels.map(\.modelID)
        guard !simulated.isEmpty else { return nil }
        return Note(.notice, title: "Simulated results.", .list(simulated) + [
            .text((simulated.count == 1 ? " is" : " are") + " simulated by Tradeoff's fake provider, so their answers, "
                  + "latencies and costs illustrate the tool and say nothing about the real models."),
        ])
    }
}
