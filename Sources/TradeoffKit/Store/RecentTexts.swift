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
            guard text.utf8.count == bytes.count, text.utf8.elementsEqual(bytes) else { continue }
            if index > 0 { texts.swapAt(index, index - 1) }
            return text
        }
        let text = String(decoding: bytes, as: UTF8.self)
        if texts.count == limit { texts.removeLast() }
        texts.insert(text, at: min(texts.count, limit / 2))
        return text
    }
}
