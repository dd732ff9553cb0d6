/// A table: columns with their alignment, rows of typed cells.
public struct Table: Sendable, Hashable {
    /// How a column's cells line up.
    public enum Alignment: Sendable, Hashable {
        /// Text columns.
        case leading
        /// Number columns, so digits line up.
        case trailing
    }

    /// A column's header and alignment.
    public struct ColumnHeader: Sendable, Hashable {
        /// The header.
        public var title: [Inline]
        /// How the column's cells line up.
        public var alignment: Alignment

        /// A column headed `title`.
        public init(_ title: [Inline], _ alignment: Alignment) {
            self.title = title
            self.alignment = alignment
        }

        /// A column headed by Tradeoff's own words.
        public static func text(_ title: String, _ alignment: Alignment) -> ColumnHeader { ColumnHeader([.text(title)], alignment) }
    }

    /// The columns, left to right.
    public var columns: [ColumnHeader]
    /// The rows, each a cell per column.
    public var rows: [[Cell]]

    /// A table of `columns` and `rows`.
    public init(_ columns: [ColumnHeader], _ rows: [[Cell]]) {
        self.columns = columns
        self.rows = rows
    }
}

/// One cell of a table.
public struct Cell: Sendable, Hashable {
    /// The cell's text.
    public var content: [Inline]

    /// A cell of `content`.
    public init(_ content: [Inline]) {
        self.content = content
    }

    /// Tradeoff's own words.
    public static func text(_ text: String) -> Cell { Cell([.text(text)]) }
    /// Text from outside Tradeoff: a model id, an answer, an error message.
    public static func data(_ text: String) -> Cell { Cell([.data(text)]) }
    /// A number and how it reads.
    public static func number(_ value: Double?, _ display: String) -> Cell { Cell([.value(Quantity(.number, value, display: display))]) }
    /// A count, grouped: `1,234`.
    public static func count(_ value: Int) -> Cell { number(Double(value), Formatting.grouped(value)) }
    /// Micro-dollars and how they read.
    public static func money(_ micros: Double?, _ display: String) -> Cell { Cell([.value(Quantity(.money, micros, display: display))]) }
    /// A rate from 0 to 1 and how it reads.
    public static func percent(_ rate: Double?, _ display: String) -> Cell { Cell([.value(Quantity(.percent, rate, display: display))]) }
    /// Milliseconds and how they read.
    public static func duration(_ milliseconds: Double?, _ display: String) -> Cell {
        Cell([.value(Quantity(.duration, milliseconds, display: display))])
    }
    /// Code: a gate expression, a path.
    public static func code(_ text: String) -> Cell { Cell([.code(text)]) }
    /// Tradeoff's own words in bold.
    public static func strong(_ text: String) -> Cell { Cell([.strong([.text(text)])]) }
    /// Nothing to show: `—`.
    public static var none: Cell { .text(Formatting.none) }
}
