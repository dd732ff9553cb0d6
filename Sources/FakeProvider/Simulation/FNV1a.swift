/// The 64-bit FNV-1a hash: stable across runs, processes and platforms (unlike `Hasher`), so
/// the same request always gets the same simulated answer.
enum FNV1a {
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// The hash of the UTF-8 bytes of `text`.
    static func hash(_ text: String, from start: UInt64 = offsetBasis) -> UInt64 {
        hash(text.utf8, from: start)
    }

    /// The hash of `bytes`, continuing from `start` (the offset basis for a fresh hash).
    static func hash(_ bytes: some Sequence<UInt8>, from start: UInt64 = offsetBasis) -> UInt64 {
        var hash = start
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= prime
        }
        return hash
    }
}
