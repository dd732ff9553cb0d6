import Foundation
import Synchronization

/// A report's calls file (`NAME.calls.csv`), written on a second thread under a temporary name,
/// and put in place with the report's other files (`ReportWriter.write(_:callsFile:checks:cases:)`)
/// or removed when the report is not written (`discard()`): a reader never sees a calls file
/// that does not belong with the others.
///
/// Made by `ReportWriter.startCallsFile(in:name:order:calls:csvBOM:)`.
public final class CallsFile: Sendable {
    /// The folder of the report.
    public let folder: String
    /// The base name of the report's files.
    public let base: String
    /// Whether the report's CSV files start with a UTF-8 byte order mark.
    public let csvBOM: Bool
    private let written = DispatchGroup()
    /// The temporary file once written, or why it could not be.
    private let outcome = Mutex<Result<String, ReportWriteError>?>(nil)

    init(folder: String, base: String, csvBOM: Bool) {
        (self.folder, self.base, self.csvBOM) = (folder, base, csvBOM)
    }

    /// The file's final path.
    public var path: String { (folder as NSString).appendingPathComponent(base + ".calls.csv") }

    /// Writes the temporary file with `write` on another thread.
    func start(_ write: @escaping @Sendable (FileHandle) throws -> Void) {
        let path = path
        DispatchQueue.global().async(group: written) { [self] in
            let result: Result<String, ReportWriteError>
            do {
                result = .success(try ReportWriter.writeTemporary(for: path, writing: write))
            } catch {
                result = .failure(error as? ReportWriteError ?? ReportWriteError(path: path, reason: "\(error)"))
            }
            outcome.withLock { $0 = result }
        }
    }

    /// Waits for the file, then renames it over `path`; returns `path`.
    ///
    /// - Throws: `ReportWriteError` when it could not be written or put in place.
    func finish() throws -> String {
        written.wait()
        switch outcome.withLock({ $0 }) {
        case .success(let temporary)?:
            try ReportWriter.putInPlace(temporary, at: path)
            outcome.withLock { $0 = nil }
            return path
        case .failure(let error)?:
            throw error
        case nil:
            throw ReportWriteError(path: path, reason: "the calls file was already put in place or discarded")
        }
    }

    /// Waits for the file, then removes it: the report it belongs to is not written.
    public func discard() {
        written.wait()
        if case .success(let temporary)? = outcome.withLock({ $0 }) {
            try? FileManager.default.removeItem(atPath: temporary)
        }
        outcome.withLock { $0 = nil }
    }
}
