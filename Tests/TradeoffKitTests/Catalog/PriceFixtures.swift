import Foundation
import Testing
import TradeoffTestSupport
@testable import TradeoffKit

/// Paths of the price fixtures, and helpers shared by the price tests.
enum PriceFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/prices")

    /// `Fixtures/prices/NAME`.
    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// The day the fixtures' prices are dated.
    static let day = CalendarDay("2026-11-25")!

    /// `text` parsed as a decimal (never through a float).
    static func decimal(_ text: String) -> Decimal { Decimal(string: text)! }

    /// Diagnostics as printed, with `folder` removed from file names.
    static func render(_ error: DiagnosticsError, removing folder: String) -> String {
        error.diagnostics.map(\.description).joined(separator: "\n").replacingOccurrences(of: folder + "/", with: "")
    }
}
