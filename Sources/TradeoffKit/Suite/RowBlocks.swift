/// The blocks of a dataset file read last, kept for the rows after them.
///
/// A run reads its cases in file order: every case as the run begins, then each as its call
/// starts, one lane per model, each lane at its own place. Reading every row by itself cost a
/// system call and an allocation a row (two a call). A miss reads a block of the file from the
/// row on, and the rows after it in the block come from memory. A few blocks are kept, one for
/// each lane's place, the one used longest ago given up first.
struct RowBlocks {
    /// Bytes read at once from a row on; a longer row is read whole.
    static let blockSize = 32 * 1024
    /// Blocks kept: more places than a run usually reads at (its models).
    static let capacity = 8

    private struct Block {
        var start: Int64
        var bytes: [UInt8]
        var lastUse: UInt64
    }

    private var blocks: [Block] = []
    private var uses: UInt64 = 0
    /// Blocks read from the file so far.
    private(set) var reads = 0

    /// The `length` bytes at `start` of a file of `fileSize` bytes, from a block held or from one
    /// read now; nil when the file holds fewer there (it was cut or rewritten since loading).
    ///
    /// - Parameter read: Reads into the buffer from the offset, as `pread` does: the bytes read,
    ///   or -1.
    mutating func bytes(at start: Int64, length: Int, fileSize: Int64,
                        read: (UnsafeMutableRawBufferPointer, Int64) -> Int) -> ArraySlice<UInt8>? {
        uses &+= 1
        let end = start + Int64(length)
        if let index = blocks.firstIndex(where: { $0.start <= start && end <= $0.start + Int64($0.bytes.count) }) {
            blocks[index].lastUse = uses
            let offset = Int(start - blocks[index].start)
            return blocks[index].bytes[offset..<offset + length]
        }
        let wanted = max(length, Int(min(Int64(Self.blockSize), fileSize - start)))
        var got = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: wanted) { buffer, count in
            got = read(UnsafeMutableRawBufferPointer(buffer), start)
            count = max(0, got)
        }
        reads += 1
        guard got >= length else { return nil }
        let block = Block(start: start, bytes: bytes, lastUse: uses)
        if blocks.count < Self.capacity {
            blocks.append(block)
        } else if let oldest = blocks.indices.min(by: { blocks[$0].lastUse < blocks[$1].lastUse }) {
            blocks[oldest] = block
        }
        return bytes[0..<length]
    }
}
