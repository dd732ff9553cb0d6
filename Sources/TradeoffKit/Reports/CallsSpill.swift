import Foundation
import Synchronization

/// The rows of a report's calls file, formatted while the calls are folded — in the order they
/// were recorded, which is not the file's — and kept in an unlinked temporary file in the report's
/// folder until their order is known (`finish()`, then `SpilledCalls.write(order:to:)`).
///
/// A report of a big run reads each call once: the calls file used to read every call a second
/// time, by id, in the file's order, which for a run recorded case by case meant a B-tree search
/// per call. The rows are formatted on a queue of their own, a batch of calls at a time, while
/// the fold reads on. Rows go into one buffer per model and each buffer into the file as a chunk,
/// so a model's rows, written out model by model, are read back in long runs. What stays in
/// memory is 12 bytes per call, and a few batches in flight.
///
/// `add(_:model:)` and `finish()` are called on one thread; made by `ReportWriter.startSpill(in:)`.
public final class CallsSpill {
    private let formatter: SpillFormatter
    private var batch: [(call: ReportCall, model: Int)] = []
    private static let batchSize = 2048

    init(folder: String, variants: [String]) throws {
        formatter = SpillFormatter(file: try SpillFile(in: folder), folder: folder, variants: variants)
        batch.reserveCapacity(Self.batchSize)
    }

    /// Formats `call`'s row of the calls file; `model` is its model's index in the run, or -1
    /// for a model not in it.
    ///
    /// - Throws: `ReportWriteError` when an earlier batch could not be written to the spill file.
    public func add(_ call: ReportCall, model: Int) throws {
        batch.append((call, model))
        if batch.count == Self.batchSize {
            try formatter.format(batch)
            batch.removeAll(keepingCapacity: true)
        }
    }

    /// Formats what is left, writes every buffer to the file and hands over what was spilled.
    public func finish() throws -> SpilledCalls {
        if !batch.isEmpty { try formatter.format(batch) }
        batch = []
        return try formatter.finish()
    }
}

/// The formatting side of `CallsSpill`: batches of calls formatted in order on a serial queue,
/// at most a few waiting, so a fold that reads faster than rows are formatted waits for them.
private final class SpillFormatter: Sendable {
    private let queue = DispatchQueue(label: "tradeoff.calls-spill")
    private let slots = DispatchSemaphore(value: 4)
    private let rows: Mutex<SpillRows>

    init(file: SpillFile, folder: String, variants: [String]) {
        rows = Mutex(SpillRows(file: file, folder: folder, variants: variants))
    }

    func format(_ batch: [(call: ReportCall, model: Int)]) throws {
        if let error = rows.withLock({ $0.error }) { throw error }
        slots.wait()
        queue.async { [self] in
            rows.withLock { $0.add(batch) }
            slots.signal()
        }
    }

    func finish() throws -> SpilledCalls {
        try queue.sync { try rows.withLock { try $0.finish() } }
    }
}

/// The rows formatted so far: per stream a buffer, and where each call's row is.
private struct SpillRows: ~Copyable {
    let file: SpillFile
    /// What errors name: the report's folder.
    let folder: String
    /// The run's prompt variants, for the `prompt_variant` column; empty without.
    let variants: [String]
    /// One buffer per stream: the first for calls of models not in the run, then one per model.
    private var streams: [CSVWriter] = []
    /// Per stream, the positions whose rows sit in its buffer.
    private var pending: [[Int]] = []
    /// Per position, the row's offset: in its stream's buffer while pending, then in the file.
    private var offsets: [Int64] = []
    private var lengths: [UInt32] = []
    /// The file's length so far.
    private var end: Int64 = 0
    /// The first write that failed; nothing is formatted after it.
    private(set) var error: ReportWriteError?
    /// The size at which a stream's buffer goes to the file.
    private static let chunk = 1 << 16

    init(file: SpillFile, folder: String, variants: [String]) {
        (self.file, self.folder, self.variants) = (file, folder, variants)
    }

    mutating func add(_ batch: [(call: ReportCall, model: Int)]) {
        guard error == nil else { return }
        do {
            for (call, model) in batch { try add(call, model: model) }
        } catch {
            self.error = error as? ReportWriteError ?? ReportWriteError(path: folder, reason: "\(error)")
        }
    }

    private mutating func add(_ call: ReportCall, model: Int) throws {
        let stream = max(model, -1) + 1
        while streams.count <= stream {
            streams.append(CSVWriter(capacity: Self.chunk + 4096))
            pending.append([])
        }
        let start = streams[stream].count
        CSVReport.writeRow(call, variants: variants, to: &streams[stream])
        offsets.append(Int64(start))
        lengths.append(UInt32(clamping: streams[stream].count - start))
        pending[stream].append(offsets.count - 1)
        if streams[stream].count >= Self.chunk { try flush(stream) }
    }

    mutating func finish() throws -> SpilledCalls {
        if let error { throw error }
        for stream in streams.indices { try flush(stream) }
        streams = []
        return SpilledCalls(file: file, folder: folder, variants: variants, offsets: offsets, lengths: lengths)
    }

    private mutating func flush(_ stream: Int) throws {
        let bytes = streams[stream].take()
        guard !bytes.isEmpty else { return }
        try file.write(bytes, at: end, folder: folder)
        for position in pending[stream] { offsets[position] += end }
        pending[stream].removeAll(keepingCapacity: true)
        end += Int64(bytes.count)
    }
}

/// The calls file's rows in a spill file, and where each call's row is (by the position of the
/// call in the order the calls were folded).
public struct SpilledCalls: Sendable {
    let file: SpillFile
    let folder: String
    let variants: [String]
    let offsets: [Int64]
    let lengths: [UInt32]

    /// How many rows were spilled.
    public var count: Int { offsets.count }

    /// The calls file: its header, then the rows of the calls at `order` (positions, in the file's
    /// order), a megabyte at a time to `sink`; rows that lie one after another in the spill file
    /// are read at once.
    public func write(order: [Int], to sink: ([UInt8]) throws -> Void) throws {
        var header = CSVWriter()
        for column in CSVReport.callColumns(variants: variants) { header.text(column) }
        header.endRow()
        try sink(header.take())
        let limit = 1 << 20
        var buffer = [UInt8](repeating: 0, count: limit)
        var filled = 0
        // The run of rows to read next: its start in the file and its length.
        var run: (start: Int64, length: Int) = (0, 0)
        func read() throws {
            var (start, length) = run
            while length > 0 {
                if filled == limit {
                    try sink(buffer)
                    filled = 0
                }
                let piece = min(length, limit - filled)
                try buffer.withUnsafeMutableBytes { bytes in
                    try file.read(into: UnsafeMutableRawBufferPointer(rebasing: bytes[filled..<(filled + piece)]),
                                  at: start, folder: folder)
                }
                (filled, start, length) = (filled + piece, start + Int64(piece), length - piece)
            }
            run = (0, 0)
        }
        for position in order {
            let (start, length) = (offsets[position], Int(lengths[position]))
            if run.length > 0 && run.start + Int64(run.length) == start {
                run.length += length
            } else {
                try read()
                run = (start, length)
            }
        }
        try read()
        if filled > 0 { try sink(Array(buffer[..<filled])) }
    }
}

/// An unlinked temporary file: gone with its descriptor, whatever happens to the process.
final class SpillFile: Sendable {
    private let descriptor: Int32

    /// Creates it in `folder`.
    init(in folder: String) throws {
        var template = Array(((folder.hasSuffix("/") ? folder : folder + "/") + ".tradeoff-spill.XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw ReportWriteError(path: folder, reason: String(cString: strerror(errno))) }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: [UInt8], at offset: Int64, folder: String) throws {
        try bytes.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let written = pwrite(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else {
                    throw ReportWriteError(path: folder, reason: written < 0 ? String(cString: strerror(errno)) : "nothing written")
                }
                done += written
            }
        }
    }

    /// Fills `buffer` from `offset`.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64, folder: String) throws {
        var done = 0
        while done < buffer.count {
            let read = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if read < 0 && errno == EINTR { continue }
            guard read > 0 else {
                throw ReportWriteError(path: folder, reason: read < 0 ? String(cString: strerror(errno)) : "the spill file ended early")
            }
            done += read
        }
    }
}
