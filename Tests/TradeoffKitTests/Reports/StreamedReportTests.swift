import Foundation
import GRDB
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

/// A report folded from the database as its calls are read (`RunSummary.loadWithCalls`) is the
/// report built from every call held in memory, file for file and byte for byte.
struct StreamedReportTests {
    /// A run of three models on two tasks, repeated, with failures and calls recorded out of
    /// suite order (as concurrency records them).
    /// `padding` lengthens every answer, so a model's rows fill more than one spill chunk.
    private static func store(in directory: TemporaryDirectory, padding: Int = 0) throws -> (ResultStore, Int64) {
        let store = try ResultStore(path: directory.file("r.sqlite"))
        let cases = (1...12).map { TestCase(id: "c\($0)", variables: ["q": "\($0)"]) }
        var settings = TaskSettings.defaults
        settings.repeats = 2
        let suite = Suite(name: "s", description: nil, path: "s.yaml", contentHash: "h", tasks: [
            SuiteTask(id: "triage", system: nil, prompt: Template("{{q}}"), settings: settings,
                      graders: [GraderSpec(.jsonValid)], cases: Array(cases.prefix(7))),
            SuiteTask(id: "extract", system: nil, prompt: Template("{{q}}"), settings: settings,
                      graders: [GraderSpec(.jsonValid)], cases: Array(cases.suffix(5))),
        ])
        let run = RunRecord(suite: "s", suitePath: "s.yaml", suiteHash: "h", catalogPath: "c.yaml", toolVersion: "0",
                            startedAt: ReportFixture.start, status: .running)
        let models = [ReportFixture.entry("big", "x/big", .frontier, price: ("3", "15"), simulated: false),
                      ReportFixture.entry("small", "x/small", .open, price: ("0.1", "0.4"), simulated: false),
                      ReportFixture.entry("mid", "x/mid", .open, price: ("0.5", "1"), simulated: false)]
        let runID = try store.beginRun(run, models: models, suite: suite)
        var calls: [CallRecord] = []
        for (task, range) in [("triage", 1...7), ("extract", 8...12)] {
            for number in range {
                for repeatIndex in 0..<2 {
                    for (index, model) in ["big", "small", "mid"].enumerated() {
                        if model == "mid" && number % 5 == 0 {
                            var failure = ReportFixture.failure(model, task, "c\(number)", number % 2 == 0 ? .rateLimited : .timeout,
                                                                "failed on c\(number)", status: 429, runID: runID)
                            failure.repeatIndex = repeatIndex
                            calls.append(failure)
                            continue
                        }
                        let score = (number + index + repeatIndex) % 3 == 0 ? 0.0 : 1.0
                        calls.append(ReportFixture.answer(model, task, "c\(number)",
                                                          "answer \(model) \(number)" + String(repeating: "x", count: padding),
                                                          score: score, cost: Int64(100 * (index + 1) + number),
                                                          latency: Double(200 + 13 * number + index), runID: runID,
                                                          repeatIndex: repeatIndex))
                    }
                }
            }
        }
        // Recorded in an order that is not the suite's: every third call last, repeats reversed.
        let shuffled = calls.enumerated().sorted { ($0.offset % 3, -$0.offset) < ($1.offset % 3, -$1.offset) }.map(\.element)
        for call in shuffled { try store.record([call]) }
        return (store, runID)
    }

    @Test func theStreamedReportIsTheReportOfEveryCallInMemory() throws {
        try withTemporaryDirectory { directory in
            let (store, runID) = try Self.store(in: directory)
            guard let run = try store.run(runID) else { Issue.record("no run"); return }
            let calls = try store.reportCalls(ofRun: runID)
            let inMemory = RunSummary(run: run, models: try store.models(ofRun: runID),
                                      cases: try store.reportCases(ofRun: runID), calls: calls)
            let memoryFiles = try ReportWriter.write(inMemory, calls: calls, to: directory.file("memory"), name: "s")

            let (streamed, stored) = try RunSummary.loadWithCalls(from: store, runID: runID)
            #expect(stored.count == calls.count)
            let streamedFiles = try ReportWriter.write(streamed, ownCalls: stored, to: directory.file("streamed"), name: "s")

            #expect(memoryFiles.map { ($0 as NSString).lastPathComponent } == streamedFiles.map { ($0 as NSString).lastPathComponent })
            #expect(memoryFiles.count == 8)
            for (memory, streamed) in zip(memoryFiles, streamedFiles) {
                let (a, b) = (FileManager.default.contents(atPath: memory), FileManager.default.contents(atPath: streamed))
                #expect(a != nil && a == b, "\((memory as NSString).lastPathComponent) differs")
            }
            // The fold kept what the summary shows: errors by class with their first message, disagreements.
            #expect(streamed.model("mid")?.errorGroups.map(\.errorClass) == [.rateLimited, .timeout])
            #expect(streamed.model("mid")?.errorGroups.first?.exampleMessage == "failed on c10")
            #expect(!streamed.disagreements.isEmpty)
            #expect(streamed.disagreements == inMemory.disagreements)
            let drillDown = try streamed.drillDown(ownCalls: stored)
            #expect(drillDown == inMemory.drillDown(calls: calls))
        }
    }

    @Test func theCallsFileListsCallsByModelCaseAndRepeat() throws {
        try withTemporaryDirectory { directory in
            let (store, runID) = try Self.store(in: directory)
            let (summary, stored) = try RunSummary.loadWithCalls(from: store, runID: runID)
            var text = Data()
            try CSVReport(summary).writeCalls(from: stored) { text.append(contentsOf: $0) }
            let rows = String(decoding: text, as: UTF8.self).components(separatedBy: "\r\n").dropFirst()
                .filter { !$0.isEmpty }.map { $0.split(separator: ",") }
            #expect(rows.count == stored.count)
            let keys = rows.map { "\($0[2]) \($0[3]) \($0[4]) \($0[5])" }
            #expect(keys.prefix(4) == ["big triage c1 0", "big triage c1 1", "big triage c2 0", "big triage c2 1"])
            #expect(keys.last == "mid extract c12 1")
        }
    }

    /// The calls file made from rows formatted as the calls were folded is the one made by reading
    /// every call again, whether rows share one spill chunk or span many, and with calls of a
    /// model not in the run; the spill leaves nothing in the folder.
    @Test(arguments: [0, 4_000])
    func theCallsFileFromTheSpillIsTheCallsFileReadAgain(padding: Int) throws {
        try withTemporaryDirectory { directory in
            let (store, runID) = try Self.store(in: directory, padding: padding)
            // A model not in the run (as a hand-edited database holds): past the foreign key.
            var unchecked = Configuration()
            unchecked.foreignKeysEnabled = false
            try DatabaseQueue(path: directory.file("r.sqlite"), configuration: unchecked).write { db in
                try db.execute(sql: """
                    INSERT INTO calls (run_id, model_id, task_id, case_id, output, score, passed, grades, started_at, finished_at)
                    SELECT run_id, 'ghost', task_id, case_id, 'a model not in the run', 1, 1, '[]', started_at, finished_at
                    FROM calls WHERE run_id = ? AND model_id = 'big' AND repeat_index = 0 LIMIT 3
                    """, arguments: [runID])
            }
            let folder = directory.file("out")
            let spill = try ReportWriter.startSpill(in: folder)
            let (fold, calls) = try CallFold.read(from: store, runID: runID) { try spill.add($0, model: $1) }
            let spilled = try spill.finish()
            #expect(spilled.count == calls.count)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)

            var fromSpill = Data()
            try spilled.write(order: fold.callOrder) { fromSpill.append(contentsOf: $0) }
            var readAgain = Data()
            try CSVReport.writeCalls(from: calls, order: fold.callOrder) { readAgain.append(contentsOf: $0) }
            #expect(fromSpill == readAgain)
            #expect(fromSpill.count > (padding > 0 ? 3 * (1 << 16) : 0))
            let text = String(decoding: fromSpill, as: UTF8.self)
            #expect(text.components(separatedBy: "a model not in the run").count == 4)

            let file = try ReportWriter.startCallsFile(in: folder, name: "s", order: fold.callOrder, spilled: spilled)
            let paths = try ReportWriter.write(try RunSummary(fold, calls: calls), callsFile: file, cases: nil)
            #expect(FileManager.default.contents(atPath: try #require(paths.last)) == fromSpill)
        }
    }

    @Test func aWriteErrorInTheCallsFileGoesOutAsItIsAndACallGoneIsNamed() throws {
        struct DiskFull: Error {}
        try withTemporaryDirectory { directory in
            let (store, runID) = try Self.store(in: directory)
            let (summary, stored) = try RunSummary.loadWithCalls(from: store, runID: runID)
            #expect(throws: DiskFull.self) {
                try CSVReport(summary).writeCalls(from: stored) { _ in throw DiskFull() }
            }
            try store.write { try $0.execute(sql: "DELETE FROM calls WHERE run_id = ?", arguments: [runID]) }
            let error = #expect(throws: StoreError.self) { try stored.calls(at: [0]) }
            #expect(error?.message.contains("no longer stored") == true)
        }
    }

    @Test func aCallsFileIsPutInPlaceOnlyWithTheOtherFiles() throws {
        try withTemporaryDirectory { directory in
            let (store, runID) = try Self.store(in: directory)
            let (fold, calls) = try CallFold.read(from: store, runID: runID)
            let folder = directory.file("out")
            func entries() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: folder).sorted() }

            // A report given up (its summary failed, say): nothing is left, not even a temporary file.
            let abandoned = try ReportWriter.startCallsFile(in: folder, name: "s", order: fold.callOrder, calls: calls)
            abandoned.discard()
            #expect(try entries().isEmpty)

            // Another file cannot be written (a folder stands where the Markdown goes): no calls file either.
            try FileManager.default.createDirectory(atPath: folder + "/s.md", withIntermediateDirectories: true)
            let summary = try RunSummary(fold, calls: calls)
            let blocked = try ReportWriter.startCallsFile(in: folder, name: "s", order: fold.callOrder, calls: calls)
            #expect(throws: ReportWriteError.self) {
                try ReportWriter.write(summary, callsFile: blocked, cases: nil)
            }
            #expect(try entries() == ["s.md"])

            try FileManager.default.removeItem(atPath: folder + "/s.md")
            let written = try ReportWriter.startCallsFile(in: folder, name: "s", order: fold.callOrder, calls: calls)
            let paths = try ReportWriter.write(summary, callsFile: written, cases: nil)
            #expect(paths.last == folder + "/s.calls.csv")
            #expect(try entries() == ["s.calls.csv", "s.csv", "s.html", "s.json", "s.md", "s.routing.csv", "s.svg", "s.tasks.csv"])
        }
    }
}
