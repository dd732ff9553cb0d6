import Foundation
import GRDB
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
}
