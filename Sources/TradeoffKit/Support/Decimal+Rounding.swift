import Foundation

extension Decimal {
    /// The value rounded to a whole number: `.plain` rounds half away from zero, `.down` toward
    /// negative infinity. The one place Tradeoff calls `NSDecimalRound`.
    func rounded(_ mode: NSDecimalNumber.RoundingMode = .plain) -> Decimal {
        var value = self
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 0, mode)
        return rounded
    }

    /// The value as an `Int64`, truncated (use on whole numbers).
    var int64Value: Int64 { (self as NSDecimalNumber).int64Value }
}
