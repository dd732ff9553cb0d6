import Foundation
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

/// Finding a run among many: the latest of a suite (`--resume latest`, `report`, `plan`'s
/// portfolio, `merge`) and the baseline a regression check compares with.
struct RunLookupTests {
    /// Runs of suites `a` and `b` in this order, with these statuses; returns their ids.
    private static func runs(_ runs: [(suite: String, status: RunStatus)], in store: ResultStore) throws -> [Int64] {
        try runs.map { run in
            let id = try store.beginRun(RunRecord(suite: run.suite, suitePath: "\(run.suite).yaml", suiteHash: "h",
                                                  catalogPath: "c", toolVersion: "t", startedAt: Date(), status: .running),
                                        models: [], cases: [])
            try store.pool.write { db in
                try db.execute(sql: "UPDATE runs SET status = ? WHERE id = ?", arguments: [run.status.rawValue, id])
            }
            return id
        }
    }

    @Test func theLatestRunIsTheNewestOfItsSuiteOrOfAll() throws {
        try withTemporaryDirectory { directory in
            let store = try ResultStore(path: directory.file("r.sqlite"))
            #expect(try store.latestRun() == nil && store.latestRun(ofSuite: "a") == nil)
            let ids = try Self.runs([("a", .completed), ("b", .completed), ("a", .running), ("b", .interrupted)], in: store)
            #expect(try store.latestRun(ofSuite: "a")?.id == ids[2])
            #expect(try store.latestRun(ofSuite: "b")?.id == ids[3])
            #expect(try store.latestRun()?.id == ids[3])
            #expect(try store.latestRun(ofSuite: "c") == nil)
        }
    }

    @Test func theBaselineIsTheLatestFinishedRunOfTheSuiteBeforeIt() throws {
        try withTemporaryDirectory { directory in
            let store = try ResultStore(path: directory.file("r.sqlite"))
            let ids = try Self.runs([("a", .completed), ("a", .incomplete), ("b", .completed), ("a", .running), ("a", .completed),
                                     ("a", .interrupted)], in: store)
            // Not a running one, nor another suite's, nor a later one.
            #expect(try store.previousRun(before: ids[4], ofSuite: "a")?.id == ids[1])
            #expect(try store.previousRun(before: ids[5], ofSuite: "a")?.id == ids[4])
            #expect(try store.previousRun(before: ids[3], ofSuite: "b")?.id == ids[2])
            #expect(try store.previousRun(before: ids[0], ofSuite: "a") == nil)
            #expect(try store.previousRun(before: ids[2], ofSuite: "b") == nil)
        }
    }

    @Test func aRunIsSelectedByIdOrAsTheLatestAndAnUnknownOneListsTheRuns() throws {
        try withTemporaryDirectory { directory in
            let path = directory.file("r.sqlite")
            let store = try ResultStore(path: path)
            #expect(throws: RunSelectionError.self) { try store.run(selectedBy: "latest") }
            #expect((try? store.run(selectedBy: "latest")) == nil)
            do { _ = try store.run(selectedBy: "3") } catch { #expect("\(error)" == "no run '3' in '\(path)'; runs: none") }
            let ids = try Self.runs([("a", .completed), ("b", .completed), ("a", .running)], in: store)
            #expect(try store.run(selectedBy: "latest").id == ids[2])
            #expect(try store.run(selectedBy: "\(ids[1])").suite == "b")
            do {
                _ = try store.run(selectedBy: "9")
                Issue.record("run 9 was found")
            } catch {
                #expect("\(error)" == "no run '9' in '\(path)'; runs: \(ids.map(String.init).joined(separator: ", "))")
            }
            do { _ = try store.run(selectedBy: "newest") } catch { #expect("\(error)".hasPrefix("no run 'newest' in ")) }
        }
    }
}
