import Foundation
import GRDB
import Synchronization
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

/// A new database gets its schema in one step (`Schema.snapshot`): it must be the schema, and
/// the record of applied migrations, that running every migration makes.
struct SchemaSnapshotTests {
    /// `sqlite_master` in SQLite's order, without page numbers.
    private static func master(_ db: Database) throws -> [String] {
        try Row.fetchAll(db, sql: "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid").map {
            "\($0[0] as String) \($0[1] as String) on \($0[2] as String): \(($0[3] as String?) ?? "-")"
        }
    }

    private static func applied(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
    }

    /// A database the migrations took one by one, up to `migration` (all when nil).
    private static func stepwise(at path: String, upTo migration: String? = nil) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        if let migration { try Schema.migrator.migrate(queue, upTo: migration) } else { try Schema.migrator.migrate(queue) }
        return queue
    }

    @Test func aNewDatabaseHasTheSchemaAndRecordTheMigrationsMake() throws {
        try withTemporaryDirectory { directory in
            let reference = try Self.stepwise(at: directory.file("stepwise.sqlite"), upTo: Schema.snapshotMigration)
            let (expected, expectedApplied) = try reference.read { db in (try Self.master(db), try Self.applied(db)) }
            let store = try ResultStore(path: directory.file("new.sqlite"))
            let (actual, actualApplied) = try store.pool.read { db in (try Self.master(db), try Self.applied(db)) }
            if actual != expected {
                // The snapshot to paste into Schema+Snapshot.swift when a migration was added.
                let statements = try reference.read { db in
                    try String.fetchAll(db, sql: """
                        SELECT sql FROM sqlite_master WHERE sql IS NOT NULL
                          AND name NOT IN ('sqlite_sequence', 'grdb_migrations') ORDER BY rowid
                        """)
                }
                print(statements.joined(separator: "\n-- next statement\n"))
            }
            #expect(actual == expected)
            #expect(actualApplied == expectedApplied)
            #expect(actualApplied.last == Schema.snapshotMigration && actualApplied.count == 22)
            // Made in one step, not by the migrations: their table rebuilds (v15, v20) leave free pages.
            let free = "PRAGMA freelist_count"
            #expect(try reference.read { db in try Int.fetchOne(db, sql: free) ?? 0 } > 0)
            #expect(try store.pool.read { db in try Int.fetchOne(db, sql: free) } == 0)
        }
    }

    @Test func theSnapshotIsAtTheLastMigration() {
        // Fresh databases are right either way (later migrations run after the snapshot), but
        // each one left out costs every new database a transaction: refresh the snapshot.
        #expect(Schema.migrator.migrations.last == Schema.snapshotMigration)
    }

    @Test func theMigratorAndAnOlderTradeoffFindANewDatabaseComplete() throws {
        try withTemporaryDirectory { directory in
            let path = directory.file("new.sqlite")
            _ = try ResultStore(path: path)
            let queue = try DatabaseQueue(path: path)
            try queue.read { db throws in
                #expect(try Schema.migrator.hasCompletedMigrations(db))
                #expect(try Schema.migrator.appliedMigrations(db) == Schema.migrator.migrations)
                // A migrator with the migrations up to v20 only, as an older version has.
                var older = DatabaseMigrator()
                for identifier in Schema.migrator.migrations.dropLast() { older.registerMigration(identifier) { _ in } }
                #expect(try older.hasCompletedMigrations(db))
                #expect(try older.hasBeenSuperseded(db), "as with any database a newer version migrated")
            }
        }
    }

    @Test func aDatabaseFromEachEarlierMigrationEndsWithTheSameSchema() throws {
        try withTemporaryDirectory { directory in
            let expected = try ResultStore(path: directory.file("new.sqlite")).pool.read { db in try Self.master(db) }
            for (index, migration) in Schema.migrator.migrations.enumerated() {
                let path = directory.file("at-\(index).sqlite")
                try Self.stepwise(at: path, upTo: migration).close()
                let actual = try ResultStore(path: path).pool.read { db in try Self.master(db) }
                #expect(actual == expected, "from \(migration)")
            }
        }
    }

    @Test func aDatabaseWithATableOfItsOwnIsMigratedStepByStep() throws {
        try withTemporaryDirectory { directory in
            let path = directory.file("shared.sqlite")
            try DatabaseQueue(path: path).write { db in
                try db.execute(sql: "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('kept')")
            }
            let store = try ResultStore(path: path)
            try store.pool.read { db throws in
                #expect(try String.fetchOne(db, sql: "SELECT text FROM notes") == "kept")
                #expect(try Schema.migrator.hasCompletedMigrations(db))
                #expect(try db.tableExists("calls") && (try db.tableExists("runs")))
            }
        }
    }

    @Test func twoStoresOpeningOneNewFileMakeItsSchemaOnce() throws {
        try withTemporaryDirectory { directory in
            let path = directory.file("race.sqlite")
            let results = Mutex<[Result<Int, any Error>]>([])
            DispatchQueue.concurrentPerform(iterations: 4) { _ in
                let result = Result { () throws -> Int in
                    let store = try ResultStore(path: path)
                    return try store.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM grdb_migrations") ?? 0 }
                }
                results.withLock { $0.append(result) }
            }
            let counts = try results.withLock { try $0.map { try $0.get() } }
            #expect(counts == Array(repeating: Schema.migrator.migrations.count, count: 4))
        }
    }
}
