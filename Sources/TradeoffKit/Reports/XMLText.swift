/// Escaping for XML text and attribute values (SVG, JUnit).
enum XMLText {
    /// `text` safe inside an element or a quoted attribute: `&`, `<`, `>`, `"` and `'` become
    /// entities, and characters XML 1.0 forbids (control characters other than tab, line feed and
    /// carriage return, lone surrogates, U+FFFE/U+FFFF) become U+FFFD, so any model answer keeps the
    /// document well-formed.
    static func escape(_ text: String) -> String {
        // Most text (ids, figures, plain answers) has nothing to escape: it is kept as it is.
        text.utf8.allSatisfy(isPlain) ? text : escapeEachScalar(text)
    }

    /// `escape`, scalar by scalar.
    static func escapeEachScalar(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let value = scalar.value
                if value < 0x20 || value == 0xFFFE || value == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// An ASCII byte that `escape` keeps as it is: printable but none of `&<>"'`, or a tab,
    /// line feed or carriage return.
    private static func isPlain(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"): false
        case 0x20..<0x7F, UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): true
        default: false
        }
    }
}
