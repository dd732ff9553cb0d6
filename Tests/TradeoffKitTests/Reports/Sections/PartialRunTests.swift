import Foundation
import Testing
@testable import TradeoffKit

/// A run that did not make every call says so before its headline, and nothing in it reads as
/// if the missing calls were answered, free or tested.
struct PartialRunTests {
    /// Ten cases; `frontier` answered all, `cheap` four before the run stopped, `keyless` was
    /// stopped after three auth failures. The suite named `frontier` as its reference.
    private static func stopped(status: RunStatus, stopReason: String?) -> RunSummary {
        var run = RunRecord(id: 5, suite: "s", suitePath: "s.yaml", suiteHash: "abc", catalogPath: "m.yaml",
                            toolVersion: "0.1.0", startedAt: ReportFixture.start, status: status)
        run.stopReason = stopReason
        run.context = RunContext(reference: "frontier", margin: 0.05, gates: [], volume: nil,
                                 tasks: [RunContext.Task(id: "t", threshold: 1, repeats: 1)],
                                 models: ["frontier", "cheap", "keyless"])
        let models = [ReportFixture.model("frontier", "x/f", .frontier, price: ("1", "2"), simulated: false, runID: 5),
                      ReportFixture.model("cheap", "x/c", .frontier, price: ("0.1", "0.2"), simulated: false, runID: 5),
                      ReportFixture.model("keyless", "x/k", .open, price: ("0.1", "0.2"), simulated: false, runID: 5)]
        let cases = (0..<10).map { CaseRecord(runId: 5, taskId: "t", caseId: "c\($0)", position: $0, variables: [:]) }
        var calls = cases.map { ReportFixture.answer("frontier", "t", $0.caseId, "ok", score: $0.position < 7 ? 1 : 0,
                                                     cost: 50, latency: 200, runID: 5) }
        // The cheaper model scored higher on the cases it answered: never a reason to make it the reference.
        calls += cases.prefix(4).map { ReportFixture.answer("cheap", "t", $0.caseId, "ok", score: 1, cost: 5, latency: 100, runID: 5) }
        calls += cases.prefix(3).map { ReportFixture.failure("keyless", "t", $0.caseId, .auth, "invalid key", status: 401, runID: 5) }
        return RunSummary(run: run, models: models, cases: cases, calls: calls,
                          settings: AnalysisSettings(reference: run.context?.reference, margin: 0.05))
    }

    @Test func aBudgetStopOpensWithABannerAndCountsCallsNeverStarted() throws {
        let summary = Self.stopped(status: .interrupted,
                                   stopReason: "budget: no call was started that could take the spend past $0.01")
        #expect(summary.referenceID == "frontier")
        #expect(summary.model("cheap")?.notStarted == 6)
        #expect(summary.model("keyless")?.notStarted == 7)
        let markdown = MarkdownReport(summary).render()
        let banner = try #require(markdown.range(of: "This run is partial."))
        let headline = try #require(markdown.range(of: "No cheaper model is shown non-inferior"))
        #expect(banner.lowerBound < headline.lowerBound)
        #expect(markdown.contains("Run 5 did not complete: it was stopped by its budget (no call was started that could "
                                  + "take the spend past $0.01). 17 of 30 calls were made; the 13 never started count as not "
                                  + "answered, and each comparison rests on the cases both models answered. "
                                  + "`tradeoff run SUITE --resume 5` makes the rest."))
        #expect(markdown.contains("at δ = 5 points on 10 of this suite's 10 cases"))
        #expect(markdown.contains("| 6 (60.0%), 6 not started |"))
        #expect(markdown.contains("| 10 (100.0%), 7 not started |"))
        // The stopped model has no cost to show and no test against the reference.
        #expect(markdown.contains("| keyless | — | — | — | — |"))
        #expect(!markdown.contains("$0.00 |"))
        let keylessRow = try #require(markdown.split(separator: "\n").first { $0.hasPrefix("| keyless | 0 |") })
        #expect(keylessRow.contains("| — | no shared cases |"))
    }

    /// The CSV and JSON say what the Markdown says: calls never started, per model, and no cost
    /// (empty, left out) rather than $0 for the model that answered nothing.
    @Test func csvAndJSONCarryNotStartedAndNoCostForAModelThatAnsweredNothing() throws {
        let summary = Self.stopped(status: .interrupted, stopReason: "cancelled")
        let csv = CSVReport(summary).models().components(separatedBy: "\r\n").filter { !$0.isEmpty }
            .map { $0.components(separatedBy: ",") }
        let header = try #require(csv.first)
        func column(_ name: String) throws -> [String] {
            let index = try #require(header.firstIndex(of: name))
            return csv.dropFirst().map { $0[index] }
        }
        #expect(try column("model_id") == ["frontier", "cheap", "keyless"])
        #expect(try column("not_started") == ["0", "6", "7"])
        #expect(try column("errors") == ["0", "0", "3"])
        #expect(try column("cost_total_usd") == ["0.000500", "0.000020", ""])
        #expect(try column("cost_per_case_usd").last == "" && column("quality").last == "")
        let tasks = CSVReport(summary).tasks()
        #expect(tasks.contains(",t,keyless,false,0,3,0,3,,,,,,,,,,"))

        let json = JSONReport(summary).render()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let models = try #require(object["models"] as? [[String: Any]])
        #expect(models.map { $0["not_started"] as? Int } == [0, 6, 7])
        let keyless = try #require(models.last)
        let cost = try #require(keyless["cost"] as? [String: Any])
        #expect(cost["total_micros"] == nil && keyless["quality"] == nil)
        #expect((models.first?["cost"] as? [String: Any])?["total_micros"] as? Int == 500)
        let task = try #require((object["tasks"] as? [[String: Any]])?.first)
        let keylessOnTask = try #require((task["models"] as? [[String: Any]])?.last)
        #expect(keylessOnTask["model"] as? String == "keyless" && keylessOnTask["cost_total_micros"] == nil)
    }

    @Test func aRunStillRunningSaysSoFirst() throws {
        let summary = Self.stopped(status: .running, stopReason: nil)
        let markdown = MarkdownReport(summary).render()
        #expect(markdown.contains("Run 5 is still running, or its process ended without finishing it (a crash, a kill): "
                                  + "17 of 30 calls are recorded so far. Every number below may change; "
                                  + "`tradeoff run SUITE --resume 5` continues a run that is no longer running."))
        let banner = try #require(markdown.range(of: "This run has not finished."))
        let headline = try #require(markdown.range(of: "No cheaper model"))
        #expect(banner.lowerBound < headline.lowerBound)
    }

    @Test func aStoppedModelAndAUserInterruptAreNamed() {
        let cancelled = MarkdownReport(Self.stopped(status: .interrupted, stopReason: "cancelled")).render()
        #expect(cancelled.contains("Run 5 did not complete: it was interrupted. 17 of 30 calls were made"))
        let keyless = MarkdownReport(Self.stopped(status: .interrupted, stopReason: "keyless stopped: auth (401)")).render()
        #expect(keyless.contains("Run 5 did not complete: a model was stopped (keyless stopped: auth (401))."))
    }

    /// A budget stop, a model stopped for a bad key and a Ctrl-C in one run: the banner names all three.
    @Test func theBannerNamesEveryCause() {
        let stored = StopReason.stored([.budget(detail: "no call was started that could take the spend past $0.01"),
                                        .modelStopped(modelID: "keyless", reason: "auth (401)"), .interrupted])
        let markdown = MarkdownReport(Self.stopped(status: .interrupted, stopReason: stored)).render()
        #expect(markdown.contains("Run 5 did not complete: it was stopped by its budget (no call was started that could "
                                  + "take the spend past $0.01); a model was stopped (keyless stopped: auth (401)); it was "
                                  + "interrupted. 17 of 30 calls were made"))
    }

    @Test func aReferenceThatAnsweredNothingIsKeptAndSaidSo() {
        let base = Self.stopped(status: .interrupted, stopReason: "keyless stopped: auth (401)")
        let summary = RunSummary(run: base.run, models: base.models.map { model in
            ReportFixture.model(model.modelID, model.model, model.modelClass, price: ("1", "2"), simulated: false, runID: 5)
        }, cases: (0..<10).map { CaseRecord(runId: 5, taskId: "t", caseId: "c\($0)", position: $0, variables: [:]) },
            calls: (0..<3).map { ReportFixture.failure("keyless", "t", "c\($0)", .auth, "invalid key", status: 401, runID: 5) }
                + (0..<10).map { ReportFixture.answer("frontier", "t", "c\($0)", "ok", score: 1, cost: 50, latency: 200, runID: 5) },
            settings: AnalysisSettings(reference: "keyless"))
        #expect(summary.referenceID == "keyless")
        let markdown = MarkdownReport(summary).render()
        #expect(markdown.contains("**The reference, keyless, answered none of the 10 cases**, so no model can be compared "
                                  + "with it; see the errors below."))
        #expect(!markdown.contains("stays the choice"))
    }

    @Test func aCompletedRunHasNoBanner() {
        let markdown = MarkdownReport(ReportFixture.decision.summary).render()
        #expect(!markdown.contains("This run is partial."))
        #expect(!markdown.contains("not started"))
    }
}
