import Foundation
import Testing
import TradeoffKit

/// The README's tables of CSV columns name exactly the columns the code writes, in order.
struct CSVColumnsDocumentationTests {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("README.md")

    /// The columns listed in the table under the heading that starts with `heading`: the
    /// backticked names of each row's first cell, in order.
    static func documentedColumns(under heading: String) throws -> [String] {
        let lines = try String(contentsOf: readme, encoding: .utf8).components(separatedBy: "\n")
        let start = try #require(lines.firstIndex { $0.hasPrefix(heading) }, "README has no '\(heading)'")
        var columns: [String] = []
        var inTable = false
        for line in lines[(start + 1)...] {
            if line.hasPrefix("|") {
                inTable = true
                let first = line.split(separator: "|", omittingEmptySubsequences: false)[1]
                columns += first.matches(of: /`([a-z0-9_]+)`/).map { String($0.output.1) }
            } else if inTable || line.hasPrefix("#") {
                break
            }
        }
        return columns
    }

    @Test(arguments: [("#### `NAME.csv`", CSVReport.modelColumns), ("#### `NAME.tasks.csv`", CSVReport.taskColumns),
                      ("#### `NAME.routing.csv`", CSVReport.routingColumns), ("#### `NAME.calls.csv`", CSVReport.callColumns)])
    func readmeListsTheColumnsTheCodeWrites(_ heading: String, _ columns: [String]) throws {
        #expect(try Self.documentedColumns(under: heading) == columns)
    }

    @Test func goldenHeadersAreTheColumns() throws {
        let golden = Self.readme.deletingLastPathComponent().appendingPathComponent("Tests/TradeoffKitTests/Fixtures/golden")
        for (file, columns) in [("mixed.csv", CSVReport.modelColumns), ("mixed.tasks.csv", CSVReport.taskColumns),
                                ("mixed.calls.csv", CSVReport.callColumns), ("decision.routing.csv", CSVReport.routingColumns)] {
            let header = try String(contentsOf: golden.appendingPathComponent(file), encoding: .utf8)
                .components(separatedBy: "\r\n")[0]
            #expect(header == columns.joined(separator: ","), "\(file)")
        }
    }
}
