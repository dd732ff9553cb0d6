import Foundation

/// Builds RFC 4180 CSV as UTF-8 bytes, fast enough for a million rows: text cells are
/// neutralized and quoted as `CSVReport.field(_:)` does, numbers are written without going
/// through `String(format:)` (whose cost dominated the per-call file).
///
/// Cells are written by a `Cursor` into room made beforehand, so a whole row costs one check
/// for room rather than one per byte: appending to an array byte by byte and digits by
/// `append(contentsOf:)` was half of the calls file's formatting.
struct CSVWriter {
    /// The bytes written are `buffer[..<count]`; the rest is room.
    private var buffer: [UInt8]
    /// How many bytes were written.
    private(set) var count = 0
    private var atRowStart = true

    init(capacity: Int = 0) {
        buffer = [UInt8](repeating: 0, count: max(capacity, 256))
    }

    /// Hands over the bytes written so far and starts again empty (at a row's start).
    mutating func take() -> [UInt8] {
        defer { count = 0 }
        return Array(buffer[..<count])
    }

    /// The text written so far.
    var text: String { String(decoding: buffer[..<count], as: UTF8.self) }

    /// Writes through `body`, with room for `room` bytes made first; `body` writes no more.
    mutating func write(room: Int, _ body: (inout Cursor) -> Void) {
        if count + room > buffer.count {
            buffer.append(contentsOf: repeatElement(0, count: max(buffer.count, count + room - buffer.count)))
        }
        buffer.withUnsafeMutableBufferPointer { buffer in
            var cursor = Cursor(base: buffer.baseAddress!, position: count, atRowStart: atRowStart)
            body(&cursor)
            precondition(cursor.position <= count + room, "a CSV cell was longer than the room made for it")
            (count, atRowStart) = (cursor.position, cursor.atRowStart)
        }
    }

    /// Ends the current row with CRLF.
    mutating func endRow() { write(room: 2) { $0.endRow() } }

    /// A text cell: neutralized and quoted when needed.
    mutating func text(_ value: String) { write(room: Cursor.room(value)) { $0.text(value) } }

    /// An optional text cell; empty when nil.
    mutating func text(_ value: String?) { write(room: Cursor.room(value)) { $0.text(value) } }

    /// An integer cell; empty when nil.
    mutating func integer<Value: BinaryInteger>(_ value: Value?) {
        write(room: Cursor.integerRoom) { $0.integer(value.map { Int64($0) }) }
    }

    /// `true` or `false`; empty when nil.
    mutating func bool(_ value: Bool?) { write(room: Cursor.boolRoom) { $0.bool(value) } }

    /// Micro-dollars as exact dollars with 6 places (`CSVReport.usd(_:)`); empty when nil.
    mutating func usd(_ micros: Int64?) { write(room: Cursor.usdRoom) { $0.usd(micros) } }

    /// A time in ISO 8601 UTC to the millisecond, `2026-12-06T01:02:03.456Z`; empty when nil.
    mutating func timestamp(millisecondsSince1970 milliseconds: Int64?) {
        write(room: Cursor.timestampRoom) { $0.timestamp(millisecondsSince1970: milliseconds) }
    }

    /// A number with `places` (0...6) decimals, exactly as `String(format: "%.<places>f")`; empty when nil.
    mutating func fixed(_ value: Double?, places: Int) { write(room: Cursor.fixedRoom) { $0.fixed(value, places: places) } }

    /// Where the cells of `CSVWriter.write(room:_:)` go: each method writes one cell (with the
    /// comma before it) and needs at most its `…Room` bytes, or `room(_:)` for text.
    struct Cursor {
        fileprivate let base: UnsafeMutablePointer<UInt8>
        fileprivate var position: Int
        fileprivate var atRowStart: Bool

        /// A separator and 20 digits with a sign.
        static let integerRoom = 22
        static let boolRoom = 6
        static let usdRoom = 30
        /// An ISO 8601 time, before 1970 with years of up to six digits (Foundation's text).
        static let timestampRoom = 64
        /// printf's `%.6f` of the largest double has 309 digits before the point.
        static let fixedRoom = 330

        /// The room a text cell needs: quoted, each quote doubled, and neutralized.
        static func room(_ text: String?) -> Int { 2 * (text?.utf8.count ?? 0) + 5 }

        private mutating func byte(_ byte: UInt8) {
            base[position] = byte
            position &+= 1
        }

        private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
            guard let source = bytes.baseAddress else { return }
            (base + position).update(from: source, count: bytes.count)
            position &+= bytes.count
        }

        private mutating func append(_ text: StaticString) {
            append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        }

        private mutating func append(_ text: String) {
            var text = text
            text.withUTF8 { append($0) }
        }

        private mutating func separate() {
            if !atRowStart { byte(UInt8(ascii: ",")) }
            atRowStart = false
        }

        /// Ends the current row with CRLF.
        mutating func endRow() {
            byte(UInt8(ascii: "\r"))
            byte(UInt8(ascii: "\n"))
            atRowStart = true
        }

        /// A text cell: neutralized and quoted when needed.
        mutating func text(_ value: String) {
            separate()
            // Only text that could be a formula or needs quotes takes the slow path. The bytes are
            // scanned in place (a closure per byte through `contains(where:)` was a sixth of the
            // calls file's formatting).
            let plain = value.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
                guard let first = utf8.first else { return true }
                switch first {
                case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), UInt8(ascii: "\t"),
                     UInt8(ascii: "\r"):
                    return false
                default: break
                }
                for byte in utf8 {
                    switch byte {
                    case UInt8(ascii: ","), UInt8(ascii: "\""), UInt8(ascii: "\r"), UInt8(ascii: "\n"): return false
                    default: continue
                    }
                }
                append(utf8)
                return true
            }
            if plain != true { append(CSVReport.field(value)) }
        }

        /// An optional text cell; empty when nil.
        mutating func text(_ value: String?) {
            if let value { text(value) } else { separate() }
        }

        /// An integer cell; empty when nil.
        mutating func integer(_ value: Int64?) {
            separate()
            guard let value else { return }
            if value < 0 { byte(UInt8(ascii: "-")) }
            appendDigits(value.magnitude, minimumCount: 1)
        }

        /// `true` or `false`; empty when nil.
        mutating func bool(_ value: Bool?) {
            separate()
            if let value { append(value ? "true" : "false") }
        }

        /// Micro-dollars as exact dollars with 6 places (`CSVReport.usd(_:)`); empty when nil.
        mutating func usd(_ micros: Int64?) {
            separate()
            guard let micros else { return }
            if micros < 0 { byte(UInt8(ascii: "-")) }
            appendDigits(micros.magnitude / 1_000_000, minimumCount: 1)
            byte(UInt8(ascii: "."))
            appendDigits(micros.magnitude % 1_000_000, minimumCount: 6)
        }

        /// A time in ISO 8601 UTC to the millisecond, `2026-12-06T01:02:03.456Z`; empty when nil.
        mutating func timestamp(millisecondsSince1970 milliseconds: Int64?) {
            separate()
            guard let milliseconds else { return }
            guard milliseconds >= 0 else {
                let formatter = ISO8601DateFormatter()
                formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
                append(formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000)))
                return
            }
            let (year, month, day) = StoredDate.civilDate(daysSince1970: Int(milliseconds / 86_400_000))
            let inDay = UInt64(milliseconds % 86_400_000)
            appendDigits(UInt64(year), minimumCount: 4)
            byte(UInt8(ascii: "-"))
            appendDigits(UInt64(month), minimumCount: 2)
            byte(UInt8(ascii: "-"))
            appendDigits(UInt64(day), minimumCount: 2)
            byte(UInt8(ascii: "T"))
            appendDigits(inDay / 3_600_000, minimumCount: 2)
            byte(UInt8(ascii: ":"))
            appendDigits(inDay / 60_000 % 60, minimumCount: 2)
            byte(UInt8(ascii: ":"))
            appendDigits(inDay / 1000 % 60, minimumCount: 2)
            byte(UInt8(ascii: "."))
            appendDigits(inDay % 1000, minimumCount: 3)
            byte(UInt8(ascii: "Z"))
        }

        /// A number with `places` (0...6) decimals, exactly as `String(format: "%.<places>f")`;
        /// empty when nil.
        mutating func fixed(_ value: Double?, places: Int) {
            separate()
            guard let value else { return }
            let scaled = value * CSVWriter.powers[places]
            guard let rounded = CSVWriter.fastRounding(scaled) else {
                append(String(format: "%.\(places)f", value))
                return
            }
            if value.sign == .minus { byte(UInt8(ascii: "-")) }
            let divisor = UInt64(CSVWriter.powers[places])
            appendDigits(rounded / divisor, minimumCount: 1)
            if places > 0 {
                byte(UInt8(ascii: "."))
                appendDigits(rounded % divisor, minimumCount: places)
            }
        }

        /// The decimal digits of `value`, zero-padded on the left to `minimumCount` (at most 20),
        /// written right to left in place.
        private mutating func appendDigits(_ value: UInt64, minimumCount: Int) {
            var length = 1
            var bound: UInt64 = 10
            while length < 20, value >= bound {
                length += 1
                bound = bound &* 10
            }
            length = max(length, minimumCount)
            var remaining = value
            var index = position + length
            while index > position {
                index -= 1
                base[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
                remaining /= 10
            }
            position += length
        }
    }

    /// |scaled| rounded half to even, when that is what printf would print: finite, below 1e9
    /// and not within 1e-6 of a tie (see `fixed(_:places:)`); nil otherwise.
    private static func fastRounding(_ scaled: Double) -> UInt64? {
        let magnitude = abs(scaled)
        guard magnitude.isFinite, magnitude < 1e9, abs(magnitude - magnitude.rounded(.down) - 0.5) > 1e-6 else { return nil }
        return UInt64(magnitude.rounded(.toNearestOrEven))
    }

    private static let powers: [Double] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]

    /// `value` with `places` (0...6) decimals, the same text as `String(format: "%.<places>f", value)`.
    ///
    /// printf rounds the exact binary value half to even. value × 10^places is within 2.2e-7 of
    /// the exact product below 1e9, so wherever the fraction is farther than 1e-6 from ½ the
    /// rounding agrees; the rare near-ties, huge values and non-finite ones go to printf itself.
    static func fixed(_ value: Double, places: Int) -> String {
        var writer = CSVWriter()
        writer.fixed(value, places: places)
        return writer.text
    }
}
