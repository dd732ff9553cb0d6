/// The top of a run's report: the title, a banner when the run is partial or still running
/// (before anything is read from its numbers), the headline and, when some models are
/// simulated, a notice saying so.
struct TitleSection: Sendable {
    /// The run shown.
    var summary: RunSummary

    /// The top of the report of `summary`.
    init(_ summary: RunSummary) {
        self.summary = summary
    }

    /// The title, the headline and the notice.
    var blocks: [Block] {
        var blocks: [Block] = [.heading(level: 1, [.text("Tradeoff report: "), .data(summary.run.suite)])]
        if let banner = Self.partialBanner(summary) { blocks.append(.note(banner)) }
        if let banner = Self.sliceBanner(summary) { blocks.append(.note(banner)) }
        if let note = Self.ownWordingNote(summary) { blocks.append(.note(note)) }
        blocks.append(.paragraph(Headline.inlines(summary)))
        if let notice = simulationNotice { blocks.append(.note(notice)) }
        return blocks
    }

    /// What a reader must know before the headline when the run did not make every call.
    static func partialBanner(_ summary: RunSummary) -> Note? {
        let run = summary.run
        let runName = "Run \(run.id.map(String.init) ?? "?")"
        let planned = summary.models.reduce(0) { $0 + $1.planned }
        let counts = "\(Formatting.grouped(summary.callCount)) of \(Formatting.grouped(planned)) calls"
        let resume: [Inline] = [.code("tradeoff run SUITE --resume \(run.id.map(String.init) ?? "ID")")]
        switch run.status {
        case .running:
            return Note(.caution, title: "This run has not finished.", [
                .text("\(runName) is still running, or its process ended without finishing it (a crash, a kill): \(counts) "
                      + "are recorded so far. Every number below may change; "),
            ] + resume + [.text(" continues a run that is no longer running.")])
        case .interrupted:
            // Every cause: a budget stop does not hide a model stopped for a bad key, nor a Ctrl-C.
            let why = StopReason.sentence(run.stopReasons) ?? "it was stopped before every call was made"

            return Note(.caution, title: "This run is partial.", [
                .text("\(runName) did not complete: \(why). \(counts) were made; the \(Formatting.grouped(summary.notStartedCount)) "
                      + "never started count as not answered, and each comparison rests on the cases both models answered. "),
            ] + resume + [.text(" makes the rest.")])
        case .completed, .incomplete:
            return nil
        }
    }

    /// What a reader must know when the run is a quick slice of its suite: not every case ran.
    static func sliceBanner(_ summary: RunSummary) -> Note? {
        guard let slice = summary.run.context?.slice else { return nil }
        return Note(.caution, title: "This run is a slice of the suite.", [
            .text("It ran \(slice), \(Formatting.count(summary.caseCount, "case")) in all, chosen with "),
            .code(slice.flags),
            .text(": the numbers below hold for these cases, not the whole suite."),
        ])
    }

    /// Which models ran which tasks with their own wording (`overrides:`), so a comparison of
    /// them is read as one of model and wording together.
    static func ownWordingNote(_ summary: RunSummary) -> Note? {
        let tasks = (summary.run.context?.tasks ?? []).filter { !($0.ownWording ?? []).isEmpty }
        guard !tasks.isEmpty else { return nil }
        var inlines: [Inline] = []
        for (index, task) in tasks.enumerated() {
            inlines.append(.text(index == 0 ? "Task " : "; task "))
            inlines.append(.data(task.id))
            inlines.append(.text(": "))
            inlines += .list(task.ownWording ?? [])
        }
        inlines.append(.text(". Their results on those tasks are those of the model with its own wording."))
        return Note(.notice, title: "Models with their own wording.", inlines)
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
