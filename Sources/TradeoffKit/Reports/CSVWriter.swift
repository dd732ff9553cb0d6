import Foundation

/// Builds RFC 4180 CSV as UTF-8 bytes, fast enough for a million rows: text cells are
/// neutralized and quoted as `CSVReport.field(_:)` does, numbers are written without going
/// through `String(format:)` (whose cost dominated the per-call file).
struct CSVWriter {
    private(set) var bytes: [UInt8] = []
    private var atRowStart = true

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    /// Hands over the bytes written so far and starts again empty (at a row's start).
    mutating func take() -> [UInt8] {
        defer { bytes.removeAll(keepingCapacity: true) }
        return bytes
    }

    /// The text written so far.
    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Ends the current row with CRLF.
    mutating func endRow() {
        bytes.append(UInt8(ascii: "\r"))
        bytes.append(UInt8(ascii: "\n"))
        atRowStart = true
    }

    private mutating func separate() {
        if !atRowStart { bytes.append(UInt8(ascii: ",")) }
        atRowStart = false
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
            bytes.append(contentsOf: utf8)
            return true
        }
        if plain != true { bytes.append(contentsOf: CSVReport.field(value).utf8) }
    }

    /// An optional text cell; empty when nil.
    mutating func text(_ value: String?) {
        if let value { text(value) } else { separate() }
    }

    /// An integer cell; empty when nil.
    mutating func integer<Value: BinaryInteger>(_ value: Value?) {
        separate()
        if let value { appendInteger(Int64(value)) }
    }

    /// `true` or `false`; empty when nil.
    mutating func bool(_ value: Bool?) {
        separate()
        if let value { bytes.append(contentsOf: (value ? "true" : "false").utf8) }
    }

    /// Micro-dollars as exact dollars with 6 places (`CSVReport.usd(_:)`); empty when nil.
    mutating func usd(_ micros: Int64?) {
        separate()
        guard let micros else { return }
        if micros < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(micros.magnitude / 1_000_000, minimumCount: 1)
        bytes.append(UInt8(ascii: "."))
        appendDigits(micros.magnitude % 1_000_000, minimumCount: 6)
    }

    /// A time in ISO 8601 UTC to the millisecond, `2026-12-06T01:02:03.456Z`; empty when nil.
    mutating func timestamp(millisecondsSince1970 milliseconds: Int64?) {
        separate()
        guard let milliseconds else { return }
        guard milliseconds >= 0 else {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            bytes.append(contentsOf: formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000)).utf8)
            return
        }
        let (year, month, day) = StoredDate.civilDate(daysSince1970: Int(milliseconds / 86_400_000))
        let inDay = UInt64(milliseconds % 86_400_000)
        appendDigits(UInt64(year), minimumCount: 4)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(UInt64(month), minimumCount: 2)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(UInt64(day), minimumCount: 2)
        bytes.append(UInt8(ascii: "T"))
        appendDigits(inDay / 3_600_000, minimumCount: 2)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(inDay / 60_000 % 60, minimumCount: 2)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(inDay / 1000 % 60, minimumCount: 2)
        bytes.append(UInt8(ascii: "."))
        appendDigits(inDay % 1000, minimumCount: 3)
        bytes.append(UInt8(ascii: "Z"))
    }

    /// A number with `places` decimals, exactly as `String(format: "%.<places>f")`; empty when nil.
    mutating func fixed(_ value: Double?, places: Int) {
        separate()
        guard let value else { return }
        let scaled = value * Self.powers[places]
        guard let rounded = Self.fastRounding(scaled) else {
            bytes.append(contentsOf: String(format: "%.\(places)f", value).utf8)
            return
        }
        if value.sign == .minus { bytes.append(UInt8(ascii: "-")) }
        let divisor = UInt64(Self.powers[places])
        appendDigits(rounded / divisor, minimumCount: 1)
        if places > 0 {
            bytes.append(UInt8(ascii: "."))
            appendDigits(rounded % divisor, minimumCount: places)
        }
    }

    private mutating func appendInteger(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(value.magnitude, minimumCount: 1)
    }

    /// The decimal digits of `value`, zero-padded on the left to `minimumCount`.
    /// Written right to left into a buffer on the stack, then appended at once.
    private mutating func appendDigits(_ value: UInt64, minimumCount: Int) {
        let capacity = 20 + max(0, minimumCount - 20)  // UInt64 has at most 20 digits
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { digits in
            var position = capacity
            var remaining = value
            repeat {
                position -= 1
                digits[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
                remaining /= 10
            } while remaining > 0
            while capacity - position < minimumCount {
                position -= 1
                digits[position] = UInt8(ascii: "0")
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[position...]))
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
