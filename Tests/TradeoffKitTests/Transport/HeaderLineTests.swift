import Testing
@testable import TradeoffKit

struct HeaderLineTests {
    private func parse(_ line: String) -> HeaderLine {
        Array(line.utf8).withUnsafeBytes { HeaderLine.parse($0) }
    }

    @Test(arguments: [
        ("HTTP/1.1 200 OK\r\n", HeaderLine.status(200)),
        ("HTTP/2 429\r\n", .status(429)),
        ("HTTP/1.1  503  Busy\r\n", .status(503)),
        ("HTTP/1.1\r\n", .status(nil)),
        ("HTTP/1.1 abc\r\n", .status(nil)),
        ("Content-Type: text/event-stream\r\n", .field(name: "content-type", value: "text/event-stream")),
        ("X-Request-ID:req_1\r\n", .field(name: "x-request-id", value: "req_1")),
        ("Retry-After: \t 30 \t\r\n", .field(name: "retry-after", value: "30")),
        ("x-empty:\r\n", .field(name: "x-empty", value: "")),
        ("x-colons: a: b:c\r\n", .field(name: "x-colons", value: "a: b:c")),
        ("x-vt:\u{0B}v\r\n", .field(name: "x-vt", value: "\u{0B}v")),
        ("  Padded-Name : v\n", .field(name: "padded-name ", value: "v")),
        ("\r\n", .other),
        ("no colon here\r\n", .other),
        ("", .other),
    ])
    func readsStatusLinesAndFields(_ line: String, _ expected: HeaderLine) {
        #expect(parse(line) == expected)
    }

    /// The byte path and Foundation's Unicode rules agree on every ASCII line, including every
    /// control character and space at either end of a name or value.
    @Test func bytePathMatchesTheUnicodeRules() {
        var lines = ["HTTP/1.1 200 OK\r\n", "A:B\r\n", ":\r\n", "::\r\n", "HTTP/\r\n", "http/1.1 200\r\n",
                     "HTTP/1.1 +200 OK\r\n", "HTTP/1.1 -1\r\n", "HTTP/1.1 200OK\r\n", "HTTP/1.1\t200\r\n",
                     "HTTP/1.1   99999999999999999999999\r\n", "HTTP/2 204  \r\n", "HTTP/1.1 20 0\r\n"]
        for byte in UInt8(0)..<0x80 {
            let c = String(UnicodeScalar(byte))
            lines += ["\(c)Name:\(c)value\(c)\r\n", "N\(c)ame: va\(c)lue\r\n", "\(c)HTTP/1.1 2\(c)00\(c)\r\n", "x:\(c)"]
        }
        for line in lines {
            #expect(parse(line) == HeaderLine.parse(line), "\(Array(line.utf8))")
        }
    }

    @Test func nonASCIILinesKeepTheUnicodeRules() {
        // U+00A0 is whitespace to Foundation; invalid UTF-8 is repaired before parsing.
        #expect(parse("X-Name:\u{00A0}café\u{00A0}\r\n") == .field(name: "x-name", value: "café"))
        let invalid: [UInt8] = Array("x-bad: a".utf8) + [0xFF] + Array("\r\n".utf8)
        #expect(invalid.withUnsafeBytes { HeaderLine.parse($0) } == .field(name: "x-bad", value: "a\u{FFFD}"))
    }
}
