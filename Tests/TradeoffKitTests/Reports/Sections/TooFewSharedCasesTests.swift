import Foundation
import Testing
@testable import TradeoffKit

/// No verdict between the reference and a candidate rests on fewer shared cases than
/// `PairedComparison.minimumSharedCases`, in any output: a sweep of three cases is a coin's word.
struct TooFewSharedCasesTests {
    /// Twenty cases of one task. `frontier` (the reference) answered all, passing all but c3–c5;
    /// `loser` answered only c0–c2 and failed them, `winner` only c3–c5 and passed them. Both
    /// are far cheaper, so a verdict either way would change the recommendation.
    private static var summary: RunSummary {
        let run = RunRecord(id: 9, suite: "s", suitePath: "s.yaml", suiteHash: "abc", catalogPath: "m.yaml",
                            toolVersion: "0.1.0", startedAt: ReportFixture.start,
                            finishedAt: ReportFixture.start.addingTimeInterval(60), status: .completed)
        let models = [ReportFixture.model("frontier", "x/f", .frontier, price: ("1", "2"), simulated: false, runID: 9),
                      ReportFixture.model("loser", "x/l", .open, price: ("0.1", "0.2"), simulated: false, runID: 9),
                      ReportFixture.model("winner", "x/w", .open, price: ("0.1", "0.2"), simulated: false, runID: 9)]
        let cases = (0..<20).map { CaseRecord(runId: 9, taskId: "t", caseId: "c\($0)", position: $0, variables: [:]) }
        var calls = cases.map {
            ReportFixture.answer("frontier", "t", $0.caseId, "ok", score: (3..<6).contains($0.position) ? 0 : 1, cost: 50,
                                 latency: 200, runID: 9)
        }
        calls += (0..<3).map { ReportFixture.answer("loser", "t", "c\($0)", "no", score: 0, cost: 5, latency: 100, runID: 9) }
        calls += (3..<6).map { ReportFixture.answer("winner", "t", "c\($0)", "ok", score: 1, cost: 5, latency: 100, runID: 9) }
        calls += (3..<20).map { ReportFixture.failure("loser", "t", "c\($0)", .timeout, "timed out", status: nil, runID: 9) }
        calls += (0..<3).map { ReportFixture.failure("winner", "t", "c\($0)", .timeout, "timed out", status: nil, runID: 9) }
        calls += (6..<20).map { ReportFixture.failure("winner", "t", "c\($0)", .timeout, "timed out", status: nil, runID: 9) }
        return RunSummary(run: run, models: models, cases: cases, calls: calls,
                          settings: AnalysisSettings(reference: "frontier", margin: 0.05))
    }

    @Test func theAnalysisGivesNoVerdictOnThreeSharedCases() throws {
        let summary = Self.summary
        let loser = try #require(summary.comparison(for: "loser"))
        let winner = try #require(summary.comparison(for: "winner"))
        #expect(loser.cases == 3 && winner.cases == 3)
        #expect(loser.verdict == .tooFewCases(casesNeeded: 10))
        #expect(winner.verdict == .tooFewCases(casesNeeded: 59))
        #expect(!winner.isSignificantlyBetter && !loser.isSignificantlyWorse)
        #expect(summary.recommendation?.modelID == "frontier")
        #expect(summary.tasks.first?.recommendation?.modelID == "frontier")
        // The frontier calls no model dominated on three cases.
        #expect(summary.frontier.points.allSatisfy { !$0.dominanceIsSignificant })
    }

    @Test func markdownAndHTMLSayInconclusiveWithTheCasesNeeded() throws {
        let markdown = MarkdownReport(Self.summary).render()
        #expect(markdown.contains("| inconclusive: 3 of 10 cases needed |"))
        #expect(markdown.contains("| inconclusive: 3 of 59 cases needed |"))
        #expect(!markdown.contains("worse by more than δ (bound"))
        #expect(!markdown.contains("significantly better:"))
        // The task table marks no model worse by more than δ (the legend names the mark).
        #expect(!markdown.split(separator: "\n").contains { $0.hasPrefix("| t |") && ($0.contains("✗") || $0.contains("✓")) })
        let headline = Headline.text(Self.summary)
        #expect(!headline.contains("significantly better"))
        #expect(headline.contains("frontier stays the choice"))
        #expect(headline.contains("they share 3 of the "))
        let html = HTMLReport(Self.summary).render()
        #expect(html.contains("inconclusive: 3 of 10 cases needed"))
        #expect(html.contains("inconclusive: 3 of 59 cases needed"))
    }

    @Test func jsonAndCSVSayInconclusiveWithTheCasesNeeded() throws {
        let summary = Self.summary
        let document = JSONReport(summary).document()
        let comparisons = document.models.compactMap(\.comparison)
        #expect(comparisons.map(\.nonInferiority) == ["inconclusive", "inconclusive"])
        #expect(comparisons.map(\.casesNeeded) == [10, 59])
        #expect(document.recommendation?.modelID == "frontier")
        let rows = CSVReport(summary).models().components(separatedBy: "\r\n")
        let column = try #require(CSVReport.modelColumns.firstIndex(of: "non_inferiority"))
        let cells = rows.dropFirst().filter { !$0.isEmpty }.map { $0.components(separatedBy: ",") }
        #expect(cells.map { $0[column] } == ["", "inconclusive", "inconclusive"])
        #expect(cells.map { $0[column + 1] } == ["", "10", "59"])
        let tasks = CSVReport(summary).tasks()
        #expect(tasks.contains("inconclusive,10,false") && tasks.contains("inconclusive,59,false"))
        #expect(!tasks.contains("inferior,") && !CSVReport(summary).models().contains(",inferior,"))
    }
}
