/// Rows of a query copied out of SQLite by the thread stepping through them, for another thread
/// to decode: a big report's reading thread only steps and copies (`ResultStore.readReportCallsAhead`),
/// and the calls are made from the copies on the thread that takes them in.
///
/// Each column is copied as its decoder will read it (`Kind`): an integer, a double, or text,
/// converted by SQLite as `sqlite3_value_*` converts it, so that a `Row` reads exactly what
/// `SQLiteColumns` reads on the statement.
///
/// A row is written in place with one check for room: appending each column to arrays cost
/// the reading thread as much as SQLite's decoding of the row.
struct CopiedRows: Sendable {
    /// How a column is read.
    enum Kind: Sendable {
        case integer, real, text
    }

    /// One column's value as copied: a number (an integer, or a double's bits), text (valid
    /// until the statement steps), or NULL.
    enum Value {
        case null
        case number(Int64)
        case text(UnsafePointer<UInt8>, count: Int)
    }

    /// The columns' kinds, in the query's order (at most 64 columns).
    let kinds: [Kind]
    /// How many rows were copied.
    private(set) var count = 0
    /// Per column of each row: the integer, the double's bits, or where the text starts in
    /// `texts`. Sized ahead; the rows copied fill the first `count * kinds.count`.
    private var slots: [Int64]
    /// Per row, a bit per column set when it is NULL.
    private var nulls: [UInt64] = []
    /// The texts, each a 4-byte length then its bytes (SQLite's longest is 1,000,000,000 bytes),
    /// in the first `textsEnd` bytes.
    private var texts: [UInt8]
    private var textsEnd = 0

    /// Room for `rows` rows and `textBytes` bytes of text (by default 64 a row) at first.
    init(kinds: [Kind], reservingRows rows: Int = 0, textBytes: Int? = nil) {
        precondition(kinds.count <= 64, "a copied row holds 64 columns at most")
        self.kinds = kinds
        slots = [Int64](repeating: 0, count: max(rows, 1) * kinds.count)
        nulls.reserveCapacity(rows)
        texts = [UInt8](repeating: 0, count: max(textBytes ?? rows * 64, 64))
    }

    /// The bytes of text copied so far: the room the next batch of as many rows may need.
    var textBytes: Int { textsEnd }

    /// Copies the current row of `columns`, every column as its kind says, after `adjust` has
    /// seen the values (and replaced any not worth copying).
    mutating func append(_ columns: SQLiteColumns, adjust: (UnsafeMutableBufferPointer<Value>) -> Void = { _ in }) {
        let width = kinds.count
        withUnsafeTemporaryAllocation(of: Value.self, capacity: width) { values in
            for column in 0..<width {
                values.initializeElement(at: column, to: columns.copy(Int32(column), as: kinds[column]))
            }
            adjust(values)
            var textBytes = 0
            for case .text(_, let count) in values { textBytes += 4 + count }
            if slots.count < (count + 1) * width { slots.append(contentsOf: repeatElement(0, count: slots.count)) }
            if texts.count < textsEnd + textBytes {
                // By half again, not double: the batches wait in memory, and each is sized from
                // the one before it.
                let grown = max(texts.count + texts.count / 2, textsEnd + textBytes)
                texts.reserveCapacity(grown)
                texts.append(contentsOf: repeatElement(0, count: grown - texts.count))
            }
            var nullBits: UInt64 = 0
            slots.withUnsafeMutableBufferPointer { slots in
                texts.withUnsafeMutableBufferPointer { texts in
                    let row = slots.baseAddress! + count * width
                    for column in 0..<width {
                        switch values[column] {
                        case .null:
                            nullBits |= 1 << UInt64(column)
                        case .number(let number):
                            row[column] = number
                        case .text(let text, let count):
                            row[column] = Int64(textsEnd)
                            let start = texts.baseAddress! + textsEnd
                            UnsafeMutableRawPointer(start).storeBytes(of: UInt32(count).littleEndian, as: UInt32.self)
                            (start + 4).update(from: text, count: count)
                            textsEnd += 4 + count
                        }
                    }
                }
            }
            values.deinitialize()
            nulls.append(nullBits)
        }
        count += 1
    }

    /// Calls `body` with each row in order; a row's text is valid only inside `body`.
    func forEach(_ body: (Row) throws -> Void) rethrows {
        try slots.withUnsafeBufferPointer { slots in
            try texts.withUnsafeBufferPointer { texts in
                for row in 0..<count {
                    try body(Row(slots: slots.baseAddress! + row * kinds.count, nulls: nulls[row], texts: texts.baseAddress!))
                }
            }
        }
    }

    /// One copied row, read as `SQLiteColumns` reads the statement's current row.
    struct Row: ColumnReading {
        fileprivate let slots: UnsafePointer<Int64>
        fileprivate let nulls: UInt64
        fileprivate let texts: UnsafePointer<UInt8>

        private func isNull(_ column: Int32) -> Bool { nulls & (1 << UInt64(column)) != 0 }

        func int64(_ column: Int32) -> Int64? { isNull(column) ? nil : slots[Int(column)] }

        func double(_ column: Int32) -> Double? {
            isNull(column) ? nil : Double(bitPattern: UInt64(bitPattern: slots[Int(column)]))
        }

        func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8>? {
            guard !isNull(column) else { return nil }
            let start = texts + Int(slots[Int(column)])
            let length = UnsafeRawPointer(start).loadUnaligned(as: UInt32.self).littleEndian
            return UnsafeBufferPointer(start: start + 4, count: Int(length))
        }
    }
}
