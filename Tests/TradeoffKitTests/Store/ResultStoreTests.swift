import Foundation
import GRDB
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

struct ResultStoreTests {
    private let suite = Suite(name: "s", description: nil, path: "s.yaml", contentHash: "hash", tasks: [
        SuiteTask(id: "t", system: nil, prompt: Template("{{q}}"), settings: .defaults,
                  graders: [GraderSpec(.jsonValid)],
                  cases: [TestCase(id: "1", variables: ["q": "a"]), TestCase(id: "2", variables: ["q": "b"])]),
    ])
    private let model = ModelEntry(id: "m", baseURL: "http://127.0.0.1:1/v1", model: "sim/m", modelClass: .open,
                                   price: Price(inputPerMillion: Decimal(string: "0.59")!, outputPerMillion: Decimal(string: "0.79")!),
                                   apiKeyEnv: "KEY")

    private func run() -> RunRecord {
        RunRecord(suite: "s", suitePath: "s.yaml", suiteHash: "hash", catalogPath: "m.yaml", toolVersion: "0.1.0",
                  startedAt: Date(timeIntervalSince1970: 1_700_000_000), status: .running)
    }

    @Test func roundTripsRunsModelsCasesAndCalls() throws {
        try withTemporaryDirectory { directory in
            let store = try ResultStore(path: directory.file("nested/results.sqlite"))
            let runID = try store.beginRun(run(), models: [model], suite: suite)
            var call = CallRecord(runId: runID, modelId: "m", taskId: "t", caseId: "2",
                                  startedAt: Date(timeIntervalSince1970: 1_700_000_001),
                                  finishedAt: Date(timeIntervalSince1970: 1_700_000_002))
            call.output = "{}"
            call.score = 1
            call.passed = true
            call.grades = #"[{"reason":"valid JSON","score":1,"type":"json-valid","weight":1}]"#
            call.inputTokens = 10
            call.outputTokens = 2
            call.usageSource = .reported
            call.costMicros = 7
            call.latencyMs = 12.5
            var failed = CallRecord(runId: runID, modelId: "m", taskId: "t", caseId: "1",
                                    startedAt: call.startedAt, finishedAt: call.finishedAt)
            failed.errorClass = .rateLimited
            failed.errorMessage = "slow down"
            try store.record([call, failed])
            try store.finishRun(runID, status: .incomplete, at: Date(timeIntervalSince1970: 1_700_000_010))

            let calls = try store.calls(ofRun: runID)
            #expect(calls.count == 2)
            #expect(calls[0].output == "{}" && calls[0].costMicros == 7 && calls[0].latencyMs == 12.5)
            #expect(calls[0].graderOutcomes == [GraderOutcome(type: "json-valid", score: 1, weight: 1, reason: "valid JSON")])
            #expect(calls[1].errorClass == .rateLimited && calls[1].output == nil)
            let stored = try #require(try store.run(runID))
            #expect(stored.status == .incomplete)
            #expect(stored.finishedAt == Date(timeIntervalSince1970: 1_700_000_010))
            let models = try store.models(ofRun: runID)
            #expect(models.first?.priceInput == "0.59")
            #expect(models.first?.modelClass == .open)
            #expect(try store.cases(ofRun: runID).map(\.variables) == [#"{"q":"a"}"#, #"{"q":"b"}"#])
        }
    }

    @Test func schemaRejectsRowsThatCannotBeTrue() throws {
        try withTemporaryDirectory { directory in
            let store = try ResultStore(path: directory.file("results.sqlite"))
            let runID = try store.beginRun(run(), models: [model], suite: suite)
            // A call for a case the run does not have violates the foreign key.
            var orphan = CallRecord(runId: runID, modelId: "m", taskId: "t", caseId: "nope",
                                    startedAt: Date(), finishedAt: Date())
            orphan.output = "x"
            #expect(throws: StoreError.self) { try store.record([orphan]) }
            // The same (model, case, repeat) twice violates uniqueness.
            var first = CallRecord(runId: runID, modelId: "m", taskId: "t", caseId: "1", startedAt: Date(), finishedAt: Date())
            first.output = "x"
            try store.record([first])
            #expect(throws: StoreError.self) { try store.record([first]) }
            // Neither output nor error: rejected by the CHECK.
            let empty = CallRecord(runId: runID, modelId: "m", taskId: "t", caseId: "2", startedAt: Date(), finishedAt: Date())
            #expect(throws: StoreError.self) { try store.record([empty]) }
            #expect(try store.calls(ofRun: runID).count == 1)
        }
    }

    @Test func databaseIsInWALModeWithForeignKeysOn() throws {
        try withTemporaryDirectory { directory in
            let store = try ResultStore(path: directory.file("results.sqlite"))
            let (mode, foreignKeys) = try store.pool.read { db in
                (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA foreign_keys"))
            }
            #expect(mode == "wal")
            #expect(foreignKeys == 1)
        }
    }

    @Test func unopenableDatabaseNamesTheFile() throws {
        try withTemporaryDirectory { directory in
            let file = try directory.write("not-a-db.sqlite", String(repeating: "garbage ", count: 200))
            do {
                _ = try ResultStore(path: file)
                Issue.record("expected an error")
            } catch let error as StoreError {
                #expect(error.description.hasPrefix("\(file): database error: "))
                #expect(error.description.contains("not a database"))
            }
        }
    }

    /// `.` used to trap in `deletingLastPathComponent`: a folder is refused with what to name.
    @Test(arguments: [".", "./"])
    func aFolderIsRefusedAsADatabase(path: String) {
        #expect(throws: StoreError.self) { try ResultStore(path: path) }
        do { _ = try ResultStore(path: path) } catch {
            #expect("\(error)" == "\(path): database error: '\(path)' is a folder, not a file; name a file in it, "
                    + "like './results.sqlite'")
        }
    }

    /// SQLite's bare "unable to open database file" says neither which file nor why: the path and
    /// what to check come with it. `/sys` cannot be written, not even by root.
    @Test func aDatabaseThatCannotBeOpenedSaysWhatToCheck() {
        do {
            _ = try ResultStore(path: "/sys/tradeoff-test.sqlite")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)" == "/sys/tradeoff-test.sqlite: database error: unable to open database file; check that "
                    + "the folder '/sys' exists and can be written: SQLite keeps the database's -wal and -shm files "
                    + "beside it, even to read it (from a read-only mount, copy the database somewhere writable first)")
        }
    }

    /// A merge into a new database that fails leaves no file behind (it used to leave an empty
    /// 200 KB database), nor the folder made for it.
    @Test func aFailedMergeWritesNothing() throws {
        try withTemporaryDirectory { directory in
            let empty = directory.file("empty.sqlite")
            try ResultStore(path: empty).close()
            let output = directory.file("merged/all.sqlite")
            #expect(throws: StoreError.self) { try ResultStore.merge([empty], into: output) }
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["empty.sqlite"])
        }
    }

    @Test func shardsRunWithOtherReportSettingsAreNotMerged() throws {
        try withTemporaryDirectory { directory in
            for (name, margin) in [("s1.sqlite", 0.05), ("s2.sqlite", 0.1)] {
                let store = try ResultStore(path: directory.file(name))
                var record = run()
                record.context = RunContext(reference: nil, margin: margin, gates: ["quality(m) >= 0.5"], volume: nil,
                                            tasks: [], models: [model.id])
                let runID = try store.beginRun(record, models: [model], suite: suite)
                try store.finishRun(runID, status: .completed)
                try store.close()
            }
            do {
                _ = try ResultStore.merge([directory.file("s1.sqlite"), directory.file("s2.sqlite")], into: directory.file("all.sqlite"))
                Issue.record("expected an error")
            } catch {
                let settings = "reference (the best frontier model), margin %@, gates [quality(m) >= 0.5], no volume"
                let expected: String = directory.file("s2.sqlite") + ": database error: its latest run was made with "
                    + String(format: settings, "0.1") + ", but " + directory.file("s1.sqlite") + "'s with "
                    + String(format: settings, "0.05")
                    + ": shards must be run with the same --reference, --margin, --gate and --volume"
                #expect("\(error)" == expected)
            }
            #expect(!FileManager.default.fileExists(atPath: directory.file("all.sqlite")))
        }
    }

    @Test func aMergeIntoANewDatabaseCreatesIt() throws {
        try withTemporaryDirectory { directory in
            let source = directory.file("shard.sqlite")
            let store = try ResultStore(path: source)
            let runID = try store.beginRun(run(), models: [model], suite: suite)
            try store.finishRun(runID, status: .completed)
            try store.close()
            let summary = try ResultStore.merge([source], into: directory.file("all.sqlite"))
            #expect(summary.cases == 2)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["all.sqlite", "shard.sqlite"])
            #expect(try ResultStore(path: directory.file("all.sqlite")).pool.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM runs") } == 1)
        }
    }
}
