import Foundation
import GRDB
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

/// The URL as messages show it: never with its password.
struct PostgresURLTests {
    @Test(arguments: [
        ("postgres://ci:s3cret@db.internal:5432/evals", "postgres://ci@db.internal:5432/evals", "s3cret"),
        ("postgresql://ci:p%40ss@db/evals?sslmode=require", "postgresql://ci@db/evals?sslmode=require", "p@ss"),
        ("postgres://db/evals?user=ci&password=s3cret&sslmode=verify-full", "postgres://db/evals?user=ci&sslmode=verify-full",
         "s3cret"),
        ("postgres://ci@db/evals", "postgres://ci@db/evals", nil),
        ("postgres:///evals", "postgres:///evals", nil),
    ])
    func passwordsAreNeverShown(url: String, shown: String, password: String?) throws {
        let parsed = try #require(PostgresURL(url))
        #expect(parsed.description == shown)
        // libpq quoting the URL back, or the decoded password, in its message.
        let error = PostgresError(url: parsed, message: "invalid URI \"\(url)\" near \(password ?? "")")
        if let password {
            #expect(!error.description.contains(password), "\(error)")
            #expect(!error.description.contains("s3cret") && !error.description.contains("p%40ss"), "\(error)")
        }
        #expect(error.description.hasPrefix(shown + ": PostgreSQL error: "))
    }

    @Test func aHashNamesARun() throws {
        let url = try #require(PostgresURL("postgres://ci@db/evals#41"))
        #expect(url.runID == 41)
        #expect(url.connection == "postgres://ci@db/evals")
        #expect(PostgresURL("results/x.sqlite") == nil)
    }
}

/// The server's schema against SQLite's: a column added to one needs a migration in the other.
struct PostgresSchemaTests {
    @Test func theServerHasEverySQLiteColumn() throws {
        let database = try PostgresTestDatabase()
        let history = try PostgresHistory(url: try #require(PostgresURL(database.url)))
        try withTemporaryDirectory { directory in
            let store = try ResultStore(path: directory.file("x.sqlite"))
            // A run's lease is the local process's business; the server numbers runs itself.
            let localOnly: [String: Set<String>] = ["runs": ["owner_host", "owner_pid", "heartbeat_at"]]
            for table in PostgresHistory.tables {
                let local = Set(try store.read { db in try db.columns(in: table).map(\.name) })
                let server = Set(try history.columns(of: table).map(\.name)).subtracting(PostgresHistory.serverOnlyColumns)
                #expect(local.subtracting(localOnly[table] ?? []) == server, "\(table)")
            }
        }
        // Migrating again is a no-op.
        _ = try PostgresHistory(url: try #require(PostgresURL(database.url)))
        #expect(try database.query("SELECT count(*) FROM tradeoff_migrations").first == ["\(PostgresSchema.migrations.count)"])
    }

    @Test func everyRunGetsAUid() throws {
        try withTemporaryDirectory { directory in
            let store = try ResultStore(path: directory.file("x.sqlite"))
            let run = RunRecord(suite: "s", suitePath: "s.yaml", suiteHash: "h", catalogPath: "m.yaml", toolVersion: "t",
                                startedAt: Date(), status: .completed)
            _ = try store.beginRun(run, models: [], cases: [])
            _ = try store.beginRun(run, models: [], cases: [])
            let uids = try store.read { db in try String?.fetchAll(db, sql: "SELECT uid FROM runs") }
            #expect(uids.count == 2)
            #expect(Set(uids.compactMap { $0 }).count == 2)
            #expect(uids.allSatisfy { $0?.count == 36 })
        }
    }
}

/// Pushing a run to the shared history keeps each judge call with its call.
struct PostgresPushTests {
    @Test func aPushedJudgeCallStaysWithItsVariantsCall() throws {
        let database = try PostgresTestDatabase()
        let history = try PostgresHistory(url: try #require(PostgresURL(database.url)))
        try withTemporaryDirectory { directory in
            let path = directory.file("x.sqlite")
            try ResultStoreJudgesTests.variantRun(at: path)
            _ = try history.push(try ResultStore(path: path))
        }
        // Matched without the variant, both judge calls named the last variant's call.
        let links = try database.query(ResultStoreJudgesTests.links).map { "\($0[0] ?? "-") -> \($0[1] ?? "-")" }
        #expect(links == ["terse -> terse", "verbose -> verbose"])
    }
}
