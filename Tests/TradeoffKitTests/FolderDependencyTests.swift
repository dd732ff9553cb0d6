import Foundation
import Testing

/// The redesign's folder graph, pinned: which folder's types each folder may use. TradeoffKit is
/// one module, so imports say nothing; as the architecture check in the team's tools does, every
/// type declared in exactly one folder is mapped to that folder, and each source file (comments
/// and string literals removed) is scanned for those names. README's Layout section describes the
/// same graph.
struct FolderDependencyTests {
    /// The folders from the bottom up; a folder uses types of lower layers only, never of its
    /// own layer's other folders or a higher one, so the graph has no cycle.
    static let layers: [[String]] = [
        ["Support"],
        ["Model"],
        ["Catalog", "Transport"],
        ["Store"],
        ["Analysis", "Grading", "Providers"],
        ["Suite"],
        ["Plan"],
        ["Runner"],
        ["Reports"],
        ["CLI"],
    ]

    /// Lower-layer uses the shape still forbids, with the reason.
    static let never: [(from: String, to: String, why: String)] = [
        ("Reports", "Transport", "a report never calls a model"),
        ("Reports", "Providers", "a report knows numbers, not wire formats"),
        ("Analysis", "Transport", "statistics work on stored results only"),
        ("Store", "Transport", "the store knows rows, not HTTP"),
        ("Grading", "Transport", "deterministic graders are pure; the judge goes through the Runner"),
        ("Fake", "Runner", "the fake provider is a server, not a client"),
    ]

    static let graph = FolderGraph(sources: SourceSizeTests.sources)

    @Test func eachFolderUsesOnlyLowerLayers() throws {
        let graph = try #require(Self.graph)
        let layer = Dictionary(uniqueKeysWithValues: Self.layers.enumerated().flatMap { index, folders in
            folders.map { ($0, index) }
        })
        let upward = graph.uses.filter { use in
            guard let from = layer[use.from], let to = layer[use.to] else { return false }
            return to >= from
        }
        #expect(upward.isEmpty, "uses of a folder that is not below: \(upward.prefix(10).map(\.description))")
        let unplaced = Set(graph.uses.flatMap { [$0.from, $0.to] }).subtracting(layer.keys)
            .subtracting(["Fake", "TradeoffTestSupport", "tradeoff-bench", "TradeoffKit"])
        #expect(unplaced.isEmpty, "folders in no layer: \(unplaced.sorted())")
    }

    @Test func forbiddenUsesAreAbsent() throws {
        let graph = try #require(Self.graph)
        for rule in Self.never {
            let uses = graph.uses.filter { $0.from == rule.from && $0.to == rule.to }
            #expect(uses.isEmpty, "\(rule.from) -> \(rule.to) (\(rule.why)): \(uses.prefix(5).map(\.description))")
        }
    }

    /// The scan sees uses that exist, so an empty answer above means something.
    @Test func theScanFindsKnownUses() throws {
        let graph = try #require(Self.graph)
        #expect(graph.folder(declaring: "ResultStore") == "Store")
        #expect(graph.folder(declaring: "RunStateMachine") == "Runner")
        #expect(graph.uses.contains { $0.from == "Runner" && $0.to == "Store" && $0.name == "ResultStore" })
        #expect(graph.uses.contains { $0.from == "Reports" && $0.to == "Analysis" })
        #expect(graph.uses.contains { $0.from == "CLI" && $0.to == "Runner" })
    }

    @Test func commentsAndStringsAreNotUses() {
        let text = "let a = Foo() // Bar\n/* Baz\n Qux */ let s = \"Quux \\(x)\" + \"\"\"\nCorge\n\"\"\" + Grault\n"
        let names = FolderGraph.names(in: text)
        #expect(names.map(\.name) == ["Foo", "Grault"])
        #expect(names.map(\.line) == [1, 5])
    }
}

/// Which folder under Sources/ uses which folder's types, by name.
struct FolderGraph {
    struct Use: CustomStringConvertible {
        var from: String, to: String, file: String, line: Int, name: String
        var description: String { "\(file):\(line) \(name) (\(from) -> \(to))" }
    }

    private var owner: [String: String] = [:]
    private(set) var uses: [Use] = []

    func folder(declaring name: String) -> String? { owner[name] }

    init?(sources: URL) {
        guard let enumerator = FileManager.default.enumerator(atPath: sources.path) else { return nil }
        var texts: [(file: String, folder: String, text: String)] = []
        for case let file as String in enumerator where file.hasSuffix(".swift") {
            guard let text = try? String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8) else { return nil }
            texts.append((file, Self.folder(of: file), text))
        }
        var declared: [String: Set<String>] = [:]
        for source in texts {
            for name in Self.declarations(in: source.text) { declared[name, default: []].insert(source.folder) }
        }
        for (name, folders) in declared {
            let ours = folders.count > 1 ? folders.subtracting(["Fake"]) : folders
            if ours.count == 1 { owner[name] = ours.first }
        }
        for source in texts {
            for found in Self.names(in: source.text) {
                guard let to = owner[found.name], to != source.folder else { continue }
                uses.append(Use(from: source.folder, to: to, file: source.file, line: found.line, name: found.name))
            }
        }
    }

    /// `TradeoffKit/Runner/Runner.swift` → Runner; `tradeoff/...` → CLI; the fake provider's
    /// two targets → Fake; another target → its name.
    static func folder(of file: String) -> String {
        let parts = file.split(separator: "/").map(String.init)
        switch parts[0] {
        case "TradeoffKit": return parts.count > 2 ? parts[1] : "TradeoffKit"
        case "tradeoff": return "CLI"
        case "FakeProvider", "fake-provider": return "Fake"
        default: return parts[0]
        }
    }

    private static let keywords: Set<Substring> = ["struct", "class", "enum", "protocol", "actor", "typealias"]
    private static let modifiers: Set<Substring> = [
        "public", "internal", "private", "fileprivate", "package", "open", "final", "indirect", "nonisolated",
    ]

    /// The type names a file declares: a line's attributes and modifiers, a declaring keyword,
    /// then a capitalised name.
    static func declarations(in text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })[...]
            while let word = words.first, word.hasPrefix("@") || modifiers.contains(word) { words.removeFirst() }
            guard let keyword = words.first, keywords.contains(keyword), words.count > 1 else { return nil }
            let name = words[words.startIndex + 1].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            guard let first = name.first, first.isASCII, first.isUppercase else { return nil }
            return String(name)
        }
    }

    /// Every capitalised identifier outside comments and string literals, with its line.
    static func names(in text: String) -> [(name: String, line: Int)] {
        let bytes = Array(text.utf8)
        var found: [(name: String, line: Int)] = []
        var index = 0, line = 1
        func starts(_ literal: StaticString, at position: Int) -> Bool {
            guard position + literal.utf8CodeUnitCount <= bytes.count else { return false }
            for offset in 0..<literal.utf8CodeUnitCount where bytes[position + offset] != literal.utf8Start[offset] {
                return false
            }
            return true
        }
        /// Moves past `end`, counting lines; at the text's end when it never comes.
        func skip(past end: StaticString, stopAtNewline: Bool = false) {
            // `end` is never a newline: a newline is counted here, or left to the caller.
            while index < bytes.count {
                if bytes[index] == end.utf8Start[0], starts(end, at: index) { index += end.utf8CodeUnitCount; return }
                if bytes[index] == UInt8(ascii: "\n") {
                    if stopAtNewline { return }
                    line += 1
                }
                if bytes[index] == UInt8(ascii: "\\"), end.utf8CodeUnitCount == 1, end.utf8Start[0] == UInt8(ascii: "\"") {
                    index += 1
                }
                index += 1
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "/"), starts("//", at: index) {
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            }
            else if byte == UInt8(ascii: "/"), starts("/*", at: index) { index += 2; skip(past: "*/") }
            else if byte == UInt8(ascii: "\""), starts("\"\"\"", at: index) { index += 3; skip(past: "\"\"\"") }
            else if byte == UInt8(ascii: "\"") { index += 1; skip(past: "\"", stopAtNewline: true) }
            else if byte == UInt8(ascii: "\n") { line += 1; index += 1 }
            else if byte == UInt8(ascii: "_") || isLetter(byte) {
                let start = index
                while index < bytes.count, bytes[index] == UInt8(ascii: "_") || isLetter(bytes[index])
                    || (bytes[index] >= UInt8(ascii: "0") && bytes[index] <= UInt8(ascii: "9")) { index += 1 }
                if bytes[start] >= UInt8(ascii: "A"), bytes[start] <= UInt8(ascii: "Z") {
                    found.append((String(decoding: bytes[start..<index], as: UTF8.self), line))
                }
            } else { index += 1 }
        }
        return found
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") || byte >= 0x80
    }
}
