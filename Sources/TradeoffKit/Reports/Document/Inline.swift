/// A run of text inside a block, plain text that each renderer escapes for its format.
///
/// Text comes in two kinds. `text` is Tradeoff's own wording (`on the frontier`, `p < 0.05`),
/// written as prose and shown as such; `data` came from a model, a suite, a catalog or the user
/// (a model id, an answer, an error message) and must show exactly as written, whatever characters
/// it holds, so a renderer escapes everything in it its format could read as markup.
public enum Inline: Sendable, Hashable {
    /// Tradeoff's own words.
    case text(String)
    /// Text from outside Tradeoff, shown exactly as written.
    case data(String)
    /// A measured value, with how it reads.
    case value(Quantity)
    /// Code, a path or an expression, shown in a fixed-width font.
    case code(String)
    /// Text set off in bold.
    case strong([Inline])
    /// Text set off in italics.
    case emphasis([Inline])
    /// A link to `target`, a URL or a path relative to the report.
    case link([Inline], target: String)
}

/// A measured number and how it reads: `0.947 (0.871–0.979)`, `$0.000161`, `93.9%`.
///
/// The value lets a renderer sort or chart; the display string is what people read.
public struct Quantity: Sendable, Hashable {
    /// What the number measures.
    public enum Unit: Sendable, Hashable {
        /// A count, a score or another plain number.
        case number
        /// Micro-dollars.
        case money
        /// A rate from 0 to 1 shown as a percentage.
        case percent
        /// Milliseconds.
        case duration
    }

    /// What the number measures.
    public var unit: Unit
    /// The number itself, nil when there is none to show (the display says why).
    public var value: Double?
    /// How the number reads in a report.
    public var display: String

    /// A `unit` quantity of `value` that reads as `display`.
    public init(_ unit: Unit, _ value: Double?, display: String) {
        self.unit = unit
        self.value = value
        self.display = display
    }
}

extension [Inline] {
    /// `a`, `a and b`, `a, b and c` of data items (model ids, task ids), as inline runs.
    static func list(_ items: [String], conjunction: String = "and") -> [Inline] {
        list(items.map { [Inline.data($0)] }, conjunction: conjunction)
    }

    /// `a`, `a and b`, `a, b and c` of inline runs.
    static func list(_ items: [[Inline]], conjunction: String = "and") -> [Inline] {
        var out: [Inline] = []
        for (index, item) in items.enumerated() {
            if index > 0 { out.append(.text(index == items.count - 1 ? " \(conjunction) " : ", ")) }
            out += item
        }
        return out
    }

    /// The runs of `items` with `separator` between them.
    static func joined(_ items: [[Inline]], separator: String) -> [Inline] {
        var out: [Inline] = []
        for (index, item) in items.enumerated() {
            if index > 0 { out.append(.text(separator)) }
            out += item
        }
        return out
    }
}
