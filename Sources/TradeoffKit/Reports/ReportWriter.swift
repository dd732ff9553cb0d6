import Foundation

/// Writes a run's reports to files.
public struct ReportWriter {
    /// Writes `<folder>/<name>.md`, `<name>.csv` and `<name>.calls.csv`, creating the folder.
    ///
    /// Each file is written under a temporary name in the same folder and then renamed over the
    /// final one, so a reader (a CI step, a dashboard) never sees half a report. A `/` in `name`
    /// (a suite name used as the file name) becomes `-`, keeping the files in `folder`.
    ///
    /// - Parameters:
    ///   - summary: The run's summary.
    ///   - calls: The run's calls, for the per-call CSV.
    ///   - folder: The folder for the reports.
    ///   - name: The base name of the files.
    /// - Throws: `ReportWriteError` naming the file that could not be written.
    /// - Returns: The paths written, Markdown first.
    public static func write(_ summary: RunSummary, calls: [CallRecord], to folder: String,
                             name: String) throws -> [String] {
        let csv = CSVReport(summary)
        let files = [
            (".md", MarkdownReport(summary).render()),
            (".csv", csv.models()),
            (".calls.csv", csv.calls(calls)),
        ]
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw ReportWriteError(path: folder, reason: "cannot create the folder (\(error.localizedDescription))")
        }
        let base = fileName(name)
        var written: [String] = []
        for (suffix, text) in files {
            let path = (folder as NSString).appendingPathComponent(base + suffix)
            try replace(path, with: Data(text.utf8))
            written.append(path)
        }
        return written
    }

    /// `name` made safe as one file name in the folder.
    static func fileName(_ name: String) -> String {
        let safe = String(name.map { $0 == "/" || $0 == "\0" ? "-" : $0 })
        return safe.isEmpty || safe == "." || safe == ".." ? "report" : safe
    }

    /// Writes `data` to a temporary file next to `path`, then renames it to `path` (atomic on
    /// one file system); the temporary file is removed when anything fails.
    private static func replace(_ path: String, with data: Data) throws {
        let folder = (path as NSString).deletingLastPathComponent
        let file = (path as NSString).lastPathComponent
        let temporary = (folder as NSString).appendingPathComponent(".\(file).\(UUID().uuidString).tmp")
        do {
            try data.write(to: URL(fileURLWithPath: temporary))
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw ReportWriteError(path: path, reason: error.localizedDescription)
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw ReportWriteError(path: path, reason: reason)
        }
    }
}

/// A report file could not be written.
public struct ReportWriteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file or folder that could not be written.
    public var path: String
    /// Why, as the system said it.
    public var reason: String

    /// `reports/demo.md: cannot write report: Permission denied`.
    public var description: String { "\(path): cannot write report: \(reason)" }
}
