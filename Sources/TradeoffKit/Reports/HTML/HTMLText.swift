/// The HTML renderer's escaping: text and attribute values, and which link targets may stay links.
enum HTMLText {
    /// `text` safe inside an element or a quoted attribute: `&`, `<`, `>`, `"` and `'` become
    /// entities, so nothing in it can open a tag, close the attribute it sits in or add one; control
    /// characters HTML forbids become U+FFFD.
    static func escape(_ text: String) -> String {
        // XML's rules are HTML's here, and one escaping for both keeps them from drifting apart.
        XMLText.escape(text)
    }

    /// `text` escaped, its line breaks as `<br>`, so an answer of several lines reads as written.
    static func lines(_ text: String) -> String {
        guard text.contains(where: \.isNewline) else { return escape(text) }
        var out = ""
        var line = ""
        for character in text {
            if character.isNewline {
                out += escape(line) + "<br>"
                line = ""
            } else {
                line.append(character)
            }
        }
        return out + escape(line)
    }

    /// Whether `target` may be a link: a path relative to the page (no scheme), a fragment, or an
    /// `http`, `https` or `mailto` URL. Anything else (`javascript:`, `data:`, `vbscript:`) is shown
    /// as text only. Browsers ignore tabs, line breaks and leading controls or spaces in a URL, so
    /// the scheme is read with those removed.
    static func isSafeLink(_ target: String) -> Bool {
        let scalars = target.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F }
        let compact = String(String.UnicodeScalarView(scalars)).lowercased()
        guard let colon = compact.firstIndex(of: ":") else { return true }
        let beforeColon = compact[..<colon]
        // A `/`, `?` or `#` before the first colon means the colon is not a scheme's.
        if beforeColon.contains(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { return true }
        return ["http", "https", "mailto"].contains(String(beforeColon))
    }
}
