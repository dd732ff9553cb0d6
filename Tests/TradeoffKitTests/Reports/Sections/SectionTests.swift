import Testing
@testable import TradeoffKit

/// The report sections build a neutral document: outside text as `.data`, numbers as typed
/// values, and no Markdown of their own.
struct SectionTests {
    /// Two priced models whose ids hold Markdown table and emphasis characters.
    private static var awkward: RunSummary {
        let run = RunRecord(id: 3, suite: "s", suitePath: "s.yaml", suiteHash: "abc", catalogPath: "m.yaml",
                            toolVersion: "0.1.0", startedAt: ReportFixture.start, status: .completed)
        let models = [ReportFixture.model("gpt|4*o", "x/a", .frontier, price: ("1", "2"), simulated: false, runID: 3),
                      ReportFixture.model("small_b", "x/b", .open, price: ("0.1", "0.2"), simulated: false, runID: 3)]
        let cases = ["1", "2"].enumerated().map { CaseRecord(runId: 3, taskId: "t", caseId: $1, position: $0, variables: [:]) }
        let calls = models.flatMap { model in
            cases.map { ReportFixture.answer(model.modelId, "t", $0.caseId, "ok", score: 1, cost: 50, latency: 200, runID: 3) }
        }
        return RunSummary(run: run, models: models, cases: cases, calls: calls)
    }

    private func tables(_ blocks: [Block]) -> [Table] {
        blocks.compactMap { if case .table(let table) = $0 { table } else { nil } }
    }

    /// Every `.text` run of `blocks`, nested ones included.
    private func texts(_ blocks: [Block]) -> [String] {
        func walk(_ inlines: [Inline]) -> [String] {
            inlines.flatMap { inline -> [String] in
                switch inline {
                case .text(let text): [text]
                case .strong(let inner), .emphasis(let inner), .link(let inner, _): walk(inner)
                case .data, .value, .code: []
                }
            }
        }
        func walk(_ item: ListItem) -> [String] { walk(item.content) + item.children.flatMap(walk) }
        return blocks.flatMap { block -> [String] in
            switch block {
            case .heading(_, let inlines), .paragraph(let inlines): walk(inlines)
            case .table(let table): table.columns.flatMap { walk($0.title) } + table.rows.flatMap { $0.flatMap { walk($0.content) } }
            case .figure(let figure): [figure.description]
            case .note(let note): [note.title ?? ""] + note.paragraphs.flatMap(walk)
            case .list(let items): items.flatMap(walk)
            }
        }
    }

    @Test func modelIDsAreDataAndRenderEscaped() throws {
        let summary = Self.awkward
        let quality = try #require(tables(ModelsSection(summary).blocks).first)
        #expect(quality.rows.map { $0[0].content.first } == [.data("gpt|4*o"), .data("small_b")])
        #expect(quality.rows[0][0].content.last == .text(" (reference)"))
        let markdown = MarkdownReport(summary).render()
        #expect(markdown.contains(#"| gpt\|4\*o (reference) | frontier | 2 |"#))
        #expect(markdown.contains(#"| small\_b | "#))
        #expect(!markdown.contains("gpt|4*o"))
    }

    /// The issue's llama.cpp model: 25 of 40 answers empty, 15 cut at max_tokens, no usage sent
    /// (every token estimated). The score shows beside what makes it doubtful; a clean model gets
    /// no line.
    @Test func whatMakesAScoreDoubtfulIsShownBesideIt() {
        let run = RunRecord(id: 4, suite: "s", suitePath: "s.yaml", suiteHash: "abc", catalogPath: "m.yaml",
                            toolVersion: "0.1.0", startedAt: ReportFixture.start, status: .completed)
        let models = [ReportFixture.model("clean", "x/a", .open, price: ("1", "2"), simulated: false, runID: 4),
                      ReportFixture.model("gemma3-270m", "x/b", .open, price: ("0.1", "0.2"), simulated: false, runID: 4)]
        let cases = (0..<40).map { CaseRecord(runId: 4, taskId: "t", caseId: "\($0)", position: $0, variables: [:]) }
        var calls = cases.map { ReportFixture.answer("clean", "t", $0.caseId, "ok", score: 1, cost: 50, latency: 200, runID: 4) }
        for (index, testCase) in cases.enumerated() {
            var call = ReportFixture.answer("gemma3-270m", "t", testCase.caseId, index < 25 ? " \n" : "partial",
                                            score: 0, cost: 5, latency: 200, source: .estimated, runID: 4)
            if index >= 25 { call.finishReason = "length" }
            if index == 0 { call.finishReason = "content_filter" }
            calls.append(call)
        }
        let summary = RunSummary(run: run, models: models, cases: cases, calls: calls)
        let markdown = MarkdownReport(summary).render()
        #expect(markdown.contains("\n**Read with care:** gemma3-270m: 25 of 40 answers empty, 15 cut at max_tokens, "
                                  + "1 refused or filtered, tokens estimated on 40 of 40 calls, so its cost is an estimate too.\n"))
        #expect(!markdown.contains("Read with care:** clean") && !markdown.contains("; clean:"))
        #expect(!MarkdownReport(Self.awkward).render().contains("Read with care"))
    }

    /// A loss that McNemar and Holm do not confirm (p 0.057, Holm 0.344) is said to be that, not
    /// "no real change"; only a run where nothing moved is "no change".
    @Test func compareSaysWhatTheTestDidNotShow() {
        var paired = PairedComparison(modelID: "m", referenceID: "m", sample: PairedSample(), settings: AnalysisSettings())
        #expect(ComparisonSection.notShown(paired) == "no change")
        paired.wins = 3
        paired.losses = 10
        paired.difference = -0.0875
        paired.pValue = 0.057
        paired.adjustedPValue = 0.344
        #expect(ComparisonSection.notShown(paired) == "lower, not significant after Holm's correction")
        paired.difference = 0.01
        #expect(ComparisonSection.notShown(paired) == "higher, not significant after Holm's correction")
    }

    /// `cheap` costs less and passes one case more than `pricey`: pricey is below the frontier,
    /// not shown worse, and its own Δ against cheap is negative (−0.025), not cheap's +0.025.
    @Test func frontierDeltaIsTheRowsOwnModelAgainstTheOther() {
        let run = RunRecord(id: 5, suite: "s", suitePath: "s.yaml", suiteHash: "abc", catalogPath: "m.yaml",
                            toolVersion: "0.1.0", startedAt: ReportFixture.start, status: .completed)
        let models = [ReportFixture.model("cheap", "x/a", .open, price: ("1", "2"), simulated: false, runID: 5),
                      ReportFixture.model("pricey", "x/b", .frontier, price: ("2", "4"), simulated: false, runID: 5)]
        let cases = (0..<40).map { CaseRecord(runId: 5, taskId: "t", caseId: "\($0)", position: $0, variables: [:]) }
        let calls = cases.enumerated().flatMap { index, testCase in
            [ReportFixture.answer("cheap", "t", testCase.caseId, "x", score: index < 30 ? 1 : 0, cost: 100, latency: 200, runID: 5),
             ReportFixture.answer("pricey", "t", testCase.caseId, "x", score: index < 29 ? 1 : 0, cost: 200, latency: 200, runID: 5)]
        }
        let markdown = MarkdownReport(RunSummary(run: run, models: models, cases: cases, calls: calls)).render()
        #expect(markdown.contains("below the frontier, but not shown worse than cheap (Δ −0.025 ("))
    }

    @Test func sectionsWriteNoMarkdownOfTheirOwn() {
        for summary in [Self.awkward, ReportFixture.mixed.summary, ReportFixture.decision.summary] {
            let checks = Checks(gates: [], summary: summary, baseline: ReportFixture.decision.summary)
            for text in texts(MarkdownReport(summary, checks: checks, chartFile: "c.svg").document.blocks) {
                #expect(!text.contains { "|`\\".contains($0) } && !text.contains("<br>") && !text.contains("&lt;"), "\(text)")
                #expect(!text.contains("**") || text.contains("xoshiro256**"), "\(text)")
            }
        }
    }

    @Test func costAndLatencyCellsAreTypedQuantities() throws {
        let cost = try #require(tables(ModelsSection(Self.awkward).blocks).last)
        #expect(cost.columns.dropFirst().allSatisfy { $0.alignment == .trailing })
        let row = cost.rows[0]
        #expect(row[2].content == [.value(Quantity(.money, 50, display: "$0.00005"))])
        let units = row[5].content.compactMap { if case .value(let quantity) = $0 { quantity.unit } else { nil } }
        #expect(units == [.duration, .duration, .duration])
    }

    @Test(arguments: [("quality(*) >= 0.5", Quantity.Unit.number), ("pass_rate(*) >= 0.5", .percent),
                      ("cost_per_case(*) <= $0.01", .money), ("p95_latency(*) <= 2s", .duration)])
    func gateCellsCarryTheMetricsUnit(gate: String, unit: Quantity.Unit) throws {
        let summary = Self.awkward
        let checks = Checks(gates: [try Gate(parsing: gate)], summary: summary)
        let table = try #require(tables(ChecksSection(checks).blocks).first)
        #expect(table.rows.count == 2)
        #expect(table.rows[0][0].content == [.code(gate)])
        #expect(table.rows[0][1].content == [.data("gpt|4*o")])
        guard case .value(let quantity) = table.rows[0][2].content.first else { Issue.record("not a value"); return }
        #expect(quantity.unit == unit && quantity.value != nil)
    }

    @Test func nothingCheckedOrGradedLeavesTheSectionsOut() {
        let summary = ReportFixture.minimal.summary
        #expect(ChecksSection(Checks(gates: [], summary: summary)).blocks.isEmpty)
        #expect(GradingSection(summary).blocks.isEmpty)
        #expect(ReferenceSection(summary).blocks.isEmpty)
        #expect(CasesSection(summary).blocks.isEmpty)
    }

    @Test func comparisonCaveatsAreOneNoteOfSeveralParagraphs() throws {
        let comparison = RunComparison(baseline: ReportFixture.mixed.summary, current: ReportFixture.decision.summary)
        let notes = ComparisonSection(comparison).blocks.compactMap { if case .note(let note) = $0 { note } else { nil } }
        let note = try #require(notes.first)
        #expect(notes.count == 1 && note.kind == .caution && note.title == nil)
        #expect(note.paragraphs.count == 3)
        #expect(note.paragraphs[0].contains(.data("support-triage")) && note.paragraphs[0].contains(.data("helpdesk")))
        #expect(note.paragraphs[1] == [.text("Only in the baseline: ")] + .list(["frontier-a", "open-b", "local-c"])
                + [.text(".")])
    }

    @Test func theHeadlineNamesModelsAsData() {
        let headline = Headline.inlines(ReportFixture.decision.summary)
        guard case .strong(let claim) = headline.first else { Issue.record("no claim in bold"); return }
        #expect(claim.first == .data("open-good") && claim.contains(.data("frontier")))
        #expect(Headline.text(ReportFixture.decision.summary) == MarkdownRenderer().render(headline))
    }
}
