import Foundation

/// Prints a report page to PDF with a headless Chromium: the browser's own "Save as PDF", so the
/// page's print stylesheet decides what the PDF holds (tables whole, the disagreement cases only).
public struct PDFPrinter: Sendable {
    /// The browsers looked for on PATH, in this order.
    public static let browserNames = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]

    /// The browser's executable.
    public var browser: URL

    /// A printer driving `browser`.
    public init(browser: URL) {
        self.browser = browser
    }

    /// A printer with the first of `browserNames` found in `searchPath` (folders separated by
    /// `:`, as in PATH); nil when none is installed.
    public static func find(searchPath: String? = ProcessInfo.processInfo.environment["PATH"]) -> PDFPrinter? {
        let folders = (searchPath ?? "").split(separator: ":").map { URL(fileURLWithPath: String($0)) }
        for name in browserNames {
            for folder in folders {
                let candidate = folder.appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return PDFPrinter(browser: candidate) }
            }
        }
        return nil
    }

    /// What the browser is given of `environment`: where programs, fonts and the user's
    /// folders are, the locale and the display; not API keys (`GOOGLE_API_KEY` among them).
    static func environment(_ environment: [String: String]) -> [String: String] {
        ChildProcess.environment(keeping: ["PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "DISPLAY",
                                           "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS"],
                                 prefixes: ["LC_", "XDG_", "FONTCONFIG_"], from: environment)
    }

    /// Prints the page at `page` to `pdf`, replacing it only once the whole PDF is written.
    ///
    /// The browser runs as a command grader does (`ChildProcess`): in a process group of its
    /// own, killed whole when it outlives `timeout`, so a hung browser and its helpers never
    /// outlast the report.
    ///
    /// - Parameters:
    ///   - page: The HTML file.
    ///   - pdf: The PDF to write.
    ///   - timeout: Seconds to wait for the browser before killing it.
    ///   - environment: This process's environment; the browser gets what `environment(_:)` keeps.
    /// - Throws: `ReportWriteError` naming `pdf`, with the browser's last words, when it fails,
    ///   hangs or writes nothing.
    public func print(page: String, to pdf: String, timeout: TimeInterval = 120,
                      environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("tradeoff-pdf-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let folder = OutputPath.folder(of: pdf)
        let temporary = (folder.isEmpty ? "" : folder.hasSuffix("/") ? folder : folder + "/")
            + ".\(URL(fileURLWithPath: pdf).lastPathComponent).\(UUID().uuidString).tmp"
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        // Chromium refuses to run as root with its sandbox (CI containers run as root); anyone
        // else keeps it. The page is Tradeoff's own, its policy allowing its own script alone.
        let argv = [browser.path, "--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                    "--user-data-dir=" + work.appendingPathComponent("profile").path,
                    "--no-pdf-header-footer", "--print-to-pdf=" + temporary]
            + (geteuid() == 0 ? ["--no-sandbox"] : []) + [URL(fileURLWithPath: page).absoluteString]
        let result: ChildProcess.Result
        switch ChildProcess.run(argv: argv, directory: FileManager.default.currentDirectoryPath, input: Data(),
                                timeout: timeout, hiding: [],
                                environment: Self.environment(environment)) {
        case .success(let finished): result = finished
        case .failure(let problem): throw ReportWriteError(path: pdf, reason: "\(browser.path) \(problem)")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: temporary)[.size] as? Int) ?? 0
        let how: String
        switch result.ending {
        case .exited(0) where size > 0:
            guard rename(temporary, pdf) == 0 else {
                throw ReportWriteError(path: pdf, reason: String(cString: strerror(errno)))
            }
            return
        case .timedOut:
            throw ReportWriteError(path: pdf, reason: "\(browser.path) did not finish within \(Formatting.number(timeout)) s")
        case .exited(let status): how = "exited \(status)"
        case .signal(let number): how = "was killed by signal \(number)"
        case .printedTooMuch: how = "printed too much"
        }
        let said = String(decoding: result.stderr, as: UTF8.self).split(separator: "\n").last.map { ": \($0)" } ?? ""
        throw ReportWriteError(path: pdf, reason: "\(browser.path) \(how) without a PDF\(said)")
    }
}
