import Foundation
import Testing

/// The redesign's bound on file size: no source file of ours over 400 lines, so that a type too
/// big to read in one sitting is split as `Type+Feature.swift` (STYLE.md) before it grows on.
struct SourceSizeTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    @Test func noSourceFileIsOver400Lines() throws {
        let files = try #require(FileManager.default.enumerator(atPath: Self.sources.path))
            .compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") || $0.hasSuffix(".c") || $0.hasSuffix(".h") }
        #expect(files.count > 100, "found \(files.count) source files under \(Self.sources.path)")
        let long = try files.compactMap { file -> String? in
            let text = try String(contentsOf: Self.sources.appendingPathComponent(file), encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count - (text.hasSuffix("\n") ? 1 : 0)
            return lines > 400 ? "\(file): \(lines) lines" : nil
        }
        #expect(long.isEmpty, "split these as Type+Feature.swift: \(long.joined(separator: ", "))")
    }
}
