import Foundation
import Testing
@testable import TradeoffKit

struct JSONWriterTests {
    private func foundation(_ object: [String: JSONValue], escapingSlashes: Bool) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = escapingSlashes ? [.sortedKeys] : [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(object)
    }

    /// Every ASCII character, the Unicode line separators, a BOM, combining and astral characters.
    private static let awkwardStrings: [String] = {
        var ascii = ""
        for byte in 0..<0x80 { ascii.unicodeScalars.append(UnicodeScalar(UInt8(byte))) }
        return ["", ascii, "a/b\\c\"d", "\u{2028}\u{2029}\u{FEFF}\u{7F}", "café e\u{301} 日本語 😀👩‍👩‍👧",
                "\u{0}\u{1F}\u{0B}\u{0C}\u{08}", "</script>", String(repeating: "x\n", count: 300)]
    }()

    private static let numbers: [Double] = [0, -0.0, 0.7, 1, 1.5, -3.25, 0.1, 0.30000000000000004, 1e-7, 1e15, 1e16,
                                            1e21, 1.2345678901234568e17, 1e300, Double(bitPattern: 1), .greatestFiniteMagnitude, 2]

    @Test(arguments: awkwardStrings)
    func stringsMatchJSONEncoder(_ text: String) throws {
        for escaping in [false, true] {
            let object: [String: JSONValue] = [text: .string(text), "k": .array([.string(text)])]
            #expect(try JSONWriter.encode(object, escapingSlashes: escaping) == foundation(object, escapingSlashes: escaping))
        }
    }

    @Test(arguments: numbers)
    func numbersMatchJSONEncoder(_ number: Double) throws {
        let object: [String: JSONValue] = ["n": .number(number), "i": .integer(Int(exactly: number.rounded()) ?? 7),
                                           "min": .integer(.min), "max": .integer(.max)]
        #expect(try JSONWriter.encode(object) == foundation(object, escapingSlashes: false))
    }

    @Test func keysSortByUTF8AndNestedValuesMatchJSONEncoder() throws {
        let keys = ["a10", "a2", "B", "a", "_", "b", "A", "é", "e", "z", "Z", "1", "10", "9", "aa", "a_b", "a-b", "ab", ""]
        var object: [String: JSONValue] = [:]
        for (index, key) in keys.enumerated() {
            object[key] = index % 2 == 0 ? .integer(index) : .object(["y": .null, "x": .bool(index % 3 == 0),
                                                                       "w": .array([.bool(false), .null, .array([])])])
        }
        object["empty"] = .object([:])
        #expect(try JSONWriter.encode(object) == foundation(object, escapingSlashes: false))
    }

    @Test func aRequestBodyRoundTripsThroughJSONSerialization() throws {
        let text = Self.awkwardStrings.joined(separator: "|")
        let data = try JSONWriter.encode([
            "messages": .array([.object(["role": .string("user"), "content": .string(text)])]),
            "temperature": .number(0.7), "max_tokens": .integer(16), "stream": .bool(true),
        ])
        let decoded = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let messages = try #require(decoded["messages"] as? [[String: String]])
        #expect(messages == [["role": "user", "content": text]])
        #expect(decoded["temperature"] as? Double == 0.7)
        #expect(decoded["max_tokens"] as? Int == 16)
    }

    @Test func whatJSONEncoderRefusesIsLeftToIt() {
        #expect(throws: EncodingError.self) { try JSONWriter.encode(["n": .number(.nan)]) }
        var deep = JSONValue.null
        for _ in 0..<600 { deep = .array([deep]) }
        #expect(throws: (any Error).self) { try JSONWriter.encode(["deep": deep]) }
        // At the depth limit both give up at the same nesting.
        for depth in 508...512 {
            var nested = JSONValue.null
            for level in 0..<depth { nested = level % 2 == 0 ? .array([nested]) : .object(["k": nested]) }
            #expect((try? JSONWriter.encode(["n": nested])) == (try? foundation(["n": nested], escapingSlashes: false)))
        }
        var writer = JSONWriter(escapingSlashes: false)
        let wrote = writer.write(.number(.infinity))
        #expect(!wrote)
    }
}
