import Foundation

/// Keeps API keys out of everything Tradeoff writes.
public enum Secrets {
    /// `text` with every occurrence of each secret replaced by `[redacted]`, and with every run
    /// of 8 or more characters of a secret too: a key cut short (a quote of a body cut at 200
    /// bytes, a key split over two lines) must not leave its first characters behind. Secrets
    /// shorter than 4 bytes are ignored (they would redact ordinary text).
    public static func redact(_ text: String, _ secrets: [String]) -> String {
        let bytes = Array(text.utf8)
        let ranges = matches(in: bytes, secrets)
        guard !ranges.isEmpty else { return text }
        return String(decoding: replacing(ranges, in: bytes), as: UTF8.self)
    }

    /// The same for bytes (a response body): what is not a secret is kept byte for byte.
    public static func redact(_ data: Data, _ secrets: [String]) -> Data {
        let bytes = Array(data)
        let ranges = matches(in: bytes, secrets)
        guard !ranges.isEmpty else { return data }
        return Data(replacing(ranges, in: bytes))
    }

    /// The shortest run of a secret's characters that is redacted on its own.
    static let minimumRun = 8

    /// The byte ranges of `bytes` that hold a secret, or 8 bytes or more of one, merged and
    /// widened to whole UTF-8 characters.
    private static func matches(in bytes: [UInt8], _ secrets: [String]) -> [Range<Int>] {
        var found: [Range<Int>] = []
        for secret in secrets {
            let key = Array(secret.utf8)
            guard key.count >= 4 else { continue }
            if key.count < minimumRun {
                var start = 0
                while start + key.count <= bytes.count {
                    if bytes[start..<(start + key.count)].elementsEqual(key) {
                        found.append(start..<(start + key.count))
                        start += key.count
                    } else {
                        start += 1
                    }
                }
                continue
            }
            // Every 8-byte window of the key; a run of the text whose every 8-byte window is one
            // of them is (a piece of) the key.
            var windows = Set<UInt64>()
            var window: UInt64 = 0
            for (index, byte) in key.enumerated() {
                window = window << 8 | UInt64(byte)
                if index >= minimumRun - 1 { windows.insert(window) }
            }
            window = 0
            for (index, byte) in bytes.enumerated() {
                window = window << 8 | UInt64(byte)
                if index >= minimumRun - 1, windows.contains(window) {
                    found.append((index + 1 - minimumRun)..<(index + 1))
                }
            }
        }
        guard !found.isEmpty else { return [] }
        // Never cut a character in two: widen over continuation bytes (10xxxxxx), then merge.
        let widened = found.map { range -> Range<Int> in
            var lower = range.lowerBound, upper = range.upperBound
            while lower > 0, bytes[lower] & 0xC0 == 0x80 { lower -= 1 }
            while upper < bytes.count, bytes[upper] & 0xC0 == 0x80 { upper += 1 }
            return lower..<upper
        }.sorted { $0.lowerBound < $1.lowerBound }
        var merged: [Range<Int>] = []
        for range in widened {
            if let last = merged.last, range.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    private static func replacing(_ ranges: [Range<Int>], in bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var next = 0
        for range in ranges {
            out += bytes[next..<range.lowerBound]
            out += "[redacted]".utf8
            next = range.upperBound
        }
        out += bytes[next...]
        return out
    }

    /// Heuristic for an API key pasted where a variable name belongs: a known key prefix, or a
    /// long value that no one would name a variable (no uppercase, or not a valid name).
    public static func looksLikeKey(_ value: String) -> Bool {
        if hasKeyPrefix(value) { return true }
        guard value.count >= 20 else { return false }
        return !value.contains(where: \.isUppercase) || !isVariableName(value[...])
    }

    /// Whether `value` starts as the keys of known providers do (`sk-`, `AIza`, `hf_`, ...).
    public static func hasKeyPrefix(_ value: String) -> Bool {
        let prefixes = ["sk-", "sk_", "gsk_", "xai-", "hf_", "pk-", "AIza", "ghp_", "github_pat_", "r8_"]
        return prefixes.contains(where: value.hasPrefix)
    }

    /// Whether a value written under a name that says "secret" (`api_key`, `token`, `password`)
    /// is one: a key by `looksLikeKey`, or any value of 8 characters or more that is not a
    /// `${VARIABLE}` reference.
    public static func mayBeSecret(_ value: String) -> Bool {
        !value.hasPrefix("${") && (looksLikeKey(value) || value.count >= 8)
    }

    /// `[A-Za-z_][A-Za-z0-9_]*`
    public static func isVariableName(_ name: Substring) -> Bool {
        guard let first = name.first, first == "_" || (first.isASCII && first.isLetter) else { return false }
        return name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
    }
}

