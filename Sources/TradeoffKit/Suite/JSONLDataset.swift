import Foundation

/// A JSONL dataset read from its file one row at a time, so a suite's memory does not grow with
/// its cases: only where each row starts is kept (16 bytes a row), and a case is parsed again
/// each time it is needed.
///
/// The file stays open from loading to the end of the run. A file replaced meanwhile (an editor
/// saving, a `git checkout`) is a new file: the run keeps reading the one it loaded. Only one
/// rewritten in place can change under it, which stops the run with a message (what was
/// recorded stays; the run resumes once the file is restored).
public final class JSONLDataset: Sendable {
    struct RowReference: Sendable, Hashable {
        var start: Int64
        var length: Int32
        var line: Int32
    }

    /// The file, as messages name it.
    public let path: String
    private let descriptor: Int32
    private let rows: [RowReference]
    private let size: Int64
    /// SHA-256 of the file's bytes as loaded.
    let digest: String

    /// The number of cases.
    var count: Int { rows.count }

    private init(path: String, descriptor: Int32, rows: [RowReference], size: Int64, digest: String) {
        self.path = path
        self.descriptor = descriptor
        self.rows = rows
        self.size = size
        self.digest = digest
    }

    deinit { close(descriptor) }

    /// The case of row `index` (0-based).
    func testCase(at index: Int) -> TestCase {
        Dataset.testCase(values(at: index), position: index + 1)
    }

    /// The 1-based line row `index` is on.
    func line(at index: Int) -> Int { Int(rows[index].line) }

    private func values(at index: Int) -> [String: String] {
        let row = rows[index]
        var bytes = [UInt8](repeating: 0, count: Int(row.length))
        let read = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, Int(row.length), off_t(row.start)) }
        guard read == Int(row.length), let text = String(validating: bytes, as: UTF8.self),
              let values = try? Dataset.jsonlValues(text)
        else {
            fatalError("\(path):\(row.line): the dataset was rewritten while a run was reading it; restore it and "
                       + "resume the run (tradeoff run --resume latest), or start a new run")
        }
        return values
    }

    /// Feeds the file's bytes, as loaded, to `hasher` (for the suite's content hash).
    func feed(_ hasher: inout SHA256) {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var offset: Int64 = 0
        while offset < size {
            let wanted = Int(min(Int64(buffer.count), size - offset))
            let read = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, wanted, off_t(offset)) }
            guard read > 0 else { break }
            hasher.update(buffer[0..<read])
            offset += Int64(read)
        }
    }

    /// Counts the placeholders the rows lack (for a dataset already loaded by another task).
    func tally(placeholders: Set<String>) -> CaseTally {
        var tally = CaseTally(placeholders: placeholders)
        for index in rows.indices { tally.add(testCase(at: index), file: path, line: line(at: index)) }
        return tally
    }

    /// Reads the file at `path` through once, checking every row — a JSON object without a
    /// duplicate key, a case id not used before — and keeping only where it is.
    ///
    /// - Parameters:
    ///   - label: The task, for messages (`task 'triage'`).
    ///   - placeholders: The names the task's templates use, tallied in the same pass.
    /// - Returns: The dataset and its tally, or the problem reading the file; nil when some row is
    ///   bad (each is reported at its line).
    static func load(path: String, label: String, placeholders: Set<String>,
                     log: inout DiagnosticLog) -> Result<(JSONLDataset, CaseTally), InputFile.Problem>? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .failure(.missing) }
        guard !isDirectory.boolValue else { return .failure(.directory) }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(.unreadable) }
        var keep = false
        defer { if !keep { close(descriptor) } }

        var scanner = Scanner(path: path, label: label, tally: CaseTally(placeholders: placeholders))
        var hasher = SHA256()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var pending: [UInt8] = []
        var pendingStart: Int64 = 0
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count >= 0 else { return .failure(.unreadable) }
            if count == 0 { break }
            hasher.update(chunk[0..<count])
            pending.append(contentsOf: chunk[0..<count])
            var lineStart = 0
            while let newline = pending[lineStart...].firstIndex(of: UInt8(ascii: "\n")) {
                scanner.line(pending[lineStart..<newline], start: pendingStart + Int64(lineStart), log: &log)
                lineStart = newline + 1
            }
            pending.removeFirst(lineStart)
            pendingStart += Int64(lineStart)
        }
        if !pending.isEmpty { scanner.line(pending[...], start: pendingStart, log: &log) }
        guard scanner.clean else { return nil }
        keep = true
        let dataset = JSONLDataset(path: path, descriptor: descriptor, rows: scanner.rows,
                                   size: pendingStart + Int64(pending.count), digest: hasher.finalize().hexString)
        return .success((dataset, scanner.tally))
    }

    /// The checks of one pass over the lines.
    private struct Scanner {
        let path: String
        let label: String
        var tally: CaseTally
        var rows: [RowReference] = []
        var clean = true
        private var number = 0
        /// Case id hash → the line it was first seen on. Hashes, not ids, keep this small; a
        /// collision of 64-bit hashes is too unlikely to matter.
        private var seen: [Int: Int32] = [:]

        init(path: String, label: String, tally: CaseTally) {
            self.path = path
            self.label = label
            self.tally = tally
        }

        mutating func line(_ raw: ArraySlice<UInt8>, start: Int64, log: inout DiagnosticLog) {
            number += 1
            var bytes = raw
            var start = start
            if number == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
                bytes = bytes.dropFirst(3)
                start += 3
            }
            if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
            guard bytes.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                fail("the line is not UTF-8 text", column: 1, text: nil, log: &log)
                return
            }
            let values: [String: String]
            do { values = try Dataset.jsonlValues(text) } catch {
                fail(error.message, column: error.column, text: text, log: &log)
                return
            }
            let testCase = Dataset.testCase(values, position: rows.count + 1)
            if let first = seen.updateValue(Int32(number), forKey: testCase.id.hashValue) {
                seen[testCase.id.hashValue] = first
                fail("duplicate case id '\(testCase.id)' in \(label) (first at line \(first))", column: 1, text: text,
                     log: &log)
                return
            }
            rows.append(RowReference(start: start, length: Int32(bytes.count), line: Int32(number)))
            tally.add(testCase, file: path, line: number)
        }

        private mutating func fail(_ message: String, column: Int, text: String?, log: inout DiagnosticLog) {
            clean = false
            log.add(Diagnostic(.error, file: path, line: number, column: column, message: message, sourceLine: text))
        }
    }
}

extension JSONLDataset: Hashable {
    public static func == (lhs: JSONLDataset, rhs: JSONLDataset) -> Bool {
        lhs.path == rhs.path && lhs.digest == rhs.digest
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(path)
        hasher.combine(digest)
    }
}
