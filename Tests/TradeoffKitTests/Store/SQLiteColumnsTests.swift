import Foundation
import GRDB
import Testing
@testable import TradeoffKit

/// `SQLiteColumns` reads each column through its value (`sqlite3_column_value`): it must read
/// every storage class as GRDB reads the same cell, NULL as nil.
struct SQLiteColumnsTests {
    @Test func everyStorageClassReadsAsGRDBReadsIt() throws {
        let queue = try DatabaseQueue()
        try queue.read { db in
            let sql = """
                SELECT NULL, 42, -7, 2.5, 'text', 'é✓', '12', x'6869', 9007199254740993, 1e300, '', 0.0
                """
            let expected = try #require(try Row.fetchOne(db, sql: sql))
            let statement = try db.makeStatement(sql: sql)
            let columns = SQLiteColumns(statement.sqliteStatement)
            #expect(try columns.step(in: db))
            for index in 0..<expected.count {
                let column = Int32(index)
                let value = expected[index] as DatabaseValue
                #expect(columns.isNull(column) == value.isNull, "column \(index)")
                // Each read of the column's own storage class.
                switch value.storage {
                case .null: #expect(columns.int64(column) == nil && columns.double(column) == nil && columns.text(column) == nil)
                case .int64(let number): #expect(columns.int64(column) == number && columns.double(column) == Double(number))
                case .double(let number): #expect(columns.double(column) == number)
                case .string(let text): #expect(columns.text(column) == text)
                case .blob(let data): #expect(columns.bytes(column).map { Data($0) } == data)
                }
            }
            #expect(columns.int64(1) == 42 && columns.int64(2) == -7 && columns.int64(8) == 9_007_199_254_740_993)
            #expect(columns.double(3) == 2.5 && columns.double(9) == 1e300 && columns.double(11) == 0)
            #expect(columns.text(4) == "text" && columns.text(5) == "é✓" && columns.text(6) == "12" && columns.text(10) == "")
            #expect(columns.text(7) == "hi")  // a blob's bytes, as text
            // Numbers read as text as SQLite writes them.
            #expect(columns.text(1) == "42" && columns.text(3) == "2.5")
            #expect(columns.bytes(0) == nil && columns.int64(0) == nil && columns.double(0) == nil)
            #expect(try !columns.step(in: db))
        }
    }
}
