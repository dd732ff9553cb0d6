import Crypto
import Foundation
import Synchronization

/// A dataset file (JSONL or CSV) read one row at a time, so a suite's memory does not grow with
/// its cases: loading checks every row in one streaming pass and keeps only where each starts
/// (16 bytes a row); a case is read and parsed again from the file each time it is needed (the
/// blocks of it read last are kept for the rows after them, `RowBlocks`).
///
/// The file stays open from loading to the end of the run. A file replaced meanwhile (an editor
/// saving, a `git checkout`) is a new file: the run keeps reading the one it loaded. Only one
/// rewritten in place can change under it, which stops the run with a message (what was
/// recorded stays; the run resumes once the file is restored).
public final class DatasetFile: Sendable {
    struct RowReference: Sendable, Hashable {
        var start: Int64
        var length: Int32
        var line: Int32
    }

    /// The file, as messages name it.
    public let path: String
    let format: Dataset.Format
    /// A CSV file's column names.
    private let header: [String]
    private let descriptor: Int32
    private let rows: [RowReference]
    private let size: Int64
    /// SHA-256 of the file's bytes as loaded.
    let digest: String
    /// The blocks of the file read last, for the rows after them (`RowBlocks`).
    private let blocks = Mutex(RowBlocks())

    /// The number of cases.
    var count: Int { rows.count }

    private init(path: String, format: Dataset.Format, header: [String], descriptor: Int32, rows: [RowReference],
                 size: Int64, digest: String) {
        self.path = path
        self.format = format
        self.header = header
        self.descriptor = descriptor
        self.rows = rows
        self.size = size
        self.digest = digest
    }

    deinit { close(descriptor) }

    /// The case of row `index` (0-based); with `messagesField`, the JSONL field holding the
    /// row's conversation (which is then not a variable).
    func testCase(at index: Int, messagesField: String? = nil) -> TestCase {
        let row = rows[index]
        let bytes = self.bytes(of: row)
        guard let bytes, let values = try? Dataset.values(of: bytes[...], format: format, header: header) else {
            fatalError("\(path):\(row.line): the dataset was rewritten while a run was reading it; restore it and "
                       + "resume the run (tradeoff run --resume latest), or start a new run")
        }
        guard let field = messagesField, format == .jsonl, values[field] != nil else {
            return Dataset.testCase(values, position: index + 1)
        }
        var variables = values
        variables[field] = nil
        var testCase = Dataset.testCase(variables, position: index + 1)
        // Loading checked every row's turns.
        testCase.messages = ((try? Dataset.conversation(in: bytes[...], field: field)) ?? nil) ?? []
        return testCase
    }

    /// The bytes of `row`; nil when the file no longer holds them.
    private func bytes(of row: RowReference) -> ArraySlice<UInt8>? {
        blocks.withLock { blocks in
            blocks.bytes(at: row.start, length: Int(row.length), fileSize: size) { buffer, offset in
                pread(descriptor, buffer.baseAddress, buffer.count, off_t(offset))
            }
        }
    }

    /// Blocks read from the file for its rows so far.
    var blockReads: Int { blocks.withLock { $0.reads } }

    /// Checks every row's conversation against `rule` (for a dataset already loaded by another
    /// task), reporting each bad row at its line; false when some row is bad.
    func checkConversations(_ rule: ConversationRule, log: inout DiagnosticLog) -> Bool {
        guard format == .jsonl else { return true }
        var clean = true
        var missingShown = false
        for index in rows.indices {
            let row = rows[index]
            guard let bytes = bytes(of: row),
                  let values = try? Dataset.values(of: bytes[...], format: format, header: header) else { continue }
            if let problem = rule.problem(ofRow: bytes[...], values: values, position: index + 1) {
                clean = false
                if problem.isMissing { if missingShown { continue } else { missingShown = true } }
                log.add(problem.isMissing ? rule.missingPrompt : nil,
                        or: Diagnostic(.error, file: path, line: Int(row.line), column: problem.column,
                                       message: problem.message,
                                       sourceLine: SourceText.redactingKeys(String(decoding: bytes, as: UTF8.self))))
            }
        }
        return clean
    }

    /// The 1-based line row `index` starts on.
    func line(at index: Int) -> Int { Int(rows[index].line) }

    /// Feeds the file's bytes, as loaded, to `hasher` (for the suite's content hash).
    func feed(_ hasher: inout SHA256) {
        var buffer = Self.readBuffer(forFileOfSize: size)
        var offset: Int64 = 0
        while offset < size {
            let wanted = Int(min(Int64(buffer.count), size - offset))
            let read = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, wanted, off_t(offset)) }
            guard read > 0 else { break }
            hasher.update(data: buffer[0..<read])
            offset += Int64(read)
        }
    }

    /// A buffer to read a file of `size` bytes through: a megabyte, or less for a smaller file
    /// (one byte more than it, so the read that finds its end is the second). A zeroed megabyte
    /// per dataset was 4% of `tradeoff validate`'s CPU for the demo's three small ones.
    static func readBuffer(forFileOfSize size: Int64?) -> [UInt8] {
        let megabyte = 1 << 20
        let count = size.map { min(Int64(megabyte), max(4096, $0 + 1)) }.map(Int.init) ?? megabyte
        return [UInt8](repeating: 0, count: count)
    }

    /// Counts the placeholders the rows lack (for a dataset already loaded by another task).
    func tally(placeholders: Set<String>) -> CaseTally {
        var tally = CaseTally(placeholders: placeholders)
        for index in rows.indices { tally.add(testCase(at: index), file: path, line: line(at: index)) }
        return tally
    }

    /// Reads the file at `path` through once, checking every row — well formed, a case id not
    /// used before — and keeping only where it is.
    ///
    /// - Parameters:
    ///   - label: The task, for messages (`task 'triage'`).
    ///   - placeholders: The names the task's templates use, tallied in the same pass.
    /// - Returns: The dataset and its tally, or the problem reading the file; nil when some row is
    ///   bad (each is reported at its line).
    ///   - conversation: How the task reads a row's conversation (JSONL), checked in the same pass.
    static func load(path: String, format: Dataset.Format, label: String, placeholders: Set<String>,
                     conversation: ConversationRule? = nil,
                     log: inout DiagnosticLog) -> Result<(DatasetFile, CaseTally), InputFile.Problem>? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .failure(.missing) }
        guard !isDirectory.boolValue else { return .failure(.directory) }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(.unreadable) }
        var keep = false
        defer { if !keep { close(descriptor) } }

        var rows: [RowReference] = []
        var tally = CaseTally(placeholders: placeholders)
        // Case id hash → the line it was first seen on. Hashes, not ids, keep this small; a
        // collision of 64-bit hashes is too unlikely to matter.
        var seen: [Int: Int32] = [:]
        var clean = true
        var missingShown = false
        var scanner = Dataset.Scanner(file: path, format: format)
        var hasher = SHA256()
        var status = stat()
        var chunk = readBuffer(forFileOfSize: fstat(descriptor, &status) == 0 ? Int64(status.st_size) : nil)
        var readError = false
        scanner.scan(log: &log, next: {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else {
                readError = count < 0
                return nil
            }
            hasher.update(data: chunk[0..<count])
            return chunk[0..<count]
        }, row: { row, log in
            let testCase = Dataset.testCase(row.values, position: rows.count + 1)
            if let first = seen.updateValue(Int32(row.line), forKey: testCase.id.hashValue) {
                seen[testCase.id.hashValue] = first
                log.add(Diagnostic(.error, file: path, line: row.line, column: 1,
                                   message: "duplicate case id '\(testCase.id)' in \(label) (first at line \(first))",
                                   sourceLine: SourceText.redactingKeys(row.text)))
                clean = false
                return
            }
            if format == .jsonl, let conversation,
               let problem = conversation.problem(ofRow: row.bytes, values: row.values, position: rows.count + 1) {
                clean = false
                if problem.isMissing { if missingShown { return } else { missingShown = true } }
                log.add(problem.isMissing ? conversation.missingPrompt : nil,
                        or: Diagnostic(.error, file: path, line: row.line, column: problem.column, message: problem.message,
                                       sourceLine: SourceText.redactingKeys(row.text)))
                return
            }
            rows.append(RowReference(start: row.start, length: Int32(row.bytes.count), line: Int32(row.line)))
            tally.add(testCase, file: path, line: row.line)
        })
        if readError { return .failure(.unreadable) }
        guard clean, scanner.clean else { return nil }
        keep = true
        let dataset = DatasetFile(path: path, format: format, header: scanner.header ?? [], descriptor: descriptor,
                                  rows: rows, size: scanner.bytesScanned, digest: hasher.finalize().hexString)
        return .success((dataset, tally))
    }
}

extension DiagnosticLog {
    /// Adds `preferred`, or `fallback` when there is none.
    fileprivate mutating func add(_ preferred: Diagnostic?, or fallback: Diagnostic) {
        add(preferred ?? fallback)
    }
}

extension DatasetFile: Hashable {
    public static func == (lhs: DatasetFile, rhs: DatasetFile) -> Bool {
        lhs.path == rhs.path && lhs.digest == rhs.digest
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(path)
        hasher.combine(digest)
    }
}
