import FakeProvider
import Foundation
import GRDB
import Testing
import TradeoffTestSupport

/// The shared history holds what a results file holds of batch mode and answers the same SQL:
/// `push` copies a run's `batches` rows (once, the run's id mapped to the server's), and the
/// views `calls_with_run` and `model_summary` exist on the server with SQLite's columns, so the
/// README's view queries give the same rows on both.
struct SharedHistoryBatchTests {
    let tradeoff = builtProduct("tradeoff")

    /// A run in batch mode (two models on OpenAI's Batch API at the fake), then one as usual.
    private func runs(into directory: TemporaryDirectory) throws {
        let server = try FakeProviderServer.start(config: FakeProviderConfig(models: [.init(name: "sim/a"), .init(name: "sim/b")]))
        defer { server.shutdown() }
        try directory.writeTwoModelSuite(named: "nightly", cases: 6, port: server.port)
        try directory.write("models.yaml", """
            models:
              - {id: a, provider: openai, base_url: "\(server.baseURL)", model: sim/a, class: open, price: {input: 2.5, output: 10}}
              - {id: b, provider: openai, base_url: "\(server.baseURL)", model: sim/b, class: open, price: {input: 1, output: 3}}
            """)
        for extra in [["--batch", "--batch-poll-seconds", "0.01", "--batch-max-requests", "4"], []] {
            let run = try runProcess(tradeoff, ["run", "suite.yaml", "--db", "r.sqlite", "--quiet", "--no-report"] + extra,
                                     directory: directory.path)
            #expect(run.status == 0, "\(run.stderr)")
        }
    }

    private let batchColumns = "model_id, tag, round, custom_ids, request_count, input_file_id, provider_batch_id, status"

    @Test func pushCopiesTheBatchesOnceWithTheRunsServerID() throws {
        let database = try PostgresTestDatabase()
        try withTemporaryDirectory { directory in
            try runs(into: directory)
            let local = try DatabaseQueue(path: directory.file("r.sqlite")).read { db in
                try Row.fetchAll(db, sql: "SELECT run_id, \(batchColumns) FROM batches ORDER BY id").map { row in
                    Array(row.databaseValues).map { value -> String? in
                        switch value.storage {
                        case .int64(let number): String(number)
                        case .string(let text): text
                        default: nil
                        }
                    }
                }
            }
            // Two models of 6 calls, at most 4 a batch.
            #expect(local.count == 4)
            let push = try runProcess(tradeoff, ["push", "r.sqlite", "--to", database.url], directory: directory.path)
            #expect(push.status == 0, "\(push.stderr)")
            let sql = "SELECT run_id, \(batchColumns) FROM batches ORDER BY id"
            #expect(try database.query(sql) == local)
            let again = try runProcess(tradeoff, ["push", "r.sqlite", "--to", database.url], directory: directory.path)
            #expect(again.stdout.contains("nothing to push"), "\(again.stdout)")
            #expect(try database.query(sql) == local)
            #expect(try database.rowCounts()["batches"] == 4)

            // A second file's run lands under another server id: its batches name that one.
            try FileManager.default.copyItem(atPath: directory.file("r.sqlite"), toPath: directory.file("copy.sqlite"))
            try DatabaseQueue(path: directory.file("copy.sqlite")).write { db in
                try db.execute(sql: "UPDATE runs SET uid = uid || '-copy'")
            }
            let copy = try runProcess(tradeoff, ["push", "copy.sqlite", "--to", database.url], directory: directory.path)
            #expect(copy.status == 0, "\(copy.stderr)")
            #expect(try database.query("SELECT run_id, count(*) FROM batches GROUP BY run_id ORDER BY run_id")
                    == [["1", "4"], ["3", "4"]])
        }
    }

    @Test func theDocumentedViewQueriesGiveTheSameRowsOnBoth() throws {
        let database = try PostgresTestDatabase()
        try withTemporaryDirectory { directory in
            try runs(into: directory)
            let push = try runProcess(tradeoff, ["push", "r.sqlite", "--to", database.url], directory: directory.path)
            #expect(push.status == 0, "\(push.stderr)")
            let sqlite = try DatabaseQueue(path: directory.file("r.sqlite"))
            let queries = try SQLViewsTests.documentedQueries()
            try #require(queries.count == 2)
            // Every column of the views, then the README's queries, for each run.
            let everything = ["SELECT * FROM calls_with_run ORDER BY call_id", "SELECT * FROM model_summary ORDER BY run_id, model_id"]
            let firstRun = queries.map { $0.replacingOccurrences(of: "(SELECT MAX(id) FROM runs)", with: "1") }
            for query in everything + queries + firstRun {
                let here = try sqlite.read { db in
                    try Row.fetchAll(db, sql: query).map { row in Array(row.databaseValues).map(Self.cell) }
                }
                let there = try database.query(query).map { $0.map { $0.map { Self.cell(text: $0) } ?? .missing } }
                #expect(here.count == there.count && !here.isEmpty, "\(query)")
                for (left, right) in zip(here, there) {
                    #expect(left.count == right.count, "\(query)")
                    for (a, b) in zip(left, right) where !Self.same(a, b) {
                        Issue.record("\(query): \(a) here, \(b) on the server")
                    }
                }
            }
            let columns = try sqlite.read { db in try db.columns(in: "calls_with_run").map(\.name) }
            let serverColumns = try database.query("""
                SELECT column_name FROM information_schema.columns WHERE table_name = 'calls_with_run' ORDER BY ordinal_position
                """).map { $0.first ?? nil }
            #expect(serverColumns == columns)
        }
    }

    /// A cell as both sides can compare it: a number, a time, a text, or nothing.
    enum Cell: Equatable, CustomStringConvertible {
        case number(Double), date(Date), text(String), missing

        var description: String {
            switch self {
            case .number(let value): "\(value)"
            case .date(let date): "\(date.timeIntervalSince1970)"
            case .text(let text): "'\(text)'"
            case .missing: "NULL"
            }
        }
    }

    static func cell(_ value: DatabaseValue) -> Cell {
        switch value.storage {
        case .null: .missing
        case .int64(let number): .number(Double(number))
        case .double(let number): .number(number)
        case .string(let text): Self.cell(text: text)
        case .blob: .text("blob")
        }
    }

    /// A text cell of either side: a number, a time (SQLite's `2026-12-06 05:07:29.123` in UTC,
    /// PostgreSQL's `2026-12-06 06:07:29.12+01` in the server's zone), or a text.
    static func cell(text: String) -> Cell {
        if let number = Double(text) { return .number(number) }
        return date(text).map(Cell.date) ?? .text(text)
    }

    private static func date(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        guard text.count >= 19, let base = formatter.date(from: String(text.prefix(19))) else { return nil }
        var rest = text.dropFirst(19)
        var seconds = 0.0
        if rest.first == "." {
            let digits = rest.dropFirst().prefix { $0.isNumber }
            seconds = Double("0." + digits) ?? 0
            rest = rest.dropFirst(1 + digits.count)
        }
        if let sign = rest.first, sign == "+" || sign == "-" {
            let parts = rest.dropFirst().split(separator: ":").compactMap { Double($0) }
            let offset = (parts.first ?? 0) * 3600 + (parts.dropFirst().first ?? 0) * 60
            seconds -= sign == "+" ? offset : -offset
        } else if !rest.isEmpty {
            return nil
        }
        return base.addingTimeInterval(seconds)
    }

    static func same(_ a: Cell, _ b: Cell) -> Bool {
        if case .number(let x) = a, case .number(let y) = b { return abs(x - y) <= 1e-9 * max(1, abs(x), abs(y)) }
        if case .date(let x) = a, case .date(let y) = b { return abs(x.timeIntervalSince(y)) < 0.001 }
        return a == b
    }
}
