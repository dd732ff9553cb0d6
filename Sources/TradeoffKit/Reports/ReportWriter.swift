import Foundation

/// Writes a run's reports to files.
public struct ReportWriter {
    /// Writes `<folder>/<name>.md` (linking the chart), `.svg`, `.html` (one page, the chart
    /// inline, the cases one by one), `.json`, `.csv` (per model), `.tasks.csv` (per task and model),
    /// `.routing.csv` (the portfolio, per task) and `.calls.csv` (per call), creating the folder.
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
    ///   - checks: Gates and regressions checked, shown in the Markdown and the JSON.
    ///   - cases: The cases the page shows one by one; by default `summary.drillDown(calls:)`,
    ///     whose graders' reasons are only those `calls` carry.
    ///   - csvBOM: Whether each CSV file starts with a UTF-8 byte order mark (EF BB BF), which
    ///     Excel needs to read it as UTF-8 rather than the system's code page.
    /// - Throws: `ReportWriteError` naming the file that could not be written.
    /// - Returns: The paths written, Markdown first.
    public static func write(_ summary: RunSummary, calls: [ReportCall], to folder: String, name: String,
                             checks: Checks? = nil, cases: CaseDrillDown? = nil, csvBOM: Bool = false) throws -> [String] {
        let callsFile = try startCallsFile(in: folder, name: name, csvBOM: csvBOM) { sink in
            try CSVReport(summary).writeCalls(calls, to: sink)
        }
        return try write(summary, callsFile: callsFile, checks: checks, cases: cases ?? summary.drillDown(calls: calls))
    }

    /// `write(_:calls:to:name:checks:cases:csvBOM:)` with `calls` the calls the summary was built
    /// from, in the order they were folded (`RunSummary.loadWithCalls(from:runID:settings:)`):
    /// the calls file reads them again one at a time, while the other files are written.
    public static func write<Source: CallSource>(_ summary: RunSummary, ownCalls calls: Source, to folder: String,
                                                 name: String, checks: Checks? = nil, cases: CaseDrillDown? = nil,
                                                 csvBOM: Bool = false) throws -> [String] {
        let callsFile = try startCallsFile(in: folder, name: name, order: summary.callOrder, calls: calls, csvBOM: csvBOM,
                                           variants: summary.run.context?.variants ?? [])
        return try write(summary, callsFile: callsFile, checks: checks, cases: cases ?? summary.drillDown(ownCalls: calls))
    }

    /// Starts writing the calls file of the calls at `order` (positions in `calls`, in the file's
    /// order: `CallFold.callOrder`) on a second thread, as soon as the order is known — the longest
    /// file to write goes on while the summary is computed. `write(_:callsFile:checks:cases:)`
    /// then writes the other files beside it.
    ///
    /// - Throws: `ReportWriteError` when the folder cannot be made.
    public static func startCallsFile(in folder: String, name: String, order: [Int], calls: some CallSource,
                                      csvBOM: Bool = false, variants: [String] = []) throws -> CallsFile {
        try startCallsFile(in: folder, name: name, csvBOM: csvBOM) { sink in
            try CSVReport.writeCalls(from: calls, order: order, variants: variants, to: sink)
        }
    }

    /// A spill for the calls file's rows in `folder`, made before the calls are read
    /// (`CallsSpill.add(_:model:)` as each is folded), creating the folder.
    ///
    /// - Throws: `ReportWriteError` when the folder cannot be made or written in.
    /// `variants` are the run's prompt variants (`RunContext.variants`), for the `prompt_variant` column.
    public static func startSpill(in folder: String, variants: [String] = []) throws -> CallsSpill {
        if let problem = OutputPath.folderProblem(folder) { throw ReportWriteError(path: folder, reason: problem) }
        try createFolder(folder)
        return try CallsSpill(folder: folder, variants: variants)
    }

    /// Starts writing the calls file from the rows `spilled` (their order: `CallFold.callOrder`)
    /// on a second thread, as `startCallsFile(in:name:order:calls:csvBOM:)` does from the calls.
    public static func startCallsFile(in folder: String, name: String, order: [Int], spilled: SpilledCalls,
                                      csvBOM: Bool = false) throws -> CallsFile {
        try startCallsFile(in: folder, name: name, csvBOM: csvBOM) { sink in
            try spilled.write(order: order, to: sink)
        }
    }

    private static func startCallsFile(in folder: String, name: String, csvBOM: Bool,
                                       rows: @escaping @Sendable (([UInt8]) throws -> Void) throws -> Void) throws -> CallsFile {
        if let problem = OutputPath.folderProblem(folder) { throw ReportWriteError(path: folder, reason: problem) }
        try createFolder(folder)
        let file = CallsFile(folder: folder, base: fileName(name), csvBOM: csvBOM)
        // Streamed: a million calls never sit in memory as one file.
        file.start { handle in
            if csvBOM { try handle.write(contentsOf: Data([0xEF, 0xBB, 0xBF])) }
            try rows { try handle.write(contentsOf: $0) }
        }
        return file
    }

    /// Writes the report's other files beside `callsFile` (in its folder, under its name), then
    /// puts the calls file in place: `<folder>/<name>.md` (linking the chart), `.svg`, `.html`,
    /// `.json`, `.csv`, `.tasks.csv`, `.routing.csv`, and `.calls.csv` last. Nothing is left half written: when a
    /// file fails, the calls file is removed.
    ///
    /// - Throws: `ReportWriteError` naming the file that could not be written.
    /// - Returns: The paths written, Markdown first.
    public static func write(_ summary: RunSummary, callsFile: CallsFile, checks: Checks? = nil,
                             cases: CaseDrillDown?) throws -> [String] {
        let (folder, base) = (callsFile.folder, callsFile.base)
        let csv = CSVReport(summary)
        let bom = Data(callsFile.csvBOM ? [0xEF, 0xBB, 0xBF] : [])
        let files: [(String, (FileHandle) throws -> Void)] = [
            (".md", { try $0.write(contentsOf: Data(MarkdownReport(summary, checks: checks, chartFile: linkTarget(base + ".svg")).render().utf8)) }),
            (".svg", { try $0.write(contentsOf: Data(FrontierChart(summary).render().utf8)) }),
            (".html", { file in
                let page = HTMLReport(summary, checks: checks, cases: cases, callsFile: base + ".calls.csv")
                try file.write(contentsOf: Data(page.render().utf8))
            }),
            (".json", { try $0.write(contentsOf: Data(JSONReport(summary, checks: checks).render().utf8)) }),
            (".csv", { try $0.write(contentsOf: bom + Data(csv.models().utf8)) }),
            (".tasks.csv", { try $0.write(contentsOf: bom + Data(csv.tasks().utf8)) }),
            (".routing.csv", { try $0.write(contentsOf: bom + Data(csv.routing().utf8)) }),
        ]
        var written: [String] = []
        do {
            for (suffix, render) in files {
                let path = (folder as NSString).appendingPathComponent(base + suffix)
                try replace(path, writing: render)
                written.append(path)
            }
        } catch {
            callsFile.discard()
            throw error
        }
        return written + [try callsFile.finish()]
    }

    /// Writes `text` to `path` atomically (temporary file, then rename), creating its folder.
    ///
    /// - Throws: `ReportWriteError` naming the file.
    public static func write(_ text: String, to path: String) throws {
        if let problem = OutputPath.fileProblem(path) { throw ReportWriteError(path: path, reason: problem) }
        let folder = OutputPath.folder(of: path)
        if !folder.isEmpty { try createFolder(folder) }
        try replace(path, with: Data(text.utf8))
    }

    /// Appends `text` to the file at `path` (GitHub's `$GITHUB_STEP_SUMMARY`), creating it when missing.
    ///
    /// - Throws: `ReportWriteError` naming the file.
    public static func append(_ text: String, to path: String) throws {
        if let problem = OutputPath.fileProblem(path) { throw ReportWriteError(path: path, reason: problem) }
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw ReportWriteError(path: path, reason: "cannot create the file")
            }
        }
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(text.utf8))
        } catch {
            throw ReportWriteError(path: path, reason: error.localizedDescription)
        }
    }

    /// `name` made safe as one file name in the folder.
    static func fileName(_ name: String) -> String {
        let safe = String(name.map { $0 == "/" || $0 == "\0" ? "-" : $0 })
        return safe.isEmpty || safe == "." || safe == ".." ? "report" : safe
    }

    /// A file name as a Markdown link target: everything but unreserved URL characters
    /// percent-encoded, so spaces and parentheses cannot end the link.
    static func linkTarget(_ file: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return file.addingPercentEncoding(withAllowedCharacters: allowed) ?? file
    }

    private static func createFolder(_ folder: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw ReportWriteError(path: folder, reason: "cannot create the folder (\(error.localizedDescription))")
        }
    }

    /// Writes `data` to a temporary file next to `path`, then renames it to `path` (atomic on
    /// one file system); the temporary file is removed when anything fails.
    private static func replace(_ path: String, with data: Data) throws {
        try replace(path) { try $0.write(contentsOf: data) }
    }

    /// Writes a temporary file with `write`, then renames it over `path`.
    private static func replace(_ path: String, writing write: (FileHandle) throws -> Void) throws {
        try putInPlace(writeTemporary(for: path, writing: write), at: path)
    }

    /// Writes a temporary file next to `path` with `write`; returns its path. The temporary file
    /// is removed when anything fails.
    static func writeTemporary(for path: String, writing write: (FileHandle) throws -> Void) throws -> String {
        let folder = OutputPath.folder(of: path)
        let file = path.split(separator: "/").last.map(String.init) ?? path
        let temporary = (folder.isEmpty ? "" : folder.hasSuffix("/") ? folder : folder + "/")
            + ".\(file).\(UUID().uuidString).tmp"
        do {
            guard FileManager.default.createFile(atPath: temporary, contents: nil),
                  let handle = FileHandle(forWritingAtPath: temporary) else {
                throw ReportWriteError(path: path, reason: String(cString: strerror(errno)))
            }
            defer { try? handle.close() }
            try write(handle)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw (error as? ReportWriteError) ?? ReportWriteError(path: path, reason: error.localizedDescription)
        }
        return temporary
    }

    /// Renames `temporary` over `path` (atomic on one file system); removes it when that fails.
    static func putInPlace(_ temporary: String, at path: String) throws {
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
