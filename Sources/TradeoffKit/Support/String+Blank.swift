extension StringProtocol {
    /// Whether the text is empty or only whitespace (`Character.isWhitespace`).
    ///
    /// Answers are checked one by one in a report of a million calls: ASCII is decided byte by
    /// byte, and only text with other characters takes the grapheme-by-grapheme path.
    var isBlank: Bool {
        for byte in utf8 {
            switch byte {
            case 0x09...0x0D, 0x20: continue
            case 0x80...: return allSatisfy(\.isWhitespace)
            default: return false
            }
        }
        return true
    }
}
