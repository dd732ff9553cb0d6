import Foundation

/// The last few distinct texts read from a column, most recent first, to hand out again.
struct RecentTexts {
    private var texts: [String] = []
    private let limit: Int

    init(limit: Int = 64) {
        self.limit = limit
    }

    /// A string with `bytes` (UTF-8, repaired): a known one when it matches.
    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        for index in texts.indices {
            let text = texts[index]
            guard text.utf8.count == bytes.count, Self.equal(text, bytes) else { continue }
            if index > 0 { texts.swapAt(index, index - 1) }
            return text
        }
        let text = String(decoding: bytes, as: UTF8.self)
        if texts.count == limit { texts.removeLast() }
        texts.insert(text, at: min(texts.count, limit / 2))
        return text
    }

    /// Whether `text`'s UTF-8, of the same count, is `bytes`, compared as memory: comparing
    /// through `String.UTF8View`'s iterator was a tenth of the report's reading thread.
    private static func equal(_ text: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { stored in
            bytes.isEmpty || memcmp(stored.baseAddress!, bytes.baseAddress!, bytes.count) == 0
        } ?? text.utf8.elementsEqual(bytes)
    }
}
