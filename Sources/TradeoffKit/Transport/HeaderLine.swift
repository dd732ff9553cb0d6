import Foundation

/// One line of a response's header block, as curl hands it over (CRLF included).
///
/// Read byte by byte: a call's dozen header lines went through Foundation's
/// `trimmingCharacters`, which cost more than all of curl's own work for the call. ASCII lines
/// (all of them, in practice) take the byte path; anything else keeps the Unicode rules, so
/// both paths give the same answer.
enum HeaderLine: Equatable {
    /// A status line (`HTTP/1.1 200 OK`): the code, when it reads as one.
    case status(Int?)
    /// A field, its name lowercased and its value trimmed.
    case field(name: String, value: String)
    /// Anything else: the blank line ending the block, a line without a colon.
    case other

    /// Parses one raw line.
    static func parse(_ line: UnsafeRawBufferPointer) -> HeaderLine {
        guard line.allSatisfy({ $0 < 0x80 }) else {
            return parse(String(decoding: line, as: UTF8.self))
        }
        // ASCII: Foundation's `.whitespacesAndNewlines` are these bytes, `.whitespaces` tab and space.
        func isSpaceOrNewline(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
        var start = 0, end = line.count
        while start < end, isSpaceOrNewline(line[start]) { start += 1 }
        while end > start, isSpaceOrNewline(line[end - 1]) { end -= 1 }
        let trimmed = UnsafeRawBufferPointer(rebasing: line[start..<end])
        if trimmed.starts(with: "HTTP/".utf8) {
            // The second space-separated word, as `split(separator: " ")` finds it.
            var index = 0
            while index < trimmed.count, trimmed[index] != 0x20 { index += 1 }
            while index < trimmed.count, trimmed[index] == 0x20 { index += 1 }
            let start = index
            while index < trimmed.count, trimmed[index] != 0x20 { index += 1 }
            guard index > start else { return .status(nil) }
            return .status(Int(String(decoding: UnsafeRawBufferPointer(rebasing: trimmed[start..<index]), as: UTF8.self)))
        }
        guard let colon = trimmed.firstIndex(of: UInt8(ascii: ":")) else { return .other }
        var valueStart = colon + 1
        while valueStart < trimmed.count, trimmed[valueStart] == 0x20 || trimmed[valueStart] == 0x09 { valueStart += 1 }
        let name = String(unsafeUninitializedCapacity: colon) { buffer in
            for index in 0..<colon {
                let byte = trimmed[index]
                buffer[index] = (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
            }
            return colon
        }
        let value = String(decoding: UnsafeRawBufferPointer(rebasing: trimmed[valueStart...]), as: UTF8.self)
        return .field(name: name, value: value)
    }

    /// The same rules on a decoded line, with Foundation's Unicode whitespace.
    static func parse(_ line: String) -> HeaderLine {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("HTTP/") {
            let parts = trimmed.split(separator: " ", maxSplits: 2)
            return .status(parts.count >= 2 ? Int(parts[1]) : nil)
        }
        guard let colon = trimmed.firstIndex(of: ":") else { return .other }
        let name = trimmed[..<colon].lowercased()
        let value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        return .field(name: name, value: value)
    }
}
