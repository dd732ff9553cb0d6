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

    /// Rows come from blocks of the file read ahead: whatever the order they are asked for in,
    /// each is the file's row, a row longer than a block included.
    @Test func everyCaseIsItsRowWhateverTheOrderOfReading() throws {
        try withTemporaryDirectory { directory in
            let rows = 3_000
            // Row 1,500 is longer than a block; the others a few dozen bytes to a few hundred.
            func text(_ index: Int) -> String {
                String(repeating: "x", count: index == 1_500 ? RowBlocks.blockSize + 100 : index % 300)
            }
            let lines = (0..<rows).map { #"{"id": "c\#($0)", "a": "\#(text($0))"}"# }
            let path = directory.file("d.jsonl")
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            var log = DiagnosticLog()
            guard case .success(let (dataset, _))? = DatasetFile.load(path: path, format: .jsonl, label: "task 't'",
                                                                      placeholders: ["a"], log: &log) else {
                Issue.record("not loaded: \(log.sorted)")
                return
            }
            var random = Xoshiro256(seed: 7)
            let orders = [Array(0..<rows), Array((0..<rows).reversed()), (0..<rows).shuffled(using: &random)]
            for order in orders {
                for index in order {
                    let testCase = dataset.testCase(at: index)
                    #expect(testCase.id == "c\(index)")
                    #expect(testCase.variables["a"] == text(index))
                }
            }
        }
    }

    /// Reading the cases in file order reads each block once; so do two lanes reading in turn at
    /// places far apart (each keeps its block), where reading row by row read once a row.
    @Test func readingInOrderReadsEachBlockOnce() throws {
        try withTemporaryDirectory { directory in
            let rows = 20_000
            let lines = (0..<rows).map { #"{"id": "c\#($0)", "a": "\#(String(repeating: "x", count: $0 % 97))"}"# }
            let text = lines.joined(separator: "\n") + "\n"
            let path = directory.file("d.jsonl")
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            var log = DiagnosticLog()
            guard case .success(let (dataset, _))? = DatasetFile.load(path: path, format: .jsonl, label: "task 't'",
                                                                      placeholders: ["a"], log: &log) else {
                Issue.record("not loaded: \(log.sorted)")
                return
            }
            let blocks = (text.utf8.count + RowBlocks.blockSize - 1) / RowBlocks.blockSize
            for index in 0..<rows { _ = dataset.testCase(at: index) }
            #expect(dataset.blockReads <= blocks + 1)
            #expect(dataset.blockReads >= blocks)
            let before = dataset.blockReads
            for index in 0..<rows / 2 {
                #expect(dataset.testCase(at: index).id == "c\(index)")
                #expect(dataset.testCase(at: rows / 2 + index).id == "c\(rows / 2 + index)")
            }
            #expect(dataset.blockReads - before <= blocks + 2)
        }
    }

    /// A file cut short since loading gives no bytes (the run then stops with a message), and
    /// past `capacity` places the block used longest ago is read again.
    @Test func blocksComeFromTheFileAsItIsAndTheOldestIsLetGo() {
        let file = [UInt8](repeating: UInt8(ascii: "r"), count: 10 * RowBlocks.blockSize)
        var available = file.count
        func read(_ buffer: UnsafeMutableRawBufferPointer, _ offset: Int64) -> Int {
            let count = max(0, min(buffer.count, available - Int(offset)))
            file.withUnsafeBytes { bytes in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[Int(offset)..<Int(offset) + count]))
            }
            return count
        }
        var blocks = RowBlocks()
        let size = Int64(file.count)
        // One place per block, one more than the blocks kept: the first is read again after.
        for place in 0...RowBlocks.capacity {
            #expect(blocks.bytes(at: Int64(place * RowBlocks.blockSize), length: 10, fileSize: size, read: read)?.count == 10)
        }
        #expect(blocks.reads == RowBlocks.capacity + 1)
        _ = blocks.bytes(at: Int64(RowBlocks.capacity * RowBlocks.blockSize) + 20, length: 10, fileSize: size, read: read)
        #expect(blocks.reads == RowBlocks.capacity + 1)
        _ = blocks.bytes(at: 20, length: 10, fileSize: size, read: read)
        #expect(blocks.reads == RowBlocks.capacity + 2)
        // Cut short: a row past the new end has no bytes.
        available = 9 * RowBlocks.blockSize + 5
        #expect(blocks.bytes(at: Int64(9 * RowBlocks.blockSize), length: 10, fileSize: size, read: read) == nil)
    }
}
