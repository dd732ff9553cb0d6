import Foundation
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

/// A dataset is read through a buffer of its own size, a megabyte at most: rows of a bigger file
/// cross the buffer's edges and are read whole, and a small one is read at once.
struct DatasetFileReadTests {
    @Test(arguments: [3, 20_000])
    func everyRowIsReadWholeWhateverTheFilesSize(rows: Int) throws {
        try withTemporaryDirectory { directory in
            // 20,000 rows are about 1.4 MB: rows straddle the end of the first megabyte.
            let lines = (0..<rows).map { #"{"id": "c\#($0)", "a": "\#(String(repeating: "x", count: $0 % 97))"}"# }
            let path = directory.file("d.jsonl")
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            var log = DiagnosticLog()
            let loaded = DatasetFile.load(path: path, format: .jsonl, label: "task 't'", placeholders: ["a"], log: &log)
            guard case .success(let (dataset, _)) = try #require(loaded) else {
                Issue.record("not loaded: \(log.sorted)")
                return
            }
            #expect(!log.hasErrors)
            #expect(dataset.count == rows)
            for index in [0, rows / 2, rows - 1] {
                let testCase = dataset.testCase(at: index)
                #expect(testCase.id == "c\(index)")
                #expect(testCase.variables["a"] == String(repeating: "x", count: index % 97))
            }
        }
    }

    @Test(arguments: [(Int64?.none, 1 << 20), (0, 4096), (10, 4096), (5_000, 5_001), (1 << 20, 1 << 20), (5 << 20, 1 << 20)])
    func theBufferIsTheFilesSizeAndOneByteUpToAMegabyte(size: Int64?, expected: Int) {
        #expect(DatasetFile.readBuffer(forFileOfSize: size).count == expected)
    }
}
