import Foundation
import GRDB
import GRDBSQLite
import Testing
@testable import TradeoffKit

/// A column reads a stored property at its offset in the record, and a computed one through its
/// key path: both must give what the key path gives.
struct StoredColumnsTests {
    struct Sample {
        var flag = true
        var id: Int64 = -7
        var name: String? = "a name long enough not to be stored inline in the String"
        var ratio = 0.25
        var when = Date(timeIntervalSince1970: 1_700_000_000.5)
        var missing: Int?
        var shouted: String {
            get { name?.uppercased() ?? "" }
            set { name = newValue }
        }
    }

    static let stored = StoredColumns<Sample>(table: "samples", [
        .column("flag", \.flag),
        .column("id", \.id),
        .column("name", \.name),
        .column("ratio", \.ratio),
        .date("when", \.when),
        .column("missing", \.missing),
        .column("shouted", \.shouted),
    ])

    @Test func eachColumnReadsWhatItsKeyPathReads() {
        let sample = Sample()
        #expect(MemoryLayout<Sample>.offset(of: \Sample.shouted) == nil)
        let values = withUnsafePointer(to: sample) { record in Self.stored.columns.map { $0.value(record) } }
        let expected: [DatabaseValue] = [
            true.databaseValue, Int64(-7).databaseValue, sample.name.databaseValue, 0.25.databaseValue,
            StoredDate.databaseValue(sample.when), .null, sample.shouted.databaseValue,
        ]
        #expect(values == expected)
    }

    @Test func anInserterStoresWhatEachColumnReads() throws {
        let queue = try DatabaseQueue()
        var sample = Sample()
        sample.missing = 3
        let row = try queue.write { db in
            try db.execute(sql: "CREATE TABLE samples (flag, id, name, ratio, \"when\", missing, shouted)")
            try Self.stored.inserter(in: db).insert(sample)
            return try Row.fetchOne(db, sql: "SELECT * FROM samples")
        }
        #expect(row?["flag"] == true)
        #expect(row?["id"] == -7 as Int64)
        #expect(row?["name"] == sample.name)
        #expect(row?["ratio"] == 0.25)
        #expect(row?["when"] == sample.when)
        #expect(row?["missing"] == 3)
        #expect(row?["shouted"] == sample.shouted)
    }

    /// The inserter binds a text itself (without GRDB's copy of it): SQLite must store what
    /// GRDB's own binding stores, byte for byte, a NUL inside a text and an empty text included.
    @Test func aTextIsBoundAsGRDBBindsIt() throws {
        let long = String(repeating: "a row's output, ", count: 40)
        let texts: [DatabaseValue] = [
            "", "4", "short inline", "héllo wörld 🌍 ünïcödé text beyond the inline size", long, "before\u{0}after",
            String(long.dropFirst(3)),
        ].map(\.databaseValue) + [.null, 12.databaseValue, 0.5.databaseValue]
        let queue = try DatabaseQueue()
        let stored = try queue.write { db -> [[String?]] in
            try db.execute(sql: "CREATE TABLE t (via TEXT, n INTEGER, value)")
            let insert = try db.makeStatement(sql: "INSERT INTO t (via, n, value) VALUES (?, ?, ?)")
            for (via, bind) in [("grdb", { $0.bind(to: $1, at: $2) }),
                                ("inserter", StoredColumns<Sample>.Inserter.bind)] as [(String, (DatabaseValue, OpaquePointer, CInt) -> CInt)] {
                for (n, text) in texts.enumerated() {
                    sqlite3_reset(insert.sqliteStatement)
                    #expect(via.databaseValue.bind(to: insert.sqliteStatement, at: 1) == SQLITE_OK)
                    #expect(n.databaseValue.bind(to: insert.sqliteStatement, at: 2) == SQLITE_OK)
                    #expect(bind(text, insert.sqliteStatement, 3) == SQLITE_OK)
                    #expect(sqlite3_step(insert.sqliteStatement) == SQLITE_DONE)
                }
            }
            let rows = try Row.fetchAll(db, sql: """
                SELECT typeof(value), hex(value) FROM t WHERE via = ? ORDER BY n
                """, arguments: ["inserter"])
            let expected = try Row.fetchAll(db, sql: """
                SELECT typeof(value), hex(value) FROM t WHERE via = ? ORDER BY n
                """, arguments: ["grdb"])
            #expect(rows == expected)
            return rows.map { [$0[0], $0[1]] }
        }
        #expect(stored.count == texts.count)
        // SQLite ends a text at its first NUL, for both.
        #expect(stored[5] == ["text", "6265666F7265"])
        #expect(stored[4][1]?.count == long.utf8.count * 2)
    }
}
